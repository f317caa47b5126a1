// Reads back, in stream order, what the agents' state is made of: the normalized signals and
// exec-sim's order updates and fills, from the stream's first message up to a given sequence.
// One ordered consumer without a filter reads the whole stream once: nats-server 2.9 has no
// `filter_subjects` list, and one pass in stream order keeps a signal before the fills of the
// orders it caused, as they were stored (a fill replayed before its order would count twice).
// Messages on other subjects are skipped unread; an event that fails its contract is skipped too
// (the live consumer dead-lettered it, so the agent never saw it).
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import {
  type OrderFilled,
  type OrderUpdated,
  orderFilledContract,
  orderUpdatedContract,
  type SignalNormalized,
  signalNormalizedContract,
} from '../../../../generated/index.js';
import { contractsByMajor, decodeEvent, type EventContract, type EventMeta, type NatsRuntime } from '../../../core/src/index.js';

/** Where a replayed event sits in the stream. */
export interface StreamPosition {
  seq: number;
  /** When the server stored it (nanoseconds since the epoch). */
  storedAtNanos: bigint;
  /** Its headers: what an intent it causes names as causation, correlation and trace. */
  meta: EventMeta;
}

export interface ReplaySink {
  signal(signal: SignalNormalized, at: StreamPosition): void;
  fill(fill: OrderFilled): void;
  order(update: OrderUpdated): void;
}

export interface ReplayReport {
  /** Messages read from the stream (every subject). */
  read: number;
  /** Events handed to the sink. */
  replayed: number;
  /** Events on a replayed subject that failed their contract. */
  invalid: number;
  ms: number;
}

const SIGNAL_SUBJECT = signalNormalizedContract.subject;
const FILL_SUBJECT = orderFilledContract.subject;
const ORDER_SUBJECT = orderUpdatedContract.subject;

function decoder<T>(contract: EventContract<T>): (msg: JsMsg) => { payload: T; meta: EventMeta } | undefined {
  const contracts = contractsByMajor(contract);
  return (msg) => {
    const decoded = decodeEvent(msg, contracts);
    return decoded.ok ? decoded : undefined;
  };
}

/** Replays the stream's signals, fills and order updates with a sequence up to `upTo` into `sink`. */
export async function replayStream(nats: NatsRuntime, stream: string, upTo: number, sink: ReplaySink): Promise<ReplayReport> {
  const started = performance.now();
  const report: ReplayReport = { read: 0, replayed: 0, invalid: 0, ms: 0 };
  const { state } = await nats.jsm.streams.info(stream);
  if (state.messages === 0 || upTo < state.first_seq) return { ...report, ms: performance.now() - started };
  const consumer = await nats.js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: state.first_seq });
  const messages = await consumer.consume();
  const decode = { signal: decoder(signalNormalizedContract), fill: decoder(orderFilledContract), order: decoder(orderUpdatedContract) };
  try {
    for await (const msg of messages) {
      const seq = msg.info.streamSequence;
      if (seq > upTo) break;
      report.read++;
      const handed = handOver(msg, sink, decode);
      if (handed === true) report.replayed++;
      else if (handed === false) report.invalid++;
      // Caught up: `upTo` itself may have been deleted since it was read.
      if (seq === upTo || msg.info.pending === 0) break;
    }
  } finally {
    await messages.close();
  }
  return { ...report, ms: performance.now() - started };
}

/** true: given to the sink; false: invalid; undefined: not a replayed subject. */
function handOver(
  msg: JsMsg,
  sink: ReplaySink,
  decode: {
    signal: (msg: JsMsg) => { payload: SignalNormalized; meta: EventMeta } | undefined;
    fill: (msg: JsMsg) => { payload: OrderFilled } | undefined;
    order: (msg: JsMsg) => { payload: OrderUpdated } | undefined;
  },
): boolean | undefined {
  switch (msg.subject) {
    case SIGNAL_SUBJECT: {
      const signal = decode.signal(msg);
      if (signal) sink.signal(signal.payload, { seq: msg.info.streamSequence, storedAtNanos: msg.timestampNanos, meta: signal.meta });
      return signal !== undefined;
    }
    case FILL_SUBJECT: {
      const fill = decode.fill(msg);
      if (fill) sink.fill(fill.payload);
      return fill !== undefined;
    }
    case ORDER_SUBJECT: {
      const update = decode.order(msg);
      if (update) sink.order(update.payload);
      return update !== undefined;
    }
    default:
      return undefined;
  }
}
