import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPublishError } from '../src/nats/errors.js';
import { parseEventHeaders } from '../src/nats/headers.js';
import { publishEvent } from '../src/nats/publish.js';
import { ensureStream } from '../src/nats/streams.js';
import { createMetrics } from '../src/service/metrics.js';
import { sampleSum } from '../src/testing/metrics.js';
import { type NatsServerHandle, startNatsServer } from '../src/testing/nats-harness.js';
import { ContractValidationError } from '../src/validation.js';
import { makeContract, type OrderPlaced, order, orderSchema, uniqueName } from './support/fixtures.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

async function freshStream() {
  const stream = uniqueName('events');
  await ensureStream(jsm, { name: stream, subjects: [`${stream}.>`] });
  return { stream, contract: makeContract(`${stream}.orders.placed`, '1.0.0', orderSchema) };
}

const messageCount = async (stream: string) => (await jsm.streams.info(stream)).state.messages;

describe('publishEvent', () => {
  it('stores the validated payload with the event headers', async () => {
    const { stream, contract } = await freshStream();
    const published = await publishEvent(js, contract, order(), { source: 'test', eventId: 'evt-1', causationId: 'evt-0' });
    expect(published).toMatchObject({ eventId: 'evt-1', stream, seq: 1, duplicate: false });

    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(stored?.subject).toBe(contract.subject);
    expect(stored?.json()).toEqual(order());
    expect(stored?.header.get('Nats-Msg-Id')).toBe('evt-1');
    expect(parseEventHeaders(stored?.header)).toEqual({ ok: true, value: published.meta });
  });

  it('rejects an invalid payload before sending: ContractValidationError names the field, the stream stays empty', async () => {
    const { stream, contract } = await freshStream();
    const invalid = { ...order(), side: 'hold' } as unknown as OrderPlaced;

    const failure = publishEvent(js, contract, invalid, { source: 'test' });
    await expect(failure).rejects.toBeInstanceOf(ContractValidationError);
    await expect(failure).rejects.toMatchObject({
      subject: contract.subject,
      version: '1.0.0',
      issues: [{ path: '/side', keyword: 'enum', message: 'must be one of buy, sell' }],
      message: expect.stringContaining('/side: must be one of buy, sell'),
    });
    expect(await messageCount(stream)).toBe(0);
  });

  it('reports a re-sent event id inside the duplicate window as duplicate, storing it once', async () => {
    const { stream, contract } = await freshStream();
    const first = await publishEvent(js, contract, order(), { source: 'test', eventId: 'alert-42' });
    const second = await publishEvent(js, contract, order({ quantity: 99 }), { source: 'test', eventId: 'alert-42' });

    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ eventId: 'alert-42', duplicate: true, seq: first.seq });
    expect(await messageCount(stream)).toBe(1);
  });

  it('generates distinct event ids when none is given', async () => {
    const { stream, contract } = await freshStream();
    const a = await publishEvent(js, contract, order(), { source: 'test' });
    const b = await publishEvent(js, contract, order(), { source: 'test' });
    expect(a.eventId).not.toBe(b.eventId);
    expect(await messageCount(stream)).toBe(2);
  });

  it('counts what it published by subject and outcome, and a refused payload by subject, version and direction', async () => {
    const { contract } = await freshStream();
    const { registry, events: metrics } = createMetrics('test');
    await publishEvent(js, contract, order(), { source: 'test', eventId: 'counted-1', metrics });
    await publishEvent(js, contract, order(), { source: 'test', eventId: 'counted-1', metrics });
    await publishEvent(js, contract, order(), { source: 'test', metrics });
    const invalid = { ...order(), quantity: -1 };
    await expect(publishEvent(js, contract, invalid, { source: 'test', metrics })).rejects.toBeInstanceOf(ContractValidationError);
    const nowhere = makeContract(uniqueName('nowhere'), '1.0.0', orderSchema);
    await expect(publishEvent(js, nowhere, order(), { source: 'test', timeoutMs: 500, metrics })).rejects.toBeInstanceOf(EventPublishError);

    const text = await registry.metrics();
    const subject = contract.subject;
    expect(sampleSum(text, 'events_published_total', { subject, outcome: 'stored' })).toBe(2);
    expect(sampleSum(text, 'events_published_total', { subject, outcome: 'duplicate' })).toBe(1);
    expect(sampleSum(text, 'events_published_total', { subject: nowhere.subject, outcome: 'failed' })).toBe(1);
    expect(sampleSum(text, 'contract_validation_failures_total', { subject, schema_version: '1.0.0', direction: 'publish' })).toBe(1);
    expect(sampleSum(text, 'contract_validation_failures_total')).toBe(1);
  });

  it('wraps a broker refusal (no stream for the subject) in EventPublishError with the cause', async () => {
    const contract = makeContract(uniqueName('nowhere'), '1.0.0', orderSchema);
    const failure = publishEvent(js, contract, order(), { source: 'test', eventId: 'evt-x', timeoutMs: 1000 });
    await expect(failure).rejects.toBeInstanceOf(EventPublishError);
    await expect(failure).rejects.toMatchObject({ subject: contract.subject, eventId: 'evt-x', cause: expect.any(Error) });
  });
});
