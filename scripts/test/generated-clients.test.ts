// The generated NATS code (generated/nats.ts, generated/streams.ts) against a real nats-server:
// provisioning from the contracts, a publish/consume round trip of every subject's example,
// validation before publish, de-duplication, and dead-lettering of a rogue message.
import { randomUUID } from 'node:crypto';
import { AckPolicy, type StoredMsg } from '@nats-io/jetstream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as clients from '../../generated/nats.js';
import { REGISTRY } from '../../generated/registry.js';
import { CONSUMERS, provisionStreams, STREAM_SUBJECTS } from '../../generated/streams.js';
import * as validators from '../../generated/validators.js';
import {
  buildEventHeaders,
  type ConsumedEvent,
  type ConsumeEventsOptions,
  ContractValidationError,
  connectNats,
  consumerSpec,
  DEFAULT_STREAM_NAME,
  DeadLetterHeader,
  DeadLetterReason,
  deadLetterStreamName,
  deadLetterSubject,
  type EventConsumerHandle,
  ensureConsumer,
  type NatsRuntime,
  type ProvisionReport,
  type PublishEventOptions,
  type PublishedEvent,
} from '../../services/core/src/index.js';
import { headersRecord } from '../../services/core/src/nats/headers.js';
import type { RegistryEntry } from '../../services/core/src/registry.js';
import { waitFor } from '../../services/core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../services/core/src/testing/nats-harness.js';

const STREAM = DEFAULT_STREAM_NAME;
const DLQ = deadLetterStreamName(STREAM);

type Publish = (js: NatsRuntime['js'], payload: unknown, options: PublishEventOptions) => Promise<PublishedEvent>;
type Consume = (nats: Pick<NatsRuntime, 'js'>, options: Omit<ConsumeEventsOptions<unknown>, 'contract'>) => Promise<EventConsumerHandle>;

type ValidateHeaders = (headers: unknown) => { ok: boolean };

function generatedFunction<F>(module: object, file: string, name: string): F {
  const fn = (module as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`${file} has no export ${name}`);
  return fn as F;
}
const publisher = (entry: RegistryEntry) => generatedFunction<Publish>(clients, 'generated/nats.ts', `publish${entry.typeName}`);
const consumer = (entry: RegistryEntry) => generatedFunction<Consume>(clients, 'generated/nats.ts', `consume${entry.typeName}`);
const headersValidator = (entry: RegistryEntry) =>
  generatedFunction<ValidateHeaders>(validators, 'generated/validators.ts', `validate${entry.typeName}Headers`);

function entryFor(subject: string): RegistryEntry {
  const entry = REGISTRY.find((e) => e.subject === subject);
  if (!entry) throw new Error(`no registry entry for ${subject}`);
  return entry;
}

function firstExample(entry: RegistryEntry) {
  const example = entry.examples[0];
  if (!example) throw new Error(`${entry.subject} has no example`);
  return example;
}

async function streamMessages(stream: string): Promise<number> {
  return (await nats.jsm.streams.info(stream)).state.messages;
}

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

let server: NatsServerHandle;
let nats: NatsRuntime;
let firstReport: ProvisionReport;
const handles: EventConsumerHandle[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  expect(server.port).not.toBe(4222);
  nats = await connectNats({ servers: server.url, name: 'generated-clients-test' });
  firstReport = await provisionStreams(nats.jsm);
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

afterAll(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
  await nats?.close();
  await server?.stop();
});

async function startConsumer(entry: RegistryEntry, durable: string, handler: (event: ConsumedEvent<unknown>) => void) {
  const handle = await consumer(entry)(nats, {
    stream: STREAM,
    durable,
    nakDelayMs: 50,
    handler: async (event) => handler(event),
  });
  handles.push(handle);
  return handle;
}

describe('provisionStreams', () => {
  it('creates the platform stream, its dead-letter stream and every declared consumer', async () => {
    expect(firstReport.streams).toEqual({ [STREAM]: 'created', [DLQ]: 'created' });
    expect(firstReport.consumers).toEqual(Object.fromEntries(CONSUMERS.map((c) => [c.durable, 'created'])));

    const stream = await nats.jsm.streams.info(STREAM);
    expect([...stream.config.subjects].sort()).toEqual([...STREAM_SUBJECTS].sort());
    expect([...STREAM_SUBJECTS].sort()).toEqual(REGISTRY.map((e) => e.subject).sort());
    expect((await nats.jsm.streams.info(DLQ)).config.subjects).toEqual([deadLetterSubject('>')]);

    for (const declaration of CONSUMERS) {
      const info = await nats.jsm.consumers.info(STREAM, declaration.durable);
      expect(info.config.durable_name).toBe(declaration.durable);
      expect(info.config.filter_subject).toBe(declaration.subject);
      expect(info.config.ack_policy).toBe(AckPolicy.Explicit);
      if (declaration.maxAckPending !== undefined) expect(info.config.max_ack_pending).toBe(declaration.maxAckPending);
    }
  });

  it('reports everything unchanged when run again', async () => {
    const again = await provisionStreams(nats.jsm);
    expect(again.streams).toEqual({ [STREAM]: 'unchanged', [DLQ]: 'unchanged' });
    expect(again.consumers).toEqual(Object.fromEntries(CONSUMERS.map((c) => [c.durable, 'unchanged'])));
  });
});

describe('generated publish and consume', () => {
  it.each(REGISTRY.map((entry) => [entry.subject, entry] as const))(
    '%s: the first example goes through publish and comes back on its durable consumers',
    async (_, entry) => {
      const example = firstExample(entry);
      const h = example.headers;
      const causationId = h['ce-causationid'] ?? `cause-${randomUUID()}`;
      const published = await publisher(entry)(nats.js, example.payload, {
        source: h['ce-source'] ?? entry.owner,
        eventId: h['ce-id'],
        correlationId: h['ce-correlationid'],
        causationId,
        traceparent: h.traceparent,
        time: new Date(h['ce-time'] ?? Date.now()),
      });
      expect(published).toMatchObject({ eventId: h['ce-id'], stream: STREAM, duplicate: false });

      // What went on the wire satisfies the subject's header contract.
      const stored = await nats.jsm.streams.getMessage(STREAM, { seq: published.seq });
      expect(stored?.subject).toBe(entry.subject);
      const wireHeaders = headersRecord(stored?.header);
      expect(headersValidator(entry)(wireHeaders)).toEqual({ ok: true, value: wireHeaders });
      expect(wireHeaders).toMatchObject({ 'ce-type': entry.subject, 'ce-schemaversion': entry.version, 'Nats-Msg-Id': h['ce-id'] });

      let durables = CONSUMERS.filter((c) => c.subject === entry.subject).map((c) => c.durable);
      if (durables.length === 0) {
        // No service declares a receive operation for this subject: read it back on a test durable.
        const durable = `contract-test-${entry.subject.replace(/\./g, '-')}`;
        await ensureConsumer(nats.jsm, STREAM, consumerSpec({ durable, service: 'contract-test', subject: entry.subject }));
        durables = [durable];
      }
      for (const durable of durables) {
        const seen: ConsumedEvent<unknown>[] = [];
        const handle = await startConsumer(entry, durable, (event) => {
          if (event.meta.eventId === published.eventId) seen.push(event);
        });
        await waitFor(() => seen.length > 0, `${entry.subject} on ${durable}`);
        expect(handle.counters.deadLettered).toBe(0);
        const [event] = seen;
        expect(event?.payload).toEqual(example.payload);
        expect(event?.subject).toBe(entry.subject);
        expect(event?.streamSequence).toBe(published.seq);
        expect(event?.meta).toEqual(published.meta);
        expect(event?.meta).toMatchObject({
          eventId: h['ce-id'],
          subject: entry.subject,
          schemaVersion: entry.version,
          source: h['ce-source'],
          time: h['ce-time'],
          correlationId: h['ce-correlationid'],
          causationId,
        });
        // A child span of the example's trace.
        expect(event?.meta.traceparent?.split('-')[1]).toBe(h.traceparent?.split('-')[1]);
        await handle.stop();
      }
    },
  );

  it.each(REGISTRY.map((entry) => [entry.subject, entry] as const))(
    '%s: an invalid payload throws ContractValidationError naming the field and publishes nothing',
    async (_, entry) => {
      const [field] = (entry.payloadSchema.required ?? []) as string[];
      expect(field).toBeDefined();
      const payload = { ...(firstExample(entry).payload as Record<string, unknown>) };
      delete payload[field as string];
      const before = await streamMessages(STREAM);

      const err = await catchError(publisher(entry)(nats.js, payload, { source: entry.owner, eventId: `invalid-${randomUUID()}` }));
      expect(err).toBeInstanceOf(ContractValidationError);
      const error = err as ContractValidationError;
      expect(error.subject).toBe(entry.subject);
      expect(error.version).toBe(entry.version);
      expect(error.issues).toContainEqual(expect.objectContaining({ path: `/${field}`, keyword: 'required' }));
      expect(error.message).toContain(`"${field}"`);
      expect(await streamMessages(STREAM)).toBe(before);
    },
  );

  it('names a nested field in the error of an invalid order intent', async () => {
    const entry = entryFor('decisions.order_intent');
    const payload = structuredClone(firstExample(entry).payload) as { instrument: Record<string, unknown> };
    payload.instrument.assetClass = 'equities';
    const before = await streamMessages(STREAM);

    const err = await catchError(clients.publishOrderIntent(nats.js, payload as never, { source: 'agent-mcp' }));
    expect(err).toBeInstanceOf(ContractValidationError);
    expect((err as Error).message).toContain('/instrument/assetClass: must be one of futures, fx, crypto');
    expect(await streamMessages(STREAM)).toBe(before);
  });

  it('reports a re-sent event id as a duplicate and stores it once', async () => {
    const entry = entryFor('executions.fill');
    const payload = firstExample(entry).payload;
    const eventId = `dup-${randomUUID()}`;
    const before = await streamMessages(STREAM);

    const first = await publisher(entry)(nats.js, payload, { source: entry.owner, eventId });
    const second = await publisher(entry)(nats.js, payload, { source: entry.owner, eventId });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect(await streamMessages(STREAM)).toBe(before + 1);
  });
});

describe('dead-lettering', () => {
  it('sends a rogue order intent to the DLQ and keeps handling the next valid one', async () => {
    const entry = entryFor('decisions.order_intent');
    const example = firstExample(entry);
    const durable = CONSUMERS.find((c) => c.subject === entry.subject && c.service === 'exec-sim')?.durable;
    expect(durable).toBeDefined();

    // A producer that skipped validation: valid headers, a payload without `side` and a bad quantity.
    const rogueId = `rogue-${randomUUID()}`;
    const rogue: Record<string, unknown> = { ...(example.payload as Record<string, unknown>), quantity: -2 };
    delete rogue.side;
    const rogueBody = JSON.stringify(rogue);
    const headers = buildEventHeaders({ eventId: rogueId, subject: entry.subject, schemaVersion: entry.version, source: 'rogue-producer' });
    expect(validators.validateOrderIntentHeaders(headersRecord(headers))).toMatchObject({ ok: true });
    const dlqBefore = await streamMessages(DLQ);
    const rogueAck = await nats.js.publish(entry.subject, rogueBody, { headers, msgID: rogueId });

    const validId = `valid-${randomUUID()}`;
    const valid = { ...(example.payload as Record<string, unknown>), clientOrderId: 'after-rogue-0001' };
    await clients.publishOrderIntent(nats.js, valid as never, { source: entry.owner, eventId: validId });

    const handled: string[] = [];
    const handle = await startConsumer(entry, durable as string, (event) => {
      handled.push(event.meta.eventId);
    });
    await waitFor(() => handled.includes(validId) && handle.counters.deadLettered >= 1, 'the valid intent and one dead letter');
    expect(handled).not.toContain(rogueId);
    expect(handle.running).toBe(true);

    const letter: StoredMsg | null = await nats.jsm.streams.getMessage(DLQ, { last_by_subj: deadLetterSubject(entry.subject) });
    expect(letter?.subject).toBe(`dlq.${entry.subject}`);
    expect(letter?.string()).toBe(rogueBody);
    expect(letter?.header.get(DeadLetterHeader.Reason)).toBe(DeadLetterReason.ValidationFailed);
    expect(letter?.header.get(DeadLetterHeader.OriginalSubject)).toBe(entry.subject);
    expect(letter?.header.get(DeadLetterHeader.Stream)).toBe(STREAM);
    expect(letter?.header.get(DeadLetterHeader.StreamSeq)).toBe(String(rogueAck.seq));
    expect(letter?.header.get(DeadLetterHeader.Consumer)).toBe(durable);
    expect(letter?.header.get('ce-id')).toBe(rogueId);
    const errors = JSON.parse(letter?.header.get(DeadLetterHeader.Errors) ?? '[]') as { path: string; keyword: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/side', keyword: 'required' }),
        expect.objectContaining({ path: '/quantity', keyword: 'exclusiveMinimum' }),
      ]),
    );
    expect(await streamMessages(DLQ)).toBe(dlqBefore + 1);

    // Terminated, not redelivered: nothing is left pending on the durable.
    await waitFor(async () => (await nats.jsm.consumers.info(STREAM, durable as string)).num_ack_pending === 0, 'no pending acks');
  });
});
