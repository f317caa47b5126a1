// exec-sim against a real nats-server: intents in, fills and order updates out, the trade API,
// risk denials on the wire, duplicate intents, and kill -9 in the middle of a stream of intents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OrderFilled,
  type OrderIntent,
  type OrderUpdated,
  provisionStreams,
  publishOrderIntent,
  publishSignalNormalized,
  type SignalNormalized,
} from '../../../generated/index.js';
import { connectNats, createLogger, deterministicId, type NatsRuntime } from '../../core/src/index.js';
import { eventsOn as eventsIn, waitFor } from '../../core/src/testing/events.js';
import { sampleSum } from '../../core/src/testing/metrics.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { loadExecSimConfig } from '../src/config.js';
import { type RunningExecSim, startExecSim } from '../src/exec-sim.js';
import { spawnExecSim } from './support/exec-sim-process.js';

const STREAM = 'trading-events';
const eventsOn = <T>(subject: string) => eventsIn<T>(client.jsm, STREAM, subject);
const API_KEY = 'exec-api-key-0123456789';
const logger = createLogger({ service: 'exec-sim-test', env: 'test', level: 'silent' });
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;

let server: NatsServerHandle;
let client: NatsRuntime;

function price(value: number, at: string): SignalNormalized {
  return {
    signalId: deterministicId('test-price', `${value}:${at}`),
    rawSignalId: deterministicId('test-price-raw', `${value}:${at}`),
    idempotencyKey: `test:${value}:${at}`,
    source: 'test',
    instrument: ES,
    action: 'buy',
    price: value,
    eventTime: at,
    receivedAt: at,
  };
}

function intent(clientOrderId: string, overrides: Partial<OrderIntent> = {}): OrderIntent {
  return {
    clientOrderId,
    strategyId: 'orb',
    agentId: 'tradingview-follow',
    instrument: ES,
    side: 'buy',
    orderType: 'market',
    timeInForce: 'GTC',
    quantity: 1,
    reduceOnly: false,
    createdAt: '2026-11-24T14:30:00Z',
    ...overrides,
  };
}

const sendPrice = (value: number, at = '2026-11-24T14:29:00Z') =>
  publishSignalNormalized(client.js, price(value, at), {
    source: 'test',
    eventId: deterministicId('signals.normalized', `${value}:${at}`),
  });
const sendIntent = (i: OrderIntent) =>
  publishOrderIntent(client.js, i, {
    source: 'test',
    eventId: deterministicId('decisions.order_intent', i.clientOrderId),
    time: new Date(i.createdAt),
  });

async function fresh(): Promise<void> {
  for (const name of [STREAM, 'exec-sim-journal']) await client.jsm.streams.delete(name).catch(() => undefined);
  await provisionStreams(client.jsm, { stream: STREAM });
}

beforeAll(async () => {
  server = await startNatsServer();
  client = await connectNats({ servers: server.url, name: 'test-client', reconnectTimeWaitMs: 100 });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('exec-sim in-process', () => {
  let sim: RunningExecSim;
  const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${sim.port}${path}`, init);
  const write = (path: string, body?: unknown, key = API_KEY) =>
    api(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    await fresh();
    sim = await startExecSim(
      loadExecSimConfig({ NATS_URL: server.url, PORT: '0', HOST: '127.0.0.1', EXEC_API_KEY: API_KEY, EXEC_SIM_SEED: '7' }),
      logger,
    );
    await sendPrice(6000.25);
  });
  afterAll(async () => sim?.stop());
  const metrics = async () => (await api('/metrics')).text();

  it('fills a market intent from NATS and publishes the order update and the fill', async () => {
    await sendIntent(intent('it-market-1', { quantity: 2 }));
    await waitFor(
      async () => (await eventsOn<OrderFilled>('executions.fill')).some((f) => f.clientOrderId === 'it-market-1' && f.leavesQty === 0),
      'the fill',
    );
    const fills = (await eventsOn<OrderFilled>('executions.fill')).filter((f) => f.clientOrderId === 'it-market-1');
    expect(fills.reduce((sum, f) => sum + f.lastQty, 0)).toBe(2);
    expect(fills[0]).toMatchObject({ strategyId: 'orb', side: 'buy', instrument: ES, commission: { currency: 'USD' } });
    const updates = (await eventsOn<OrderUpdated>('executions.order')).filter((u) => u.clientOrderId === 'it-market-1');
    expect(updates.map((u) => u.status)).toContain('filled');
    const positions = (await (await api('/positions?strategyId=orb')).json()) as { positions: { quantity: number }[] };
    expect(positions.positions[0]?.quantity).toBe(2);
  });

  it('never fills the same client order id twice', async () => {
    await sendIntent(intent('it-dup-1'));
    await publishOrderIntent(client.js, intent('it-dup-1'), { source: 'test', eventId: 'a-different-event-id-for-the-same-order' });
    await waitFor(
      async () =>
        (await eventsOn<OrderUpdated>('executions.order')).some(
          (u) => u.clientOrderId === 'it-dup-1' && u.reasonCode === 'DUPLICATE_CLIENT_ORDER_ID',
        ),
      'the duplicate rejection',
    );
    const fills = (await eventsOn<OrderFilled>('executions.fill')).filter((f) => f.clientOrderId === 'it-dup-1');
    expect(fills.reduce((sum, f) => sum + f.lastQty, 0)).toBe(1);
  });

  it('publishes a risk denial with its reason code and shows it in the API', async () => {
    await sendIntent(intent('it-huge-1', { quantity: 100_000 }));
    await waitFor(
      async () => (await eventsOn<OrderUpdated>('executions.order')).some((u) => u.clientOrderId === 'it-huge-1'),
      'the rejection',
    );
    const update = (await eventsOn<OrderUpdated>('executions.order')).find((u) => u.clientOrderId === 'it-huge-1');
    expect(update).toMatchObject({ status: 'rejected', reasonCode: expect.stringMatching(/^RISK_/) });
    const order = (await (await api('/orders/it-huge-1')).json()) as { order: { status: string; reasonCode: string } };
    expect(order.order).toMatchObject({ status: 'rejected', reasonCode: update?.reasonCode });
  });

  it('accepts a manual order through POST /orders (published as an intent) and cancels a resting one', async () => {
    const res = await write('/orders', {
      clientOrderId: 'manual-limit-1',
      instrument: ES,
      side: 'buy',
      orderType: 'limit',
      limitPrice: 5990,
      quantity: 1,
    });
    expect(res.status).toBe(202);
    await waitFor(
      async () => ((await (await api('/orders/manual-limit-1')).json()) as { order?: { status: string } }).order?.status === 'accepted',
      'the resting order',
    );
    expect((await eventsOn<OrderIntent>('decisions.order_intent')).some((i) => i.clientOrderId === 'manual-limit-1')).toBe(true);
    const cancel = await write('/orders/manual-limit-1/cancel');
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as { order: { status: string } }).order.status).toBe('canceled');
    expect((await write('/orders/manual-limit-1/cancel')).status).toBe(409);
    expect((await write('/orders/nope/cancel')).status).toBe(404);
  });

  it('refuses writes without the bearer key and invalid manual orders with the field named', async () => {
    expect((await write('/risk/halt', undefined, 'wrong-key-wrong-key')).status).toBe(401);
    const bad = await write('/orders', { instrument: ES, side: 'hold', orderType: 'market', quantity: 1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('/side');
  });

  it('halts and resumes trading: a halted venue denies intents with RISK_TRADING_HALTED', async () => {
    expect(((await (await write('/risk/halt')).json()) as { tradingState: string }).tradingState).toBe('HALTED');
    await sendIntent(intent('it-halted-1'));
    await waitFor(
      async () => (await eventsOn<OrderUpdated>('executions.order')).some((u) => u.clientOrderId === 'it-halted-1'),
      'the halted denial',
    );
    expect((await eventsOn<OrderUpdated>('executions.order')).find((u) => u.clientOrderId === 'it-halted-1')?.reasonCode).toBe(
      'RISK_TRADING_HALTED',
    );
    expect(((await (await write('/risk/resume')).json()) as { tradingState: string }).tradingState).toBe('ACTIVE');
  });

  it('reconciles on demand and publishes executions.reconcile', async () => {
    const res = await write('/reconcile');
    const { snapshots } = (await res.json()) as { snapshots: { strategyId: string; positionQty: number; discrepancies: unknown[] }[] };
    expect(snapshots.find((s) => s.strategyId === 'orb')).toMatchObject({ positionQty: 3, discrepancies: [] });
    expect((await eventsOn('executions.reconcile')).length).toBeGreaterThanOrEqual(snapshots.length);
  });

  it('counts the events it consumed and published, and times each fill from its intent and from its signal', async () => {
    // An intent caused by the price signal sent at the start: its fill is timed from that signal too.
    const signalEventId = deterministicId('signals.normalized', '6000.25:2026-11-24T14:29:00Z');
    await publishOrderIntent(client.js, intent('it-caused-1'), {
      source: 'test',
      eventId: deterministicId('decisions.order_intent', 'it-caused-1'),
      causationId: signalEventId,
    });
    await waitFor(async () => (await eventsOn<OrderFilled>('executions.fill')).some((f) => f.clientOrderId === 'it-caused-1'), 'the fill');
    const intents = { subject: 'decisions.order_intent', consumer: 'exec-sim-intents' };
    const stored = (await eventsOn<OrderIntent>('decisions.order_intent')).length;
    await waitFor(async () => sampleSum(await metrics(), 'events_consumed_total', intents) === stored, 'every intent acknowledged');
    const text = await metrics();
    const fills = await eventsOn<OrderFilled>('executions.fill');
    const caused = fills.filter((f) => f.clientOrderId === 'it-caused-1').length;

    // Seven intents: it-market-1, it-dup-1 twice, it-huge-1, manual-limit-1, it-halted-1, it-caused-1.
    expect(sampleSum(text, 'events_consumed_total', { ...intents, outcome: 'ack' })).toBe(7);
    expect(sampleSum(text, 'events_consumed_total', { subject: 'signals.normalized', consumer: 'exec-sim-prices', outcome: 'ack' })).toBe(
      1,
    );
    expect(sampleSum(text, 'events_published_total', { subject: 'decisions.order_intent', outcome: 'stored' })).toBe(1);
    expect(sampleSum(text, 'events_published_total', { subject: 'executions.fill', outcome: 'stored' })).toBe(fills.length);
    expect(sampleSum(text, 'events_published_total', { subject: 'executions.reconcile' })).toBeGreaterThan(0);
    expect(sampleSum(text, 'exec_order_updates_total', { status: 'rejected' })).toBe(3);
    expect(sampleSum(text, 'exec_intent_to_fill_seconds_count', { order_type: 'market' })).toBe(fills.length);
    expect(sampleSum(text, 'exec_signal_to_fill_seconds_count', { order_type: 'market' })).toBe(caused);
    expect(sampleSum(text, 'contract_validation_failures_total')).toBe(0);
  });
});

describe('kill -9 in the middle of a stream of intents', () => {
  const INTENTS = 40;
  const env = () => ({ NATS_URL: server.url, EXEC_API_KEY: API_KEY, EXEC_SIM_SEED: '42' });
  const intents = () =>
    Array.from({ length: INTENTS }, (_, i) =>
      intent(`crash-${i}`, {
        side: i % 3 === 2 ? 'sell' : 'buy',
        quantity: 1 + (i % 2),
        createdAt: `2026-11-24T14:31:${String(i).padStart(2, '0')}Z`,
      }),
    );

  async function run(crashAfter?: number): Promise<{ fills: OrderFilled[]; positions: unknown }> {
    await fresh();
    await sendPrice(6001.5, '2026-11-24T14:30:30Z');
    let sim = await spawnExecSim(env());
    await waitFor(async () => (await fetch(`http://127.0.0.1:${sim.port}/ready`)).ok, 'exec-sim ready');
    for (const [i, each] of intents().entries()) {
      await sendIntent(each);
      if (i === crashAfter) {
        // Crash mid-stream: some intents applied and published, others delivered but unacknowledged.
        await waitFor(
          async () => (await eventsOn<OrderUpdated>('executions.order')).filter((u) => u.status === 'filled').length >= 8,
          'some fills before the crash',
        );
        await sim.crash();
        sim = await spawnExecSim(env());
      }
    }
    await waitFor(
      async () =>
        new Set((await eventsOn<OrderUpdated>('executions.order')).filter((u) => u.status === 'filled').map((u) => u.clientOrderId))
          .size === INTENTS,
      'every intent filled',
      60_000,
    );
    const positions = await (await fetch(`http://127.0.0.1:${sim.port}/positions`)).json();
    await sim.stop();
    return { fills: await eventsOn<OrderFilled>('executions.fill'), positions };
  }

  it('ends with the same fills and positions as an undisturbed run, with no duplicate fill', async () => {
    const undisturbed = await run();
    const crashed = await run(17);
    const key = (f: OrderFilled) => `${f.tradeId}|${f.lastQty}|${f.lastPx}|${f.commission.amount}`;
    expect(crashed.fills.map(key).sort()).toEqual(undisturbed.fills.map(key).sort());
    expect(new Set(crashed.fills.map((f) => f.tradeId)).size).toBe(crashed.fills.length);
    expect(crashed.positions).toEqual(undisturbed.positions);
  }, 180_000);
});
