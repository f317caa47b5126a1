import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager, type StoredMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumedEvent, consumeEvents, type EventConsumerHandle } from '../src/nats/consume.js';
import { deadLetter, deadLetterSubject } from '../src/nats/dead-letter.js';
import { PermanentHandlerError } from '../src/nats/errors.js';
import { buildEventHeaders } from '../src/nats/headers.js';
import { publishEvent } from '../src/nats/publish.js';
import { deadLetterStreamConfig, ensureConsumer, ensureStream } from '../src/nats/streams.js';
import { createMetrics } from '../src/service/metrics.js';
import { sampleSum } from '../src/testing/metrics.js';
import { type NatsServerHandle, startNatsServer } from '../src/testing/nats-harness.js';
import { makeContract, type OrderPlaced, order, orderSchema, uniqueName, waitFor } from './support/fixtures.js';

const STREAM = 'events';
const DLQ = 'events-dlq';

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const handles: EventConsumerHandle[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { name: STREAM, subjects: ['orders.>'] });
  await ensureStream(jsm, deadLetterStreamConfig(STREAM));
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

/** A fresh subject with its own durable, so tests never see each other's messages. */
async function fixture(consumer: { max_deliver?: number } = {}) {
  const subject = `orders.${uniqueName('t').replace(/-/g, '_')}.placed`;
  const durable = uniqueName('worker');
  await ensureConsumer(jsm, STREAM, { durable_name: durable, filter_subject: subject, ack_wait: nanos(5_000), ...consumer });
  return { subject, durable, v1: makeContract(subject, '1.0.0', orderSchema) };
}

async function start(durable: string, options: Omit<Parameters<typeof consumeEvents<OrderPlaced>>[1], 'stream' | 'durable'>) {
  const handle = await consumeEvents({ js }, { stream: STREAM, durable, nakDelayMs: 50, ...options });
  handles.push(handle);
  return handle;
}

async function deadLetters(subject: string): Promise<StoredMsg[]> {
  const info = await jsm.streams.info(DLQ, { subjects_filter: deadLetterSubject(subject) });
  const count = info.state.subjects?.[deadLetterSubject(subject)] ?? 0;
  const found: StoredMsg[] = [];
  for (let seq = info.state.first_seq; found.length < count && seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(DLQ, { seq });
    if (m?.subject === deadLetterSubject(subject)) found.push(m);
  }
  return found;
}

describe('consumeEvents', () => {
  it('delivers a published event with its payload and headers parsed back, and acks it', async () => {
    const { subject, durable, v1 } = await fixture();
    const seen: ConsumedEvent<OrderPlaced>[] = [];
    const handle = await start(durable, { contract: v1, handler: async (event) => void seen.push(event) });

    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const published = await publishEvent(js, v1, order(), {
      source: 'gateway',
      eventId: 'evt-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      traceparent: parent,
    });
    await waitFor(() => handle.counters.processed === 1);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ payload: order(), deliveryCount: 1, subject, streamSequence: published.seq });
    expect(seen[0]?.meta).toEqual(published.meta);
    expect(seen[0]?.meta).toMatchObject({
      eventId: 'evt-1',
      subject,
      schemaVersion: '1.0.0',
      source: 'gateway',
      correlationId: 'corr-1',
      causationId: 'cause-1',
    });
    expect(seen[0]?.meta.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    await waitFor(async () => (await jsm.consumers.info(STREAM, durable)).num_ack_pending === 0);
  });

  it('dead-letters rogue messages with reason and errors, terminates them, and keeps processing', async () => {
    const { subject, durable, v1 } = await fixture();
    const seen: string[] = [];
    const handle = await start(durable, { contract: v1, handler: async (e) => void seen.push(e.payload.orderId) });

    // A producer that skipped validation, one that sent garbage, one that sent no headers at all.
    const headers = buildEventHeaders({ eventId: 'rogue-1', subject, schemaVersion: '1.0.0', source: 'rogue' });
    const rogueAck = await js.publish(subject, JSON.stringify({ ...order(), side: 'hold', quantity: 'many' }), { headers });
    nc.publish(subject, '{not json', {
      headers: buildEventHeaders({ eventId: 'rogue-2', subject, schemaVersion: '1.0.0', source: 'rogue' }),
    });
    nc.publish(subject, JSON.stringify(order()));
    await publishEvent(js, v1, order({ orderId: 'good' }), { source: 'test' });

    await waitFor(() => handle.counters.processed === 1 && handle.counters.deadLettered === 3);
    expect(seen).toEqual(['good']);

    const letters = await deadLetters(subject);
    expect(letters.map((m) => m.header.get('dlq-reason'))).toEqual(['validation_failed', 'undecodable', 'invalid_headers']);

    const [invalid] = letters;
    expect(invalid?.string()).toBe(JSON.stringify({ ...order(), side: 'hold', quantity: 'many' }));
    expect(JSON.parse(invalid?.header.get('dlq-errors') ?? '')).toEqual([
      { path: '/side', keyword: 'enum', message: 'must be one of buy, sell' },
      { path: '/quantity', keyword: 'type', message: 'must be number' },
    ]);
    expect(invalid?.header.get('dlq-errors')).not.toContain('\n');
    expect(invalid?.header.get('ce-id')).toBe('rogue-1');
    expect(invalid?.header.get('Nats-Msg-Id')).toBe(`dlq-${STREAM}-${rogueAck.seq}`);
    expect(invalid?.header.get('dlq-original-subject')).toBe(subject);
    expect(invalid?.header.get('dlq-stream')).toBe(STREAM);
    expect(invalid?.header.get('dlq-stream-seq')).toBe(String(rogueAck.seq));
    expect(invalid?.header.get('dlq-consumer')).toBe(durable);
    expect(Date.parse(invalid?.header.get('dlq-time') ?? '')).not.toBeNaN();
    expect(JSON.parse(letters[2]?.header.get('dlq-errors') ?? '')).toContainEqual(expect.objectContaining({ path: '/headers/ce-id' }));

    // term() really terminated them on this server: nothing pending, nothing redelivered.
    const info = await jsm.consumers.info(STREAM, durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('counts each outcome by subject and consumer, and each refused message by subject, version and direction', async () => {
    const { subject, durable, v1 } = await fixture();
    const { registry, events: metrics } = createMetrics('test');
    const handle = await start(durable, {
      contract: v1,
      metrics,
      handler: async (event) => {
        if (event.payload.orderId === 'flaky' && event.deliveryCount === 1) throw new Error('briefly unavailable');
        if (event.payload.orderId === 'poison') throw new PermanentHandlerError('unknown instrument');
      },
    });

    const rogue = buildEventHeaders({ eventId: 'rogue-v1', subject, schemaVersion: '1.0.0', source: 'rogue' });
    await js.publish(subject, JSON.stringify({ ...order(), side: 'hold' }), { headers: rogue });
    await publishEvent(js, makeContract(subject, '7.0.0', orderSchema), order(), { source: 'future-producer' });
    for (const orderId of ['good', 'flaky', 'poison']) await publishEvent(js, v1, order({ orderId }), { source: 'test' });
    await waitFor(() => handle.counters.processed === 2 && handle.counters.deadLettered === 3);

    const text = await registry.metrics();
    const count = (labels: Record<string, string>) => sampleSum(text, 'events_consumed_total', { subject, consumer: durable, ...labels });
    expect([count({ outcome: 'ack' }), count({ outcome: 'nak' }), count({ outcome: 'dead_letter' })]).toEqual([2, 1, 3]);
    const refused = (labels: Record<string, string>) =>
      sampleSum(text, 'contract_validation_failures_total', { subject, direction: 'consume', ...labels });
    expect([refused({ schema_version: '1.0.0' }), refused({ schema_version: '7.0.0' })]).toEqual([1, 1]);
    expect(sampleSum(text, 'contract_validation_failures_total', { direction: 'publish' })).toBe(0);
  });

  it('dead-letters an unknown major version and routes each accepted major to the handler', async () => {
    const { subject, durable, v1 } = await fixture();
    const v2 = makeContract(subject, '2.1.0', orderSchema);
    const v3 = makeContract(subject, '3.0.0', orderSchema);
    const versions: string[] = [];
    const handle = await start(durable, { contract: [v1, v2], handler: async (e) => void versions.push(e.meta.schemaVersion) });

    await publishEvent(js, v3, order(), { source: 'future-producer', eventId: 'from-the-future' });
    await publishEvent(js, v1, order(), { source: 'test' });
    await publishEvent(js, v2, order(), { source: 'test' });
    await waitFor(() => handle.counters.processed === 2 && handle.counters.deadLettered === 1);

    expect(versions).toEqual(['1.0.0', '2.1.0']);
    const [letter] = await deadLetters(subject);
    expect(letter?.header.get('dlq-reason')).toBe('unknown_major_version');
    expect(letter?.header.get('ce-id')).toBe('from-the-future');
    expect(letter?.header.get('dlq-errors')).toContain('3.0.0');
  });

  it('naks a handler failure and succeeds on redelivery', async () => {
    const { durable, v1 } = await fixture();
    const deliveries: number[] = [];
    const handle = await start(durable, {
      contract: v1,
      handler: async (event) => {
        deliveries.push(event.deliveryCount);
        if (event.deliveryCount === 1) throw new Error('database briefly unavailable');
      },
    });

    await publishEvent(js, v1, order(), { source: 'test' });
    await waitFor(() => handle.counters.processed === 1);
    expect(deliveries).toEqual([1, 2]);
    expect(handle.counters).toEqual({ processed: 1, deadLettered: 0, nakked: 1 });
  });

  it('dead-letters on PermanentHandlerError without retrying', async () => {
    const { subject, durable, v1 } = await fixture();
    let calls = 0;
    const handle = await start(durable, {
      contract: v1,
      handler: async () => {
        calls++;
        throw new PermanentHandlerError('unknown instrument');
      },
    });

    await publishEvent(js, v1, order(), { source: 'test' });
    await waitFor(() => handle.counters.deadLettered === 1);
    expect(calls).toBe(1);
    const [letter] = await deadLetters(subject);
    expect(letter?.header.get('dlq-reason')).toBe('handler_rejected');
    expect(letter?.header.get('dlq-errors')).toContain('unknown instrument');
  });

  it('dead-letters a message that fails on its last allowed delivery', async () => {
    const { subject, durable, v1 } = await fixture({ max_deliver: 3 });
    const handle = await start(durable, {
      contract: v1,
      handler: async () => {
        throw new Error('still failing');
      },
    });

    await publishEvent(js, v1, order(), { source: 'test' });
    await waitFor(() => handle.counters.deadLettered === 1);
    expect(handle.counters.nakked).toBe(2);
    const [letter] = await deadLetters(subject);
    expect(letter?.header.get('dlq-reason')).toBe('max_deliveries');
  });

  it('stop() waits for the running handler, and no further message is started', async () => {
    const { durable, v1 } = await fixture();
    let release: () => void = () => {};
    const started: string[] = [];
    const handle = await start(durable, {
      contract: v1,
      handler: (event) => {
        started.push(event.payload.orderId);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });

    await publishEvent(js, v1, order({ orderId: 'first' }), { source: 'test' });
    await publishEvent(js, v1, order({ orderId: 'second' }), { source: 'test' });
    await waitFor(() => started.length === 1);

    let stopped = false;
    const stopping = handle.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(started).toEqual(['first']);
    expect(handle.running).toBe(false);
    expect(handle.counters.processed).toBe(1);
  });

  it('runs up to `concurrency` handlers at once', async () => {
    const { durable, v1 } = await fixture();
    const releases: (() => void)[] = [];
    const handle = await start(durable, {
      contract: v1,
      concurrency: 2,
      handler: () => new Promise<void>((resolve) => releases.push(resolve)),
    });

    for (const orderId of ['a', 'b', 'c']) await publishEvent(js, v1, order({ orderId }), { source: 'test' });
    await waitFor(() => releases.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(releases).toHaveLength(2);

    releases.shift()?.();
    await waitFor(() => releases.length === 2 && handle.counters.processed === 1);
    for (const release of releases.splice(0)) release();
    await waitFor(() => handle.counters.processed === 3);
  });

  it('de-duplicates a second dead-letter of the same stored message', async () => {
    const { subject, durable, v1 } = await fixture();
    await publishEvent(js, v1, order(), { source: 'test' });
    const msg = await (await js.consumers.get(STREAM, durable)).next({ expires: 5_000 });
    if (!msg) throw new Error('expected a message');

    const first = await deadLetter(js, { msg, reason: 'validation_failed', issues: [] });
    const second = await deadLetter(js, { msg, reason: 'validation_failed', issues: [] });
    msg.ack();
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    expect(await deadLetters(subject)).toHaveLength(1);
  });
});
