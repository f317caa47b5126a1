// The simulator's journal: every input (intent, price, cancel, trading-state change) is appended
// here, in the order the simulator applies it, before it is applied. The engine is deterministic,
// so replaying the journal rebuilds exactly the state before a crash, and the journal's
// de-duplication (Nats-Msg-Id = the input's id) tells a redelivered input from a new one.
import { DeliverPolicy, type JetStreamClient, type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { ensureStream } from '../../core/src/index.js';

export interface JournalEntry<Input> {
  /** Unique id of the input (the event id of the intent or price; a request id for API commands). */
  id: string;
  input: Input;
}

export interface AppendResult {
  seq: number;
  /** The journal already held this input: it was applied before (a redelivery). */
  duplicate: boolean;
}

/**
 * How long the journal remembers input ids (nats-server keeps each id in memory for this long).
 * An hour covers any redelivery of an in-flight input; an intent redelivered later still never
 * fills twice, because the engine refuses a client order id it has seen.
 */
const DUPLICATE_WINDOW_NS = 60 * 60 * 1e9;

export class Journal<Input> {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    private readonly subject: string,
  ) {}

  static async open<Input>(nats: { js: JetStreamClient; jsm: JetStreamManager }, stream: string): Promise<Journal<Input>> {
    const subject = `${stream}.entries`;
    await ensureStream(nats.jsm, {
      name: stream,
      subjects: [subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: DUPLICATE_WINDOW_NS,
    });
    return new Journal<Input>(nats.js, nats.jsm, stream, subject);
  }

  async append(entry: JournalEntry<Input>): Promise<AppendResult> {
    const ack = await this.js.publish(this.subject, JSON.stringify(entry), { msgID: entry.id });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  /** Calls `apply` for every entry stored so far, in order; returns how many there were. */
  async replay(apply: (entry: JournalEntry<Input>, seq: number) => void | Promise<void>): Promise<number> {
    const info = await this.jsm.streams.info(this.stream);
    const last = info.state.last_seq;
    if (info.state.messages === 0) return 0;
    const consumer = await this.js.consumers.get(this.stream, { deliver_policy: DeliverPolicy.All });
    let count = 0;
    const messages = await consumer.consume();
    try {
      for await (const msg of messages) {
        await apply(msg.json<JournalEntry<Input>>(), msg.seq);
        count++;
        if (msg.seq >= last) break;
      }
    } finally {
      messages.stop();
    }
    return count;
  }
}
