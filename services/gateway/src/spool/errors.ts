// Errors of the webhook spool. Each is a small class; an underlying I/O failure is kept as `cause`.

/**
 * The spool is at its size bound: the webhook was NOT accepted and nothing was written.
 * The gateway answers 503 with `Retry-After: retryAfterSeconds`, so the sender retries later.
 */
export class SpoolFullError extends Error {
  override readonly name = 'SpoolFullError';

  constructor(
    readonly retryAfterSeconds: number,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`spool is full (${bytes} of ${maxBytes} bytes); retry after ${retryAfterSeconds} s`);
  }
}

/** append() or flush() after close(). */
export class SpoolClosedError extends Error {
  override readonly name = 'SpoolClosedError';

  constructor() {
    super('spool is closed');
  }
}

/**
 * Writing the log failed (disk full, I/O error, failed fsync). After a failed fsync the kernel may
 * already have dropped the dirty pages, so a retry could "succeed" without the data on disk: the
 * spool refuses every later append instead, and a restart recovers from what is really on disk.
 * Entries acknowledged before the failure stay pending and can still be flushed.
 */
export class SpoolWriteError extends Error {
  override readonly name = 'SpoolWriteError';

  constructor(operation: string, options?: ErrorOptions) {
    super(`spool ${operation} failed: ${describeCause(options?.cause)}`, options);
  }
}

/**
 * The files on disk contradict each other in a way no crash of this code can produce (a log without
 * a checkpoint, a checkpoint pointing past the end of its log). The spool refuses to open rather
 * than guess: guessing could drop or replay entries. The files are left untouched for an operator.
 */
export class SpoolCorruptError extends Error {
  override readonly name = 'SpoolCorruptError';

  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`spool in ${dir} is inconsistent: ${reason}`);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
