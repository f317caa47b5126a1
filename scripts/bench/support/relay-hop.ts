// One hop of the end-to-end benchmark's raw relay, run as its own process (as each service is):
// a durable pull consumer on RELAY_FROM that, per message, JSON.parses it, awaits one JetStream
// publish of a RELAY_PAYLOAD_BYTES payload on RELAY_TO (the headers of RELAY_HEADERS, a fresh
// Nats-Msg-Id, the incoming ce-correlationid) and acks. Bare @nats-io/jetstream: no validation,
// no domain logic, no metrics; what any consume-then-publish service pays at least.

import { pathToFileURL } from 'node:url';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`relay hop: ${name} is not set`);
  return value;
}

const CORRELATION = 'ce-correlationid';

/** A JSON payload of exactly `bytes` bytes (at least the envelope's) naming the correlation id. */
export function relayPayload(correlationId: string, bytes: number): string {
  const bare = JSON.stringify({ correlationId, pad: '' });
  return JSON.stringify({ correlationId, pad: 'x'.repeat(Math.max(0, bytes - bare.length)) });
}

async function main(): Promise<void> {
  const stream = required('RELAY_STREAM');
  const durable = required('RELAY_DURABLE');
  const from = required('RELAY_FROM');
  const to = required('RELAY_TO');
  const payloadBytes = Number(required('RELAY_PAYLOAD_BYTES'));
  const template = JSON.parse(process.env.RELAY_HEADERS ?? '{}') as Record<string, string>;
  const nc = await connect({ servers: required('RELAY_NATS_URL'), name: durable });
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, { durable_name: durable, filter_subject: from, ack_policy: AckPolicy.Explicit, max_ack_pending: 256 });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume();
  const stop = () => void messages.close().then(() => nc.drain().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for await (const msg of messages) {
    const { correlationId } = msg.json<{ correlationId: string }>();
    const h = natsHeaders();
    for (const [key, value] of Object.entries(template)) h.set(key, value);
    h.set(CORRELATION, correlationId);
    h.set('Nats-Msg-Id', `${to}:${correlationId}`);
    await js.publish(to, relayPayload(correlationId, payloadBytes), { headers: h });
    msg.ack();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('relay hop failed:', err);
    process.exit(1);
  });
}
