// agent-mcp against a real nats-server: normalized signals in, order intents out with
// deterministic ids and causation, no second order for a re-sent signal, every agent sees every
// signal, enable/disable at run time, configuration through REST, and the bearer key.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderIntent, provisionStreams, publishSignalNormalized, type SignalNormalized } from '../../../generated/index.js';
import { connectNats, createLogger, deterministicId, type NatsRuntime } from '../../core/src/index.js';
import { waitFor } from '../../core/src/testing/events.js';
import { sampleSum } from '../../core/src/testing/metrics.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { type RunningAgentMcp, startAgentMcp } from '../src/agent-mcp.js';
import { loadAgentMcpConfig } from '../src/config.js';
import { agentClientOrderId, intentEventId } from '../src/runtime/ids.js';

const STREAM = 'trading-events';
const API_KEY = 'agent-api-key-0123456789';
const logger = createLogger({ service: 'agent-mcp-test', env: 'test', level: 'silent' });
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;

let server: NatsServerHandle;
let client: NatsRuntime;
let dir: string;
let svc: RunningAgentMcp;

interface Stored {
  payload: OrderIntent;
  headers: Record<string, string>;
}

async function intents(): Promise<Stored[]> {
  const info = await client.jsm.streams.info(STREAM);
  const out: Stored[] = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const msg = await client.jsm.streams.getMessage(STREAM, { seq }).catch(() => null);
    if (msg?.subject !== 'decisions.order_intent') continue;
    const headers: Record<string, string> = {};
    for (const [key, values] of msg.header ?? []) headers[key.toLowerCase()] = values[0] ?? '';
    out.push({ payload: msg.json<OrderIntent>(), headers });
  }
  return out;
}

const intentsFor = async (key: string) =>
  (await intents()).filter((i) => i.payload.causationId === deterministicId('signals.normalized', key));

function tvSignal(key: string, overrides: Partial<SignalNormalized> = {}): SignalNormalized {
  return {
    signalId: deterministicId('signals.normalized', key),
    rawSignalId: deterministicId('signals.raw', key),
    idempotencyKey: key,
    source: 'tradingview',
    instrument: ES,
    action: 'buy',
    quantity: 1,
    price: 6000.25,
    eventTime: '2026-11-24T14:30:00Z',
    receivedAt: '2026-11-24T14:30:01Z',
    ...overrides,
  };
}

const send = (signal: SignalNormalized, eventId = signal.signalId) =>
  publishSignalNormalized(client.js, signal, { source: 'test', eventId });

const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${svc.port}${path}`, init);
const metric = async (name: string, labels: Record<string, string>) => sampleSum(await (await api('/metrics')).text(), name, labels);
const write = (method: string, path: string, body?: unknown, key: string | null = API_KEY) =>
  api(path, {
    method,
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startNatsServer();
  client = await connectNats({ servers: server.url, name: 'test-client', reconnectTimeWaitMs: 100 });
  await provisionStreams(client.jsm, { stream: STREAM });
  dir = await mkdtemp(join(tmpdir(), 'agent-mcp-test-'));
  const agentsFile = join(dir, 'agents.yaml');
  await writeFile(
    agentsFile,
    [
      'agents:',
      '  - id: tv-a',
      '    kind: tradingview-follow',
      '  - id: tv-b',
      '    kind: tradingview-follow',
      '    strategyId: tv-b-strategy',
      '    config: { defaultQuantity: 2 }',
    ].join('\n'),
  );
  svc = await startAgentMcp(
    loadAgentMcpConfig({ NATS_URL: server.url, PORT: '0', HOST: '127.0.0.1', AGENT_API_KEY: API_KEY, AGENTS_CONFIG: agentsFile }),
    logger,
  );
});

afterAll(async () => {
  await svc?.stop();
  await client?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('agent-mcp runtime', () => {
  it('creates one durable per agent on signals.normalized', async () => {
    for (const durable of ['agent-tv-a', 'agent-tv-b', 'agent-mcp-signals']) {
      const info = await client.jsm.consumers.info(STREAM, durable);
      expect(info.config.filter_subject).toBe('signals.normalized');
    }
    const ready = await api('/ready');
    expect(ready.status).toBe(200);
  });

  it('turns a TradingView signal into one intent per agent, with deterministic ids and causation', async () => {
    const key = 'tradingview:alert:first';
    const signal = tvSignal(key);
    await send(signal);
    await waitFor(async () => (await intentsFor(key)).length === 2, 'two intents');
    const found = await intentsFor(key);
    const a = found.find((i) => i.payload.agentId === 'tv-a');
    const b = found.find((i) => i.payload.agentId === 'tv-b');
    expect(a?.payload).toMatchObject({
      clientOrderId: agentClientOrderId('tv-a', key),
      strategyId: 'tv-a',
      instrument: ES,
      side: 'buy',
      quantity: 1,
      orderType: 'market',
      reduceOnly: false,
      causationId: signal.signalId,
    });
    expect(b?.payload).toMatchObject({ clientOrderId: agentClientOrderId('tv-b', key), strategyId: 'tv-b-strategy', quantity: 1 });
    expect(a?.payload.clientOrderId).not.toBe(b?.payload.clientOrderId);
    expect(a?.headers['nats-msg-id']).toBe(intentEventId(agentClientOrderId('tv-a', key)));
    expect(a?.headers['ce-id']).toBe(a?.headers['nats-msg-id']);
    expect(a?.headers['ce-causationid']).toBe(signal.signalId);
    expect(a?.headers['ce-source']).toBe('/services/agent-mcp');
    expect(svc.control.get('tv-a')).toMatchObject({ signalsSeen: 1, intentsEmitted: 1, state: { positions: { 'ESZ6@CME': 1 } } });
  });

  it('never places a second order for the same signal, re-published or re-sent under a new event id', async () => {
    const key = 'tradingview:alert:first';
    const again = await send(tvSignal(key));
    expect(again.duplicate).toBe(true);
    // The same signal as a new message (a redelivery past the stream's dedupe): the agents see it again.
    await send(tvSignal(key), deterministicId('test-resend', key));
    // A later signal, consumed after the re-sent one: once its intents are out, the re-sent one was handled.
    await send(tvSignal('tradingview:alert:marker', { action: 'exit' }));
    await waitFor(async () => (await intentsFor('tradingview:alert:marker')).length === 2, 'the marker intents');
    expect(await intentsFor(key)).toHaveLength(2);
    expect(svc.control.get('tv-a')).toMatchObject({ signalsSeen: 2, intentsEmitted: 2, state: { positions: {} } });
    expect(await metric('agent_signals_consumed_total', { agent: 'tv-a', outcome: 'evaluated' })).toBe(2);
    expect(await metric('agent_signals_consumed_total', { agent: 'tv-a', outcome: 'repeated' })).toBe(1);
    expect(await metric('agent_order_intents_total', { agent: 'tv-a', strategy: 'tv-a', outcome: 'duplicate' })).toBe(1);
    const published = await metric('agent_order_intents_total', { agent: 'tv-b', strategy: 'tv-b-strategy', outcome: 'published' });
    expect(published).toBe(2);
    expect(await metric('agent_signal_to_intent_seconds_count', { agent: 'tv-b' })).toBe(published);
    // The marker was an exit: reduce-only sells of what each agent held (1 each), not of a doubled position.
    expect((await intentsFor('tradingview:alert:marker')).map((i) => [i.payload.side, i.payload.quantity, i.payload.reduceOnly])).toEqual([
      ['sell', 1, true],
      ['sell', 1, true],
    ]);
  });

  it('the submitter reports a re-submitted intent as a duplicate', async () => {
    const intent: OrderIntent = {
      clientOrderId: 'ag-submitter-test',
      strategyId: 'manual',
      agentId: 'test',
      instrument: ES,
      side: 'buy',
      orderType: 'limit',
      limitPrice: 5000,
      timeInForce: 'GTC',
      quantity: 1,
      reduceOnly: false,
      createdAt: '2026-11-24T14:30:00Z',
    };
    expect(await svc.submitter.submit(intent, { dryRun: true })).toMatchObject({ ok: true, dryRun: true });
    expect(await svc.submitter.submit(intent)).toMatchObject({
      ok: true,
      dryRun: false,
      duplicate: false,
      eventId: intentEventId(intent.clientOrderId),
    });
    expect(await svc.submitter.submit(intent)).toMatchObject({ ok: true, duplicate: true });
    const bad = await svc.submitter.submit({ ...intent, quantity: -1 });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('quantity') });
    const counted = async (outcome: string) => metric('agent_order_intents_total', { agent: 'test', strategy: 'manual', outcome });
    expect([await counted('dry_run'), await counted('published'), await counted('duplicate'), await counted('invalid')]).toEqual([
      1, 1, 1, 1,
    ]);
    // No signal behind it: no signal-to-intent time.
    expect(await metric('agent_signal_to_intent_seconds_count', { agent: 'test' })).toBe(0);
  });

  it('a disabled agent acts on nothing; enabled again it resumes', async () => {
    const disabled = await write('POST', '/agents/tv-b/disable');
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { agent: { enabled: boolean } }).agent.enabled).toBe(false);
    await send(tvSignal('tradingview:alert:while-disabled'));
    await waitFor(async () => (await intentsFor('tradingview:alert:while-disabled')).length === 1, 'tv-a intent');
    expect(await metric('agent_enabled', { agent: 'tv-b' })).toBe(0);
    await waitFor(
      async () => (await metric('agent_signals_consumed_total', { agent: 'tv-b', outcome: 'disabled' })) === 1,
      'tv-b skipped it',
    );
    expect(await write('POST', '/agents/tv-b/enable').then((r) => r.status)).toBe(200);
    expect(await metric('agent_enabled', { agent: 'tv-b' })).toBe(1);
    await send(tvSignal('tradingview:alert:enabled-again'));
    await waitFor(async () => (await intentsFor('tradingview:alert:enabled-again')).length === 2, 'both intents');
    expect((await intentsFor('tradingview:alert:while-disabled')).map((i) => i.payload.agentId)).toEqual(['tv-a']);
  });

  it('PUT config: a bad one is refused with the reason and the old one stays; a good one applies', async () => {
    const before = ((await (await api('/agents/tv-a')).json()) as { agent: { config: unknown } }).agent.config;
    const bad = await write('PUT', '/agents/tv-a/config', { sizing: 'risk', riskPerTrade: 500 });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; issues: { field: string }[] };
    expect(body.error).toContain('stopTicks: is required when sizing is "risk"');
    expect(body.issues.map((i) => i.field)).toContain('stopTicks');
    expect(((await (await api('/agents/tv-a')).json()) as { agent: { config: unknown } }).agent.config).toEqual(before);

    const good = await write('PUT', '/agents/tv-a/config', { sizing: 'risk', riskPerTrade: 500, stopTicks: 8 });
    expect(good.status).toBe(200);
    await send(tvSignal('tradingview:alert:risk-sized', { quantity: 1 }));
    await waitFor(async () => (await intentsFor('tradingview:alert:risk-sized')).length === 2, 'risk-sized intents');
    const sized = (await intentsFor('tradingview:alert:risk-sized')).find((i) => i.payload.agentId === 'tv-a');
    expect(sized?.payload.quantity).toBe(5); // 500 / (8 ticks × 0.25 × 50)
    expect(await write('PUT', '/agents/nope/config', {}).then((r) => r.status)).toBe(404);
  });

  it('REST writes need the bearer key; reads do not', async () => {
    expect((await api('/agents')).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/agents/tv-a/enable'],
      ['POST', '/agents/tv-a/disable'],
      ['PUT', '/agents/tv-a/config'],
    ] as const) {
      expect(await write(method, path, {}, null).then((r) => r.status)).toBe(401);
      expect(await write(method, path, {}, 'wrong-key-0123456789').then((r) => r.status)).toBe(401);
    }
    expect(svc.control.get('tv-a')?.enabled).toBe(true);
  });

  it('keeps the recent signals, newest first', async () => {
    await waitFor(() => svc.signals.recent().length >= 5, 'signals in the ring');
    const recent = svc.signals.recent({ symbol: 'ESZ6' });
    expect(recent[0]?.idempotencyKey).toBe('tradingview:alert:risk-sized');
    expect(new Set(recent.map((s) => s.signalId)).size).toBe(recent.length);
    expect(svc.signals.recent({ assetClass: 'fx' })).toEqual([]);
  });
});
