// Hostile requests against exec-sim's trade API (in process, real HTTP, a real nats-server): bad
// keys, intents broken every way the contract forbids, huge numbers, unicode tricks, prototype
// keys, wrong methods, hostile ids and queries, malformed and slow HTTP. Reads answer 200, the
// refused 4xx with a reason, valid manual orders 202; decisions.order_intent grows by exactly
// the 202s; exec-sim stays healthy.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams } from '../../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../../../services/core/src/testing/nats-harness.js';
import { loadExecSimConfig } from '../../../services/exec-sim/src/config.js';
import { type RunningExecSim, startExecSim } from '../../../services/exec-sim/src/exec-sim.js';
import { assertNoFailures, failuresOf, type HttpCase, httpCase, sendAll, WRONG_METHODS } from './cases.js';
import { encodeSegment, headerSafeString, hostileString, hostileValue, notJson } from './hostile.js';
import { KeepAliveClient } from './http.js';
import { bearerHeader, hostileIntent, ORDER_INTENT_SUBJECT, validIntent } from './intents.js';
import { malformedAndSlowRequests, malformedRequest, slowRequest } from './raw-cases.js';
import { fuzzOptions, SERVICE_RUNS } from './settings.js';
import { subjectCount } from './stream-count.js';

const API_KEY = 'exec-api-key-fuzz-0123456789';
const STREAM = 'trading-events';
const REQUEST_TIMEOUT_MS = 1_500;
const ANSWER_TIMEOUT_MS = 10_000;
const BODY_LIMIT = 64 * 1024;
const BATCH = 50;
const MAX_FILLS = 5_000;
const logger = createLogger({ service: 'exec-sim-fuzz', env: 'test', level: 'silent' });

let server: NatsServerHandle;
let observer: NatsRuntime;
let sim: RunningExecSim;
let client: KeepAliveClient;

beforeAll(async () => {
  server = await startNatsServer();
  observer = await connectNats({ servers: server.url, name: 'fuzz-observer' });
  await provisionStreams(observer.jsm, { stream: STREAM });
  sim = await startExecSim(
    loadExecSimConfig({
      NATS_URL: server.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      EXEC_API_KEY: API_KEY,
      EXEC_SIM_SEED: '7',
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    }),
    logger,
  );
  client = new KeepAliveClient(sim.port);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  await observer?.close();
  await server?.stop();
});

const intentsPublished = () => subjectCount(observer.jsm, STREAM, ORDER_INTENT_SUBJECT);
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

// ---- what each request should get ----------------------------------------------------------

const auth = bearerHeader(API_KEY);

const manualOrder: fc.Arbitrary<HttpCase> = fc
  .record({
    auth,
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
    body: fc.oneof(
      { weight: 3, arbitrary: validIntent.map((intent) => ({ bytes: json(intent), valid: true, label: 'valid intent' })) },
      { weight: 6, arbitrary: hostileIntent.map(({ text, label }) => ({ bytes: Buffer.from(text, 'utf8'), valid: false, label })) },
      { weight: 2, arbitrary: notJson.map((bytes) => ({ bytes, valid: false, label: 'not JSON' })) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(fc.array(hostileValue), hostileString, fc.double(), fc.constant(null))
          .map((value) => ({ bytes: json(value), valid: false, label: 'not an object' })),
      },
      { weight: 1, arbitrary: fc.constant({ bytes: Buffer.alloc(0), valid: false, label: 'empty body' }) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 2 }).map((size) => ({
          bytes: Buffer.alloc(size, ' '),
          valid: false,
          label: 'oversize',
        })),
      },
    ),
  })
  .map(({ auth, contentType, body }) => {
    const request = {
      method: 'POST',
      path: '/orders',
      headers: { ...(auth.header === undefined ? {} : { authorization: auth.header }), 'content-type': contentType },
      body: body.bytes,
    };
    if (body.bytes.length > BODY_LIMIT) return httpCase('oversize', request, [413]);
    if (!auth.valid) return httpCase(`bad key: ${auth.label}`, request, [401]);
    return httpCase(body.label, request, [body.valid ? 202 : 400]);
  });

/** Order ids the fuzz never creates, so a lookup or cancel of one is a 404. */
const unknownOrderId = hostileString.filter((id) => id.length > 0 && !id.startsWith('fz-'));

/** `limit` as the API reads it: an integer from 1 to MAX_FILLS, after Number(). */
const fillsLimitValid = (limit: string) => {
  const n = Number(limit);
  return Number.isInteger(n) && n >= 1 && n <= MAX_FILLS;
};

const read: fc.Arbitrary<HttpCase> = fc.oneof(
  fc
    .record({ status: hostileString, strategyId: hostileString })
    .map((q) =>
      httpCase(
        'orders query',
        { method: 'GET', path: `/orders?status=${encodeSegment(q.status)}&strategyId=${encodeSegment(q.strategyId)}` },
        [200],
      ),
    ),
  hostileString.map((s) => httpCase('positions query', { method: 'GET', path: `/positions?strategyId=${encodeSegment(s)}` }, [200])),
  fc.constantFrom('/pnl', '/risk', '/orders', '/positions').map((path) => httpCase('plain read', { method: 'GET', path }, [200])),
  fc
    .oneof(hostileString, fc.integer({ min: -10, max: MAX_FILLS + 10 }).map(String), fc.constantFrom('1e3', '0x10', ' 7 ', '1.5', ''))
    .map((limit) =>
      httpCase(`fills limit ${JSON.stringify(limit)}`, { method: 'GET', path: `/fills?limit=${encodeSegment(limit)}` }, [
        fillsLimitValid(limit) ? 200 : 400,
      ]),
    ),
  unknownOrderId.map((id) => httpCase('unknown order', { method: 'GET', path: `/orders/${encodeSegment(id)}` }, [404])),
);

const WRITE_ROUTES = ['/risk/halt', '/risk/reduce', '/risk/resume', '/reconcile', '/orders/some-order/cancel'];

const otherWrite: fc.Arbitrary<HttpCase> = fc.oneof(
  // Every write route refuses a request without the key, before it does anything.
  fc
    .record({ path: fc.constantFrom(...WRITE_ROUTES), auth: auth.filter((a) => !a.valid) })
    .map(({ path, auth }) =>
      httpCase(
        `bad key: ${auth.label}`,
        { method: 'POST', path, headers: auth.header === undefined ? {} : { authorization: auth.header } },
        [401],
      ),
    ),
  unknownOrderId.map((id) =>
    httpCase(
      'cancel an unknown order',
      { method: 'POST', path: `/orders/${encodeSegment(id)}/cancel`, headers: { authorization: `Bearer ${API_KEY}` } },
      [404],
    ),
  ),
  fc
    .record({ method: fc.constantFrom(...WRONG_METHODS), path: fc.constantFrom('/orders', '/risk/halt', '/reconcile', '/fills') })
    .filter(({ method, path }) => !(method === 'GET' && ['/orders', '/fills'].includes(path)))
    .map(({ method, path }) => httpCase('wrong method', { method, path, headers: { authorization: `Bearer ${API_KEY}` } }, [405])),
  fc
    .record({ method: fc.constantFrom('GET', 'POST'), body: headerSafeString })
    .map(({ method, body }) => httpCase('stray path', { method, path: `/x/${encodeSegment(body)}` }, [404])),
);

const anyCase = fc.oneof({ weight: 5, arbitrary: manualOrder }, { weight: 3, arbitrary: read }, { weight: 2, arbitrary: otherWrite });

/** Intents a 202 says it published (a re-sent clientOrderId is a duplicate and stores nothing). */
function intentsOwed(answer: { status: number; body: string }): number {
  return answer.status === 202 && !(JSON.parse(answer.body) as { duplicate: boolean }).duplicate ? 1 : 0;
}

describe('exec-sim trade API under hostile requests', () => {
  it('answers every well-formed hostile request with its status and a reason, and publishes only the 202s', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const before = await intentsPublished();
        const outcomes = await sendAll(client, cases, ANSWER_TIMEOUT_MS);
        assertNoFailures('trade API', failuresOf(cases, outcomes));
        const owed = outcomes.reduce((sum, o) => sum + (o.ok ? intentsOwed(o.answer) : 0), 0);
        accepted += owed;
        expect(await intentsPublished(), 'intents published in this batch').toBe(before + owed);
      }),
      fuzzOptions('exec-sim, well-formed HTTP', SERVICE_RUNS, BATCH),
    );
    console.info(`[fuzz] exec-sim: ${accepted} valid manual orders published`);
    expect((await client.send({ method: 'GET', path: '/health' }, ANSWER_TIMEOUT_MS)).status).toBe(200);
  }, 120_000);

  malformedAndSlowRequests({
    service: 'exec-sim',
    port: () => sim.port,
    published: intentsPublished,
    // No key anywhere: whatever an injected header adds, the write is refused.
    malformed: malformedRequest(['/orders', '/risk/halt', '/reconcile'], ['Authorization', 'Content-Type', 'User-Agent']),
    malformedRuns: Math.ceil(SERVICE_RUNS / 5),
    slow: slowRequest('POST', '/orders', [`Authorization: Bearer ${API_KEY}`, 'Content-Type: application/json'], REQUEST_TIMEOUT_MS),
    slowRuns: 4,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
});
