// Error classes of the event runtime; each keeps the underlying failure as `cause`.

/** The broker did not accept an event (no stream for the subject, timeout, connection closed). */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';

  constructor(
    readonly subject: string,
    readonly eventId: string,
    options?: ErrorOptions,
  ) {
    super(`could not publish ${subject} event ${eventId}: ${describeCause(options?.cause)}`, options);
  }
}

/** A stream or consumer could not be created or brought to the wanted configuration. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';

  constructor(
    readonly resource: string,
    options?: ErrorOptions,
  ) {
    super(`could not provision ${resource}: ${describeCause(options?.cause)}`, options);
  }
}

/** A message could not be copied to the dead-letter stream; the caller must not drop it. */
export class DeadLetterError extends Error {
  override readonly name = 'DeadLetterError';

  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`could not dead-letter a ${subject} message: ${describeCause(options?.cause)}`, options);
  }
}

/**
 * Thrown by a handler when retrying cannot help (e.g. the event refers to an unknown order):
 * the message goes to the dead-letter stream instead of being redelivered.
 */
export class PermanentHandlerError extends Error {
  override readonly name = 'PermanentHandlerError';
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
