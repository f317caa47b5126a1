// tv-follow's position follows exec-sim, over a real nats-server with exec-sim and agent-mcp
// running: a refused entry leaves it flat (so its exit sends nothing, instead of a reduce-only
// order exec-sim refuses), and a continuous-series signal (ES1!) is held under the dated
// contract the orders and fills name (ESZ6), through an entry, a TradingView reversal and an exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OrderIntent,
  type OrderUpdated,
  provisionStreams,
  publishSignalNormalized,
  type SignalNormalized,
} from '../../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../core/src/index.js';
import { eventsOn as eventsIn, waitFor } from '../../core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { loadExecSimConfig } from '../../exec-sim/src/config.js';
import { type RunningExecSim, startExecSim } from '../../exec-sim/src/exec-sim.js';
import { type RunningAgentMcp, startAgentMcp } from '../src/agent-mcp.js';
import { loadAgentMcpConfig } from '../src/config.js';

const STREAM = 'trading-events';
const logger = createLogger({ service: 'follow-test', env: 'test', level: 'silent' });
const eventsOn = <T>(subject: string) => eventsIn<T>(observer.jsm, STREAM, subject);

let server: NatsServerHandle;
let observer: NatsRuntime;
let execSim: RunningExecSim;
let agentMcp: RunningAgentMcp;
let n = 0;

async function send(overrides: Partial<SignalNormalized>): Promise<void> {
  n++;
  const id = `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`;
  const signal: SignalNormalized = {
    signalId: id,
    rawSignalId: id,
    idempotencyKey: `tradingview:alert:follow-${n}`,
    source: 'tradingview',
    instrument: { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true },
    action: 'buy',
    eventTime: '2026-11-24T14:30:00Z',
    receivedAt: '2026-11-24T14:30:00Z',
    ...overrides,
  };
  await publishSignalNormalized(observer.js, signal, { source: '/test', eventId: id });
}

/** Waits until both exec-sim and the agent have taken everything published so far. */
async function settled(): Promise<void> {
  const consumers = ['exec-sim-prices', 'exec-sim-intents', 'agent-tv-follow', 'agent-mcp-executions-fill', 'agent-mcp-executions-order'];
  const lastSeq = async () => (await observer.jsm.streams.info(STREAM)).state.last_seq;
  await waitFor(async () => {
    const before = await lastSeq();
    for (const durable of consumers) {
      const info = await observer.jsm.consumers.info(STREAM, durable);
      if (info.num_pending + info.num_ack_pending > 0) return false;
    }
    // Nothing was published while looking: no consumer can have work the pass missed.
    return (await lastSeq()) === before;
  }, 'exec-sim and the agent to settle');
}

const agentState = () =>
  agentMcp.control.get('tv-follow')?.state as { positions: Record<string, number>; working: Record<string, unknown> };

async function execSimPosition(): Promise<Record<string, number>> {
  const response = await fetch(`http://127.0.0.1:${execSim.port}/positions?strategyId=tv-follow`);
  const { positions } = (await response.json()) as { positions: { instrument: { symbol: string; venue: string }; quantity: number }[] };
  return Object.fromEntries(
    positions.filter((p) => p.quantity !== 0).map((p) => [`${p.instrument.symbol}@${p.instrument.venue}`, p.quantity]),
  );
}

beforeAll(async () => {
  server = await startNatsServer();
  observer = await connectNats({ servers: server.url, name: 'follow-observer' });
  await provisionStreams(observer.jsm, { stream: STREAM });
  const common = { NATS_URL: server.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
  execSim = await startExecSim(loadExecSimConfig(common), logger);
  agentMcp = await startAgentMcp(
    loadAgentMcpConfig({ ...common, AGENTS_DISABLED: 'momentum-20', EXEC_SIM_URL: `http://127.0.0.1:${execSim.port}` }),
    logger,
  );
}, 60_000);

afterAll(async () => {
  await agentMcp?.stop();
  await execSim?.stop();
  await observer?.close();
  await server?.stop();
});

describe('tv-follow follows what exec-sim did', () => {
  it('stays flat when its entry is refused, so its exit places nothing', async () => {
    // No price has been seen for ESZ6 yet: exec-sim refuses the market order (NO_MARKET_PRICE).
    await send({ action: 'buy', quantity: 2 });
    await settled();
    const [refused] = await eventsOn<OrderUpdated>('executions.order');
    expect(refused).toMatchObject({ status: 'rejected', reasonCode: 'NO_MARKET_PRICE', instrument: { symbol: 'ESZ6' } });
    expect(agentState()).toMatchObject({ positions: {}, working: {} });

    await send({ action: 'exit', side: 'sell' });
    await settled();
    expect(await eventsOn<OrderIntent>('decisions.order_intent')).toHaveLength(1);
    const updates = await eventsOn<OrderUpdated>('executions.order');
    expect(updates.filter((u) => u.reasonCode === 'RISK_REDUCE_ONLY')).toEqual([]);
  });

  it('holds ES1! fills under ESZ6 through an entry, a TradingView reversal (+2 -> -2 sells 4) and an exit', async () => {
    // A price from another source: tv-follow ignores it, exec-sim learns ESZ6's price from it.
    await send({ source: 'feed', action: 'buy', price: 6000 });
    await settled();

    await send({ action: 'buy', quantity: 2, price: 6000, strategy: { marketPosition: 'long', positionSize: 2 } });
    await settled();
    expect(agentState()).toMatchObject({ positions: { 'ESZ6@CME': 2 }, working: {} });
    expect(await execSimPosition()).toEqual({ 'ESZ6@CME': 2 });

    // TradingView's order on a flip is the close and the new position together: sell 4.
    await send({ action: 'reverse', side: 'sell', quantity: 4, price: 6000, strategy: { marketPosition: 'short', positionSize: 2 } });
    await settled();
    const intents = await eventsOn<OrderIntent>('decisions.order_intent');
    expect(intents.slice(-2).map((i) => [i.side, i.quantity, i.reduceOnly, i.instrument.symbol])).toEqual([
      ['sell', 2, true, 'ESZ6'],
      ['sell', 2, false, 'ESZ6'],
    ]);
    expect(agentState()).toMatchObject({ positions: { 'ESZ6@CME': -2 }, working: {} });
    expect(await execSimPosition()).toEqual({ 'ESZ6@CME': -2 });

    await send({ action: 'exit', side: 'buy', price: 6000, strategy: { marketPosition: 'flat', positionSize: 0 } });
    await settled();
    expect(agentState()).toMatchObject({ positions: {}, working: {} });
    expect(await execSimPosition()).toEqual({});
    const rejected = (await eventsOn<OrderUpdated>('executions.order')).filter((u) => u.status === 'rejected');
    expect(rejected.map((u) => u.reasonCode)).toEqual(['NO_MARKET_PRICE']);
  });
});
