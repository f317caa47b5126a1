// Hostile webhooks against the real gateway (in process, real HTTP, a real nats-server): bad
// credentials, bad JSON, huge numbers, deep nesting, unicode tricks, wrong methods and content
// types, oversize, malformed and slow requests. Each request gets the status its shape calls for
// (4xx, or 202 for the ones built to be valid), always with a reason; the stream grows by
// exactly what the 202s say was published; the gateway stays healthy.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams, type SignalRaw } from '../../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../../services/core/src/index.js';
import { eventsOn, waitFor } from '../../../services/core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../../services/core/src/testing/nats-harness.js';
import { loadGatewayConfig } from '../../../services/gateway/src/config.js';
import { type RunningGateway, startGateway } from '../../../services/gateway/src/gateway.js';
import { assertNoFailures, failuresOf, type HttpCase, httpCase, sendAll, WRONG_METHODS } from './cases.js';
import { brief, encodeSegment, headerSafeString, hostileString, notJson, tradingViewLike, trickyJsonText } from './hostile.js';
import { KeepAliveClient } from './http.js';
import { malformedAndSlowRequests, malformedRequest, slowRequest } from './raw-cases.js';
import { fuzzOptions, GATEWAY_RUNS } from './settings.js';

const TOKEN = 'tv-token-fuzz-0123456789';
const SECRET = 'hmac-secret-fuzz';
const STREAM = 'trading-events';
const BODY_LIMIT = 8 * 1024;
const REQUEST_TIMEOUT_MS = 1_500;
const ANSWER_TIMEOUT_MS = 10_000;
const BATCH = 50;
const RAW_RUNS = Math.ceil(GATEWAY_RUNS / 10);
const SLOW_RUNS = 12;
const logger = createLogger({ service: 'gateway-fuzz', env: 'test', level: 'silent' });

let server: NatsServerHandle;
let observer: NatsRuntime;
let gateway: RunningGateway;
let client: KeepAliveClient;
let spoolDir: string;

beforeAll(async () => {
  server = await startNatsServer();
  observer = await connectNats({ servers: server.url, name: 'fuzz-observer' });
  await provisionStreams(observer.jsm, { stream: STREAM });
  spoolDir = mkdtempSync(path.join(tmpdir(), 'gateway-fuzz-spool-'));
  const config = loadGatewayConfig({
    NATS_URL: server.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TRADINGVIEW_WEBHOOK_TOKEN: TOKEN,
    API_KEY_HMAC_SECRET: SECRET,
    GATEWAY_SPOOL_DIR: spoolDir,
    GATEWAY_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  gateway = await startGateway(config, logger);
  await waitFor(() => gateway.nats()?.connected === true, 'the gateway to connect to NATS');
  client = new KeepAliveClient(gateway.port);
});

afterAll(async () => {
  client?.close();
  await gateway?.stop();
  await observer?.close();
  await server?.stop();
  if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
});

// ---- what a webhook should get -------------------------------------------------------------

/** Content types and whether the gateway must parse the body as JSON (application/json, +json). */
const CONTENT_TYPES: readonly [string | undefined, boolean][] = [
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['APPLICATION/JSON', true],
  ['application/vnd.tradingview+json', true],
  ['text/plain', false],
  ['text/plain; charset=utf-8', false],
  ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=xyz', false],
  ['application/jsonp', false],
  ['application/octet-stream', false],
  ['', false],
  [undefined, false],
];

const parsesAsJson = (body: Buffer) => {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

interface WebhookShape {
  body: Buffer;
  contentType: string | undefined;
  json: boolean;
  idempotencyKey: string | undefined;
}

/** The status the gateway owes a webhook past its route and credential checks. */
function statusOfAuthenticated({ body, json, idempotencyKey }: WebhookShape): number {
  if (body.length === 0) return 400;
  // HTTP drops a header value's leading and trailing spaces and tabs before anyone reads it.
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(trimmed(idempotencyKey))) return 400;
  if (json && !parsesAsJson(body)) return 400;
  return 202;
}

const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: tradingViewLike.map((alert) => Buffer.from(JSON.stringify(alert), 'utf8')) },
  { weight: 3, arbitrary: trickyJsonText.map((text) => Buffer.from(text, 'utf8')) },
  { weight: 3, arbitrary: notJson },
  { weight: 1, arbitrary: hostileString.map((text) => Buffer.from(`BUY 0.25 BINANCE:BTCUSDT @ ${text}`, 'utf8')) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 3 }).map((size) => Buffer.alloc(size, '{"a":1}')),
  },
);

const trimmed = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');

// Valid keys are never reused: a key re-sent with another body is a known gap (the gateway says
// duplicate, yet the new body's normalized signal can be stored), not what this run measures.
let keysIssued = 0;
const freshIdempotencyKey = fc.constant(null).map(() => `fuzz-key-${++keysIssued}`);
const badIdempotencyKey = headerSafeString.filter((key) => !IDEMPOTENCY_KEY.test(trimmed(key)));

const webhookShape: fc.Arbitrary<WebhookShape> = fc
  .record({
    body,
    contentType: fc.constantFrom(...CONTENT_TYPES),
    idempotencyKey: fc.option(fc.oneof(freshIdempotencyKey, badIdempotencyKey), { freq: 4, nil: undefined }),
  })
  .map(({ body, contentType: [contentType, json], idempotencyKey }) => ({ body, contentType, json, idempotencyKey }));

const noiseHeaders = fc.dictionary(
  fc.constantFrom('user-agent', 'x-forwarded-for', 'x-request-id', 'x-real-ip', 'forwarded', 'x-fuzz', 'accept', 'cookie'),
  headerSafeString,
  { maxKeys: 3 },
);

function headersOf(shape: WebhookShape, noise: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...noise,
    ...(shape.contentType === undefined ? {} : { 'content-type': shape.contentType }),
    ...(shape.idempotencyKey === undefined ? {} : { 'x-idempotency-key': shape.idempotencyKey }),
    ...extra,
  };
}

const badToken = fc
  .oneof(
    hostileString,
    fc.constantFrom(TOKEN.toUpperCase(), `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.replace('e', '\u0435'), ` ${TOKEN}`, `${TOKEN}\u0000`),
  )
  .filter((token) => token !== TOKEN && token.length > 0);

const tradingViewCase: fc.Arbitrary<HttpCase> = fc
  .record({ valid: fc.boolean(), token: badToken, shape: webhookShape, noise: noiseHeaders, chunked: fc.boolean() })
  .map(({ valid, token, shape, noise, chunked }) => {
    const request = {
      method: 'POST',
      path: `/webhooks/tradingview/${encodeSegment(valid ? TOKEN : token)}`,
      headers: headersOf(shape, noise),
      body: shape.body,
      chunked,
    };
    if (shape.body.length > BODY_LIMIT) return httpCase('oversize', request, [413]);
    if (!valid) return httpCase(`bad token ${brief(token, 40)}`, request, [401, 404]);
    const status = statusOfAuthenticated(shape);
    return httpCase(status === 202 ? 'valid TradingView webhook' : 'bad TradingView webhook', request, [status]);
  });

const hmac = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest('hex');

type Signature = { header: string; value: string; valid: boolean; label: string } | undefined;

/** A signature header for `body`, right or wrong in one of the ways senders get it wrong. */
function signatureFor(kind: number, body: Buffer, junk: string): Signature {
  const now = Math.floor(Date.now() / 1000);
  const timestamped = (secret: string, t: number, signed: Buffer = body) =>
    `t=${t},v1=${hmac(secret, Buffer.concat([Buffer.from(`${t}.`), signed]))}`;
  switch (kind) {
    case 0:
      return { header: 'x-signature', value: timestamped(SECRET, now), valid: true, label: 'signed' };
    case 1:
      return { header: 'x-hub-signature-256', value: `sha256=${hmac(SECRET, body)}`, valid: true, label: 'github-signed' };
    case 2:
      return {
        header: 'x-signature',
        value: `t=${now},v1=${'0'.repeat(64)},${timestamped(SECRET, now).split(',')[1]}`,
        valid: true,
        label: 'one good v1',
      };
    case 3:
      return { header: 'x-signature', value: timestamped('wrong-secret', now), valid: false, label: 'wrong secret' };
    case 4:
      return { header: 'x-signature', value: timestamped(SECRET, now - 3_600), valid: false, label: 'stale timestamp' };
    case 5:
      return { header: 'x-signature', value: timestamped(SECRET, now + 3_600), valid: false, label: 'future timestamp' };
    case 6:
      return {
        header: 'x-signature',
        value: timestamped(SECRET, now, Buffer.concat([body, Buffer.from(' ')])),
        valid: false,
        label: 'other body',
      };
    case 7:
      return { header: 'x-hub-signature-256', value: `sha256=${hmac('wrong-secret', body)}`, valid: false, label: 'github wrong secret' };
    case 8:
      return { header: 'x-signature', value: junk, valid: false, label: 'junk x-signature' };
    case 9:
      return { header: 'x-hub-signature-256', value: junk, valid: false, label: 'junk x-hub-signature-256' };
    default:
      return undefined;
  }
}

/** Signed sources: a lower-case name of up to 32 characters; TradingView has its own route. */
const SOURCE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const source = fc
  .oneof(
    fc.constantFrom('alerts', 'my-bot', 'a', `s${'x'.repeat(31)}`),
    fc.constantFrom('Alerts', 'tradingview', '1abc', `s${'x'.repeat(32)}`, 'a b', 'a.b', '\u0430lerts'),
    hostileString.filter((name) => name.length > 0),
  )
  .map((name) => ({ name, valid: SOURCE_NAME.test(name) && name !== 'tradingview' }));

const signedCase: fc.Arbitrary<HttpCase> = fc
  .record({ source, shape: webhookShape, noise: noiseHeaders, kind: fc.integer({ min: 0, max: 10 }), junk: headerSafeString })
  .map(({ source, shape, noise, kind, junk }) => {
    const signature = signatureFor(kind, shape.body, junk);
    const request = {
      method: 'POST',
      path: `/webhooks/${encodeSegment(source.name)}`,
      headers: headersOf(shape, noise, signature ? { [signature.header]: signature.value } : {}),
      body: shape.body,
    };
    if (shape.body.length > BODY_LIMIT) return httpCase('oversize', request, [413]);
    if (!source.valid) return httpCase(`unknown source ${brief(source.name, 40)}`, request, [404]);
    if (!signature?.valid) return httpCase(signature?.label ?? 'unsigned', request, [401]);
    const status = statusOfAuthenticated(shape);
    return httpCase(`${signature.label} ${status === 202 ? 'valid' : 'bad'} webhook`, request, [status]);
  });

const wrongMethodCase: fc.Arbitrary<HttpCase> = fc
  .record({ method: fc.constantFrom(...WRONG_METHODS), route: fc.constantFrom(`/webhooks/tradingview/${TOKEN}`, '/webhooks/alerts'), body })
  .map(({ method, route, body }) =>
    httpCase(
      'wrong method',
      { method, path: route, headers: { 'content-type': 'application/json' }, body: body.subarray(0, BODY_LIMIT) },
      [405],
    ),
  );

const strayPathCase: fc.Arbitrary<HttpCase> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
    segments: fc.array(hostileString, { minLength: 1, maxLength: 4 }),
  })
  .map(({ method, segments }) => httpCase('stray path', { method, path: `/x/${segments.map(encodeSegment).join('/')}` }, [404]));

const anyCase: fc.Arbitrary<HttpCase> = fc.oneof(
  { weight: 5, arbitrary: tradingViewCase },
  { weight: 4, arbitrary: signedCase },
  { weight: 1, arbitrary: wrongMethodCase },
  { weight: 1, arbitrary: strayPathCase },
);

// ---- checks around each batch --------------------------------------------------------------

const lastSeq = async () => (await observer.jsm.streams.info(STREAM)).state.last_seq;

/** Events a 202 answer says it stored: the raw signal, and the normalized one when there is one. */
function eventsStored(answer: { status: number; body: string }): number {
  if (answer.status !== 202) return 0;
  const { duplicate, normalized } = JSON.parse(answer.body) as { duplicate: boolean; normalized: boolean };
  return duplicate ? 0 : normalized ? 2 : 1;
}

async function expectHealthy(): Promise<void> {
  const health = await client.send({ method: 'GET', path: '/health' }, ANSWER_TIMEOUT_MS);
  expect(health.status).toBe(200);
}

describe('gateway under hostile webhooks', () => {
  // Found while fuzzing: the raw signal recorded the path with the TradingView token in it.
  it('never records the TradingView token in a raw signal', async () => {
    const answer = await client.send(
      {
        method: 'POST',
        path: `/webhooks/tradingview/${TOKEN}`,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('token check'),
      },
      ANSWER_TIMEOUT_MS,
    );
    expect(answer.status).toBe(202);
    const raws = await eventsOn<SignalRaw>(observer.jsm, STREAM, 'signals.raw');
    expect(raws.find((raw) => raw.body === 'token check')?.path).toBe('/webhooks/tradingview');
    expect(JSON.stringify(raws)).not.toContain(TOKEN);
  });

  it('answers every well-formed hostile request with its status and a reason, and publishes only for the 202s', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const before = await lastSeq();
        const outcomes = await sendAll(client, cases, ANSWER_TIMEOUT_MS);
        assertNoFailures('webhooks', failuresOf(cases, outcomes));
        await gateway.delivery.flush();
        const owed = outcomes.reduce((sum, o) => sum + (o.ok ? eventsStored(o.answer) : 0), 0);
        accepted += outcomes.filter((o) => o.ok && o.answer.status === 202).length;
        expect(await lastSeq(), 'events stored in this batch').toBe(before + owed);
      }),
      fuzzOptions('gateway, well-formed HTTP', GATEWAY_RUNS - RAW_RUNS - SLOW_RUNS, BATCH),
    );
    console.info(`[fuzz] gateway: ${accepted} of the well-formed requests were valid webhooks (202)`);
    await expectHealthy();
  }, 180_000);

  malformedAndSlowRequests({
    service: 'gateway',
    port: () => gateway.port,
    published: lastSeq,
    // No valid credentials anywhere: whatever an injected header adds, the request is refused.
    malformed: malformedRequest(
      ['/webhooks/tradingview/not-the-token', '/webhooks/alerts', '/health'],
      ['X-Idempotency-Key', 'User-Agent', 'Content-Type', 'X-Signature', 'X-Forwarded-For'],
    ),
    malformedRuns: RAW_RUNS,
    slow: slowRequest('POST', `/webhooks/tradingview/${TOKEN}`, ['Content-Type: application/json'], REQUEST_TIMEOUT_MS),
    slowRuns: SLOW_RUNS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
});
