// The public surface of the durable webhook spool. While NATS is unreachable the gateway appends
// each webhook here and answers 202 only after append() resolves, i.e. after its line is fdatasync'ed.
// When NATS is back, flush() publishes the entries in arrival order through a callback (this module
// knows nothing of NATS). Files: spool-<generation>.log (checksummed JSON lines, log-format.ts) and
// spool.checkpoint (live generation + published offset, checkpoint.ts); compaction.ts for crash safety.
//
// Delivery is at-least-once; with deduplication by id downstream it is effectively exactly-once:
// - an entry leaves the spool only after its publish resolved (the JetStream ack), so none is lost;
// - the checkpoint is persisted every `checkpointEvery` publishes (and when a flush stops), so a crash
//   republishes at most that many entries after a restart;
// - each entry's id is its idempotency key and becomes the event's Nats-Msg-Id: JetStream drops the
//   republished copies inside the stream's duplicate window, and the ids carried further (causation,
//   client order id) stop a copy that arrives after the window from making a second order or fill.
//
// One process per directory: the spool takes no lock file, so two gateways must not share a dir.
import type { SpoolEntry } from './log-format.js';
import type { SpoolLogger } from './spool-logger.js';

export interface SpoolOptions {
  /** Created when missing (e.g. from GATEWAY_SPOOL_DIR). */
  dir: string;
  /** Bound on the log file; an append that would pass it is refused with SpoolFullError. */
  maxBytes: number;
  logger?: SpoolLogger;
  /** Let appends waiting together share one fsync (default true); false serves the benchmark's baseline. */
  groupCommit?: boolean;
  /** Persist flush progress after this many publishes (default 32); a crash republishes at most this many. */
  checkpointEvery?: number;
}

export type PublishEntry = (entry: SpoolEntry) => Promise<void>;

export interface FlushResult {
  flushed: number;
  remaining: number;
  /** Why the flush stopped early: the publish failure (the entry it failed on is still pending). */
  error?: unknown;
}

export interface Spool {
  /** Entries appended and not yet published. */
  readonly depth: number;
  /** Size of the log file (published-but-not-compacted entries included): what maxBytes bounds. */
  readonly bytes: number;
  /** True while anything is pending or being appended: the gateway keeps spooling then, to keep arrival order. */
  readonly hasPending: boolean;
  /** Damaged lines skipped when the spool was opened (each logged as an error and quarantined). */
  readonly corrupted: number;
  /** The pending entries, oldest first. */
  pendingEntries(): SpoolEntry[];
  /** Resolves once the entry is on disk (fdatasync); rejects with SpoolFullError, SpoolWriteError, SpoolClosedError or a TypeError. */
  append(entry: SpoolEntry): Promise<void>;
  /** Publishes pending entries in order, one at a time, until done, a publish fails or the signal aborts. One flush runs at a time: a call during a flush gets the running one. Rejects only on a spool I/O failure. */
  flush(publish: PublishEntry, options?: { signal?: AbortSignal }): Promise<FlushResult>;
  /** Lets accepted appends finish, stops a running flush after its current publish, closes the file. */
  close(): Promise<void>;
}
