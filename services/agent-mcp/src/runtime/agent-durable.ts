// An agent's durable consumer on signals.normalized (`agent-<id>`) and the part of the stream it
// has been given: the rebuild at start-up replays exactly those signals, no older ones (an agent
// added to a platform that already has history never saw what came before it).
//
// A new durable starts at the stream's next sequence, written down as `by_start_sequence` (what
// `new` means, but the start stays readable in the consumer's config). Durables made as `new`
// (before this, or by a drill) keep only their creation time: the server stores messages with
// its own clock, so the first signal after `created` is the first one the durable delivered.
import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { ensureConsumer } from '../../../core/src/index.js';

export const SIGNAL_SUBJECT = 'signals.normalized';

export interface SignalWindow {
  /** First stream sequence the durable delivers. */
  fromSeq: number;
  /** And stored no earlier than this (durables made as `new`), in nanoseconds since the epoch. */
  fromNanos?: bigint;
  /** Everything up to this sequence has been acknowledged: processed before the restart. */
  ackFloor: number;
}

/** Creates the durable when missing, then says which signals it has covered. */
export async function ensureAgentDurable(jsm: JetStreamManager, stream: string, durable: string): Promise<SignalWindow> {
  const exists = await jsm.consumers.info(stream, durable).then(
    () => true,
    (err: unknown) => {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return false;
      throw err;
    },
  );
  // An existing durable keeps its deliver policy: the server refuses to change it.
  const start = exists
    ? {}
    : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: (await jsm.streams.info(stream)).state.last_seq + 1 };
  const { info } = await ensureConsumer(jsm, stream, { durable_name: durable, filter_subject: SIGNAL_SUBJECT, ...start });
  const { config } = info;
  const ackFloor = info.ack_floor.stream_seq;
  switch (config.deliver_policy) {
    case DeliverPolicy.All:
      return { fromSeq: 1, ackFloor };
    case DeliverPolicy.StartSequence:
      return { fromSeq: config.opt_start_seq ?? 1, ackFloor };
    case DeliverPolicy.StartTime:
      return { fromSeq: 1, fromNanos: isoToNanos(config.opt_start_time ?? info.created), ackFloor };
    default:
      // new, last, last_per_subject: nothing stored before the durable was made was delivered.
      return { fromSeq: 1, fromNanos: isoToNanos(info.created), ackFloor };
  }
}

/** The window covers a signal at `seq`, stored at `storedAtNanos`. */
export const covers = (window: SignalWindow, seq: number, storedAtNanos: bigint): boolean =>
  seq >= window.fromSeq && (window.fromNanos === undefined || storedAtNanos >= window.fromNanos);

/** `2026-11-24T14:30:00.123456789Z` (the server's RFC 3339 with nanoseconds) in nanoseconds since the epoch. */
export function isoToNanos(iso: string): bigint {
  const match = /^(.+T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9})\d*)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  const seconds = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(seconds)) throw new Error(`not an RFC 3339 time: ${iso}`);
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
