// The gateway over real HTTP against a real nats-server: TradingView samples become the expected
// signals, signed webhooks are checked, re-sent webhooks give one event, and a NATS outage loses
// nothing (the spool, including across a gateway restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams, type SignalNormalized, type SignalRaw } from '../../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../core/src/index.js';
import { eventsOn as eventsIn, waitFor } from '../../core/src/testing/events.js';
import { sampleSum } from '../../core/src/testing/metrics.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { signTimestamped } from '../src/auth/signatures.js';
import { loadGatewayConfig } from '../src/config.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';

const TOKEN = 'tv-token-0123456789abcdef';
const SECRET = 'hmac-secret-for-tests';
const STREAM = 'trading-events';
const eventsOn = <T>(subject: string) => eventsIn<T>(observer.jsm, STREAM, subject);
const logger = createLogger({ service: 'gateway-test', env: 'test', level: 'silent' });

let server: NatsServerHandle;
let observer: NatsRuntime;
const dirs: string[] = [];

function spoolDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-spool-'));
  dirs.push(dir);
  return dir;
}

async function gateway(dir = spoolDir(), extraEnv: Record<string, string> = {}): Promise<RunningGateway> {
  const config = loadGatewayConfig({
    ...extraEnv,
    NATS_URL: server.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TRADINGVIEW_WEBHOOK_TOKEN: `old-token-aaaaaaaaaaaa,${TOKEN}`,
    API_KEY_HMAC_SECRET: SECRET,
    GATEWAY_SPOOL_DIR: dir,
    GATEWAY_PUBLISH_TIMEOUT_MS: '1000',
  });
  const running = await startGateway(config, logger);
  await waitFor(() => running.nats()?.connected === true, 'gateway connected to NATS');
  return running;
}

async function purge(): Promise<void> {
  await observer.jsm.streams.purge(STREAM);
}

function post(gw: RunningGateway, pathname: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${gw.port}${pathname}`, { method: 'POST', body, headers });
}

const scrape = async (gw: RunningGateway) => (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();

const tv = (gw: RunningGateway, body: string, contentType = 'application/json', token = TOKEN) =>
  post(gw, `/webhooks/tradingview/${token}`, body, { 'content-type': contentType });

beforeAll(async () => {
  server = await startNatsServer();
  observer = await connectNats({ servers: server.url, name: 'observer', reconnectTimeWaitMs: 100 });
  await provisionStreams(observer.jsm, { stream: STREAM });
});

afterAll(async () => {
  await observer?.close();
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('TradingView webhooks', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await gateway();
  });
  afterAll(async () => gw?.stop());

  it.each([
    {
      name: 'futures, JSON',
      body: '{"ticker":"CME_MINI:ES1!","action":"buy","contracts":"2","price":"6012.25","interval":"5","time":"2026-11-24T14:25:00Z","timenow":"2026-11-24T14:30:00Z"}',
      contentType: 'application/json',
      expected: {
        instrument: { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true },
        action: 'buy',
        side: 'buy',
        quantity: 2,
        price: 6012.25,
        interval: '5',
      },
    },
    {
      name: 'fx, JSON sent as text/plain',
      body: '{"ticker":"OANDA:EURUSD","action":"sell","contracts":10000,"price":1.08345,"interval":"60","timenow":"2026-11-24T14:30:00Z"}',
      contentType: 'text/plain; charset=utf-8',
      expected: {
        instrument: { symbol: 'EURUSD', assetClass: 'fx', venue: 'OANDA', baseCurrency: 'EUR', quoteCurrency: 'USD' },
        action: 'sell',
        side: 'sell',
        quantity: 10000,
        price: 1.08345,
        interval: '60',
      },
    },
    {
      name: 'crypto, plain text',
      body: 'BUY 0.25 BINANCE:BTCUSDT @ 97123.5',
      contentType: 'text/plain',
      expected: {
        instrument: { symbol: 'BTCUSDT', assetClass: 'crypto', venue: 'BINANCE', baseCurrency: 'BTC', quoteCurrency: 'USDT' },
        action: 'buy',
        side: 'buy',
        quantity: 0.25,
        price: 97123.5,
      },
    },
  ])('$name becomes signals.raw (verbatim) and the expected signals.normalized', async ({ body, contentType, expected }) => {
    await purge();
    const res = await tv(gw, body, contentType);
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { eventId: string; signalId: string; status: string; normalized: boolean };
    expect(answer).toMatchObject({ status: 'published', normalized: true, duplicate: false });
    const [raw] = await eventsOn<SignalRaw>('signals.raw');
    expect(raw).toMatchObject({ rawSignalId: answer.eventId, source: 'tradingview', body, contentType });
    const [signal] = await eventsOn<SignalNormalized>('signals.normalized');
    expect(signal).toMatchObject({ ...expected, signalId: answer.signalId, rawSignalId: answer.eventId, source: 'tradingview' });
  });

  it('answers a re-sent webhook with the same ids and stores one event', async () => {
    await purge();
    const body = '{"ticker":"NQ1!","action":"sell","contracts":1,"price":21050.5,"timenow":"2026-11-24T15:00:00Z"}';
    const first = (await (await tv(gw, body)).json()) as { eventId: string };
    const second = (await (await tv(gw, body)).json()) as { eventId: string; duplicate: boolean };
    expect(second).toMatchObject({ eventId: first.eventId, duplicate: true });
    expect(await eventsOn('signals.raw')).toHaveLength(1);
    expect(await eventsOn('signals.normalized')).toHaveLength(1);
  });

  it('keeps the raw signal and reports why when normalization fails', async () => {
    await purge();
    const stored = async (subject: string) => sampleSum(await scrape(gw), 'events_published_total', { subject, outcome: 'stored' });
    const before = { raw: await stored('signals.raw'), normalized: await stored('signals.normalized') };
    const res = await tv(gw, '{"ticker":"{{ticker}}","action":"buy"}');
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ normalized: false, reason: expect.stringContaining('ticker') });
    expect(await eventsOn('signals.raw')).toHaveLength(1);
    expect(await eventsOn('signals.normalized')).toHaveLength(0);
    expect({ raw: await stored('signals.raw'), normalized: await stored('signals.normalized') }).toEqual({
      raw: before.raw + 1,
      normalized: before.normalized,
    });
  });

  it.each([
    ['a wrong token', 401, () => tv(gw, '{"ticker":"ES1!","action":"buy"}', 'application/json', 'wrong-token')],
    ['malformed JSON sent as JSON', 400, () => tv(gw, '{"ticker": "ES1!",', 'application/json')],
    ['an empty body', 400, () => tv(gw, '', 'text/plain')],
    ['an oversize body', 413, () => tv(gw, JSON.stringify({ pad: 'x'.repeat(70_000) }))],
    [
      'an oversize chunked body (no Content-Length)',
      413,
      () =>
        fetch(`http://127.0.0.1:${gw.port}/webhooks/tradingview/${TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: new ReadableStream({
            start(controller) {
              for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
              controller.close();
            },
          }),
          duplex: 'half',
        } as RequestInit),
    ],
    ['an unknown route', 404, () => post(gw, '/webhooks', '{}')],
    ['a wrong method', 405, () => fetch(`http://127.0.0.1:${gw.port}/webhooks/tradingview/${TOKEN}`)],
    ['a bad idempotency key', 400, () => post(gw, `/webhooks/tradingview/${TOKEN}`, 'BUY 1 ES1!', { 'x-idempotency-key': 'has space' })],
  ])('refuses %s with %i, a reason, and publishes nothing', async (_name, status, send) => {
    await purge();
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    expect(await eventsOn('signals.raw')).toHaveLength(0);
  });
});

describe('signed webhooks from other sources', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await gateway();
  });
  afterAll(async () => gw?.stop());
  const body = '{"ticker":"COINBASE:ETH-USD","action":"buy","qty":"1.5","price":"3650.10"}';
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['a valid signature', 202, () => signTimestamped(SECRET, now(), body)],
    ['a wrong secret', 401, () => signTimestamped('nope', now(), body)],
    ['a stale timestamp', 401, () => signTimestamped(SECRET, now() - 600, body)],
    ['a future timestamp', 401, () => signTimestamped(SECRET, now() + 600, body)],
    ['a malformed header', 401, () => 'v1=deadbeef'],
  ])('%s -> %i', async (_name, status, header) => {
    await purge();
    const res = await post(gw, '/webhooks/mybot', body, { 'content-type': 'application/json', 'x-signature': header() });
    expect(res.status).toBe(status);
    if (status === 401) expect(await res.json()).toEqual({ error: 'invalid or missing webhook credentials' });
    expect(await eventsOn('signals.raw')).toHaveLength(status === 202 ? 1 : 0);
  });

  it('rejects a tampered body', async () => {
    const res = await post(gw, '/webhooks/mybot', body.replace('1.5', '15'), {
      'content-type': 'application/json',
      'x-signature': signTimestamped(SECRET, now(), body),
    });
    expect(res.status).toBe(401);
  });

  it('counted every webhook of the source by outcome, and timed the accepted one', async () => {
    const text = await scrape(gw);
    expect(sampleSum(text, 'gateway_webhooks_total', { source: 'mybot', outcome: 'published' })).toBe(1);
    expect(sampleSum(text, 'gateway_webhooks_total', { source: 'mybot', outcome: 'unauthorized' })).toBe(5);
    expect(sampleSum(text, 'gateway_ingest_duration_seconds_count', { source: 'mybot', outcome: 'published' })).toBe(1);
    expect(sampleSum(text, 'gateway_ingest_duration_seconds_count')).toBe(1);
  });
});

describe('NATS outage', () => {
  const alert = (i: number) =>
    JSON.stringify({
      ticker: 'ES1!',
      action: i % 2 ? 'sell' : 'buy',
      contracts: 1,
      price: 6000 + i,
      timenow: `2026-11-24T16:${String(i).padStart(2, '0')}:00Z`,
    });

  it('loses nothing: every webhook sent across a broker outage arrives exactly once, in order', async () => {
    await purge();
    const gw = await gateway();
    const statuses: string[] = [];
    const send = async (i: number) => {
      const res = await tv(gw, alert(i));
      expect(res.status).toBe(202);
      statuses.push(((await res.json()) as { status: string }).status);
    };
    for (let i = 0; i < 10; i++) await send(i);
    await server.pause();
    for (let i = 10; i < 25; i++) await send(i);
    const ready = (await (await fetch(`http://127.0.0.1:${gw.port}/ready`)).json()) as { status: string };
    expect(ready.status).toBe('degraded');
    await server.resume();
    await waitFor(async () => (await eventsOn('signals.raw')).length >= 25, 'the spool to drain');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const prices = (await eventsOn<SignalNormalized>('signals.normalized')).map((s) => s.price);
    expect(prices).toEqual(Array.from({ length: 25 }, (_, i) => 6000 + i));
    expect(await eventsOn('signals.raw')).toHaveLength(25);
    expect(statuses.filter((s) => s === 'queued').length).toBeGreaterThan(0);
    await gw.stop();
  }, 60_000);

  it('keeps spooled webhooks across a gateway restart', async () => {
    await purge();
    const dir = spoolDir();
    const first = await gateway(dir);
    await server.pause();
    for (let i = 30; i < 33; i++) expect((await (await tv(first, alert(i))).json()) as object).toMatchObject({ status: 'queued' });
    await first.stop();
    await server.resume();
    const second = await gateway(dir);
    await waitFor(async () => (await eventsOn('signals.normalized')).length >= 3, 'the restarted gateway to flush its spool');
    expect((await eventsOn<SignalNormalized>('signals.normalized')).map((s) => s.price)).toEqual([6030, 6031, 6032]);
    await second.stop();
  }, 60_000);
});

describe('sender allowlist', () => {
  it('refuses senders outside TRADINGVIEW_IP_ALLOWLIST and believes X-Forwarded-For only from trusted proxies', async () => {
    await purge();
    const gw = await gateway(spoolDir(), { TRADINGVIEW_IP_ALLOWLIST: '52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7' });
    const forwarded = { 'content-type': 'text/plain', 'x-forwarded-for': '52.89.214.238' };
    const direct = await post(gw, `/webhooks/tradingview/${TOKEN}`, 'BUY 1 ES1!', forwarded);
    expect(direct.status).toBe(403);
    await gw.stop();

    const behindProxy = await gateway(spoolDir(), { TRADINGVIEW_IP_ALLOWLIST: '52.89.214.238', TRUSTED_PROXIES: '127.0.0.1' });
    expect((await post(behindProxy, `/webhooks/tradingview/${TOKEN}`, 'BUY 1 ES1!', forwarded)).status).toBe(202);
    expect(
      (await post(behindProxy, `/webhooks/tradingview/${TOKEN}`, 'BUY 2 ES1!', { ...forwarded, 'x-forwarded-for': '6.6.6.6' })).status,
    ).toBe(403);
    await behindProxy.stop();
    expect(await eventsOn('signals.raw')).toHaveLength(1);
  });
});

describe('backpressure', () => {
  const alert = (i: number) =>
    JSON.stringify({
      ticker: 'CL1!',
      action: 'buy',
      contracts: 1,
      price: 70 + i / 100,
      timenow: `2026-11-24T17:${String(i).padStart(2, '0')}:00Z`,
    });

  it('answers 503 with Retry-After once the spool holds GATEWAY_MAX_SPOOL_DEPTH webhooks', async () => {
    await purge();
    const gw = await gateway(spoolDir(), { GATEWAY_MAX_SPOOL_DEPTH: '3' });
    await server.pause();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await tv(gw, alert(i));
      statuses.push(res.status);
      if (res.status === 503) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([202, 202, 202, 503, 503]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await server.resume();
    await waitFor(async () => (await eventsOn('signals.raw')).length >= 3, 'the spool to drain');
    expect(await eventsOn('signals.raw')).toHaveLength(3);
    await gw.stop();
  }, 60_000);

  it('answers 429 with Retry-After while the signal consumers are more than GATEWAY_MAX_CONSUMER_PENDING behind', async () => {
    await purge();
    const gw = await gateway(spoolDir(), { GATEWAY_MAX_CONSUMER_PENDING: '4' });
    for (let i = 10; i < 14; i++) expect((await tv(gw, alert(i))).status).toBe(202);
    // Nobody consumes agent-mcp-signals here: its backlog is 4; the gateway polls it every second.
    let res = await tv(gw, alert(14));
    const deadline = Date.now() + 5_000;
    while (res.status !== 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res = await tv(gw, alert(15 + Math.floor((deadline - Date.now()) / 200)));
    }
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    await gw.stop();
  }, 30_000);
});
