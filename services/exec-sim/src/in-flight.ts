// After a crash, the intents the dead process had received but not acknowledged are redelivered
// only when their ack wait runs out, after newer intents. Applying them in stream order first
// keeps a restarted simulator's state identical to an undisturbed one: they are read straight
// from the stream (between the consumer's ack floor and its last delivered message) and applied
// through the journal, so their later redelivery is recognised as a duplicate.
import type { JetStreamManager } from '@nats-io/jetstream';
import { type EventMeta, parseEventHeaders } from '../../core/src/index.js';

export interface InFlightMessage {
  payload: unknown;
  meta: EventMeta;
}

export async function sweepInFlight(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  subject: string,
  apply: (message: InFlightMessage) => Promise<void>,
): Promise<{ applied: number; from: number; to: number }> {
  const info = await jsm.consumers.info(stream, durable);
  const from = info.ack_floor.stream_seq + 1;
  const to = info.delivered.stream_seq;
  let applied = 0;
  for (let seq = from; seq <= to; seq++) {
    const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!stored || stored.subject !== subject) continue;
    const meta = parseEventHeaders(stored.header);
    if (!meta.ok) continue; // the consumer dead-letters it when it comes back
    let payload: unknown;
    try {
      payload = stored.json();
    } catch {
      continue;
    }
    await apply({ payload, meta: meta.value });
    applied++;
  }
  return { applied, from, to };
}
