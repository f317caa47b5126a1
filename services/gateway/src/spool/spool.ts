// The spool over its files: a group-committed append path, an in-order flush loop with periodic
// checkpoints, and compaction. The delivery guarantees are explained in spool-api.ts.
import type { FileHandle } from 'node:fs/promises';
import { writeCheckpoint } from './checkpoint.js';
import { commitGeneration, layoutGeneration, removeGenerationLog, writeGenerationLog } from './compaction.js';
import { appendAll } from './durable-fs.js';
import { SpoolClosedError, SpoolFullError, SpoolWriteError } from './errors.js';
import { GroupCommitQueue } from './group-commit-queue.js';
import { type EncodedEntry, encodeEntry, type ScannedEntry, type SpoolEntry } from './log-format.js';
import { Mutex } from './mutex.js';
import type { RecoveredLog } from './recovery.js';
import { recoverLog } from './recovery.js';
import { suggestRetryAfterSeconds } from './retry-after.js';
import type { FlushResult, PublishEntry, Spool, SpoolOptions } from './spool-api.js';
import { type SpoolLogger, silentSpoolLogger } from './spool-logger.js';

export async function openSpool(options: SpoolOptions): Promise<Spool> {
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes <= 0) throw new RangeError('spool maxBytes must be a positive integer');
  const logger = options.logger ?? silentSpoolLogger;
  return new FileSpool(options, logger, await recoverLog(options.dir, logger));
}

interface QueuedAppend extends EncodedEntry {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A partially flushed generation is compacted once its published prefix reaches this share of maxBytes. */
const COMPACT_PUBLISHED_SHARE = 0.25;
const MAX_GROUP = 1024;

class FileSpool implements Spool {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #checkpointEvery: number;
  readonly #logger: SpoolLogger;
  readonly #appends: GroupCommitQueue<QueuedAppend>;
  readonly #logLock = new Mutex();
  readonly #closing = new AbortController();
  #generation: number;
  #handle: FileHandle;
  #size: number;
  /** Entries of the live generation still pending (from #head on); earlier ones are published. */
  #entries: ScannedEntry[];
  #head = 0;
  /** Offset up to which everything is published, and up to which the checkpoint on disk says so. */
  #publishedOffset: number;
  #persistedOffset: number;
  readonly #corrupted: number;
  #failure: SpoolWriteError | undefined;
  #flushing: Promise<FlushResult> | undefined;
  #closed: Promise<void> | undefined;
  #flushRate = 0;

  constructor(options: SpoolOptions, logger: SpoolLogger, recovered: RecoveredLog) {
    this.#dir = options.dir;
    this.#maxBytes = options.maxBytes;
    this.#checkpointEvery = Math.max(1, options.checkpointEvery ?? 32);
    this.#logger = logger;
    this.#appends = new GroupCommitQueue(options.groupCommit === false ? 1 : MAX_GROUP, (batch) => this.#writeBatch(batch));
    this.#generation = recovered.generation;
    this.#handle = recovered.handle;
    this.#size = recovered.size;
    this.#entries = recovered.pending;
    this.#publishedOffset = recovered.publishedOffset;
    this.#persistedOffset = recovered.publishedOffset;
    this.#corrupted = recovered.corrupt.length;
  }

  get depth(): number {
    return this.#entries.length - this.#head;
  }

  get bytes(): number {
    return this.#size;
  }

  get hasPending(): boolean {
    return this.depth > 0 || this.#appends.size > 0;
  }

  get corrupted(): number {
    return this.#corrupted;
  }

  pendingEntries(): SpoolEntry[] {
    return this.#entries.slice(this.#head).map((pending) => pending.entry);
  }

  append(entry: SpoolEntry): Promise<void> {
    if (this.#closed) return Promise.reject(new SpoolClosedError());
    let encoded: EncodedEntry;
    try {
      encoded = encodeEntry(entry);
    } catch (error) {
      return Promise.reject(error);
    }
    // Queued synchronously, so the order of append() calls is the order in the log.
    return new Promise((resolve, reject) => this.#appends.push({ ...encoded, resolve, reject }));
  }

  flush(publish: PublishEntry, options: { signal?: AbortSignal } = {}): Promise<FlushResult> {
    if (this.#closed) return Promise.reject(new SpoolClosedError());
    this.#flushing ??= this.#runFlush(publish, options.signal).finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort();
      await this.#appends.idle();
      await this.#flushing?.catch(() => {});
      await this.#logLock.run(() => this.#handle.close());
    })();
    return this.#closed;
  }

  /** One group commit: the bound check, one write, one fdatasync; then the callers are answered. */
  async #writeBatch(batch: QueuedAppend[]): Promise<void> {
    const written = this.#logLock.run(async () => {
      if (this.#failure) return rejectAll(batch, this.#failure);
      const accepted: QueuedAppend[] = [];
      let size = this.#size;
      for (const item of batch) {
        if (size + item.line.length > this.#maxBytes) {
          item.reject(new SpoolFullError(suggestRetryAfterSeconds(this.depth, this.#flushRate), this.#size, this.#maxBytes));
        } else {
          accepted.push(item);
          size += item.line.length;
        }
      }
      if (accepted.length === 0) return;
      try {
        await appendAll(this.#handle, Buffer.concat(accepted.map((item) => item.line)));
        await this.#handle.datasync();
      } catch (error) {
        // No truncate: a partly written line is a torn tail that recovery cuts off, and whole lines that
        // reached the disk are at most republished (their callers got an error, so they send again).
        return rejectAll(accepted, this.#fail('append', error));
      }
      for (const item of accepted) {
        this.#size += item.line.length;
        this.#entries.push({ entry: item.entry, end: this.#size });
      }
      for (const item of accepted) item.resolve();
    });
    // The queue needs every item settled; resolve/reject after settling are no-ops.
    await written.catch((error: unknown) => rejectAll(batch, error));
  }

  async #runFlush(publish: PublishEntry, signal: AbortSignal | undefined): Promise<FlushResult> {
    const stop = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    const started = performance.now();
    let flushed = 0;
    let error: unknown;
    try {
      while (this.depth > 0 && !stop.aborted) {
        const next = this.#entries[this.#head] as ScannedEntry;
        try {
          await publish(next.entry);
        } catch (publishError) {
          error = publishError;
          this.#logger.warn({ err: publishError, id: next.entry.id, remaining: this.depth }, 'spool: flush stopped, publish failed');
          break;
        }
        this.#head++;
        this.#publishedOffset = next.end;
        flushed++;
        if (flushed % this.#checkpointEvery === 0) await this.#persistProgress();
      }
    } finally {
      // Also after a failure or an abort: what was published must not be republished needlessly.
      await this.#persistProgress();
    }
    const seconds = (performance.now() - started) / 1_000;
    if (flushed > 0 && seconds > 0) this.#flushRate = flushed / seconds;
    return error === undefined ? { flushed, remaining: this.depth } : { flushed, remaining: this.depth, error };
  }

  /** Records flush progress: a checkpoint, or a compaction when the published part is all or a large share of the log. */
  async #persistProgress(): Promise<void> {
    const allPublished = this.depth === 0 && this.#size > 0;
    const largePublishedPrefix = this.#publishedOffset >= this.#maxBytes * COMPACT_PUBLISHED_SHARE;
    // After a write failure only checkpoints: the log stays as it is for the recovery at restart.
    if (!this.#failure && (allPublished || largePublishedPrefix)) {
      try {
        return await this.#compact();
      } catch (error) {
        if (this.#failure) throw error;
        // e.g. no room for the new generation: the old one is intact, so keep the progress in it.
        this.#logger.warn({ err: error, dir: this.#dir }, 'spool: compaction failed, writing a checkpoint instead');
      }
    }
    if (this.#publishedOffset === this.#persistedOffset) return;
    await writeCheckpoint(this.#dir, { generation: this.#generation, offset: this.#publishedOffset });
    this.#persistedOffset = this.#publishedOffset;
  }

  /** Moves the pending entries to a new generation (see compaction.ts for the crash reasoning). */
  async #compact(): Promise<void> {
    await this.#logLock.run(async () => {
      if (this.#failure) return; // the live generation is uncertain: leave the files to recovery
      const next = this.#generation + 1;
      const layout = layoutGeneration(this.#entries.slice(this.#head));
      const handle = await writeGenerationLog(this.#dir, next, layout.lines);
      try {
        await commitGeneration(this.#dir, next);
      } catch (error) {
        // The rename may or may not have happened, so a later append could go to a generation that
        // recovery discards: stop appending. Both files still hold every pending entry, and a later
        // checkpoint naming the old generation is consistent with its (kept) log.
        await handle.close().catch(() => {});
        throw this.#fail('compaction commit', error);
      }
      const previous = { handle: this.#handle, generation: this.#generation };
      this.#entries = layout.entries;
      this.#head = 0;
      this.#size = layout.size;
      this.#publishedOffset = 0;
      this.#persistedOffset = 0;
      this.#generation = next;
      this.#handle = handle;
      await previous.handle.close().catch(() => {});
      await removeGenerationLog(this.#dir, previous.generation).catch((error: unknown) => {
        this.#logger.warn({ err: error, generation: previous.generation }, 'spool: could not remove the old log; the next open removes it');
      });
    });
  }

  #fail(operation: string, cause: unknown): SpoolWriteError {
    this.#failure ??= new SpoolWriteError(operation, { cause });
    this.#logger.error({ err: cause, dir: this.#dir }, `spool: ${operation} failed; refusing further appends until a restart`);
    return this.#failure;
  }
}

function rejectAll(batch: QueuedAppend[], error: unknown): void {
  for (const item of batch) item.reject(error);
}
