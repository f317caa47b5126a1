// The whole platform end to end, started as `make dev` starts it (the launcher, every service as
// a child process in run order, the default agents) but on its own nats-server and free ports:
// every service is ready, TradingView webhooks become fills in exec-sim's trade API, and the
// services' counters move.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderFilled } from '../../generated/index.js';
import { connectNats, type NatsRuntime } from '../../services/core/src/index.js';
import { waitFor } from '../../services/core/src/testing/events.js';
import { type LocalPlatform, startLocalPlatform } from '../platform/local-platform.js';
import { SERVICES } from '../platform/services.js';

let local: LocalPlatform;
let nats: NatsRuntime;

/** Prometheus text -> the sum of every sample of each metric name (labels added up). */
async function metrics(service: string): Promise<Map<string, number>> {
  const response = await fetch(`${local.platform.url(service)}/metrics`);
  expect(response.status).toBe(200);
  const sums = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums.set(match[1] as string, (sums.get(match[1] as string) ?? 0) + value);
  }
  return sums;
}

const webhook = (fields: Record<string, string>) =>
  fetch(`${local.platform.url('gateway')}/webhooks/tradingview/${local.platform.env.TRADINGVIEW_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticker: 'BINANCE:BTCUSDT', exchange: 'BINANCE', interval: '5', ...fields }),
  });

async function fills(): Promise<OrderFilled[]> {
  const response = await fetch(`${local.platform.url('exec-sim')}/fills`);
  return ((await response.json()) as { fills: OrderFilled[] }).fills;
}

describe('the platform, started as make dev starts it', () => {
  beforeAll(async () => {
    local = await startLocalPlatform();
    nats = await connectNats({ servers: local.nats.url, name: 'platform-test' });
  }, 150_000);

  afterAll(async () => {
    await nats?.close();
    await local?.stop();
  }, 60_000);

  it('runs every service of the run order, each ready', async () => {
    expect([...local.platform.services.keys()]).toEqual(SERVICES.map((s) => s.name));
    for (const service of SERVICES) {
      // /ready checks NATS, the stream and the consumers: give a service that just became healthy a moment.
      await waitFor(async () => (await fetch(`${local.platform.url(service.name)}/ready`)).status === 200, `${service.name} /ready`);
    }
  });

  it('turns TradingView webhooks into fills, and the metrics move', async () => {
    const before = new Map(await Promise.all(SERVICES.map(async (s) => [s.name, await metrics(s.name)] as const)));

    // An exit while flat: no order (tv-follow holds nothing), but exec-sim learns BTCUSDT's price,
    // so the market orders that follow have a price to fill against.
    const priceOnly = await webhook({
      action: 'sell',
      contracts: '0.01',
      price: '94000.00',
      market_position: 'flat',
      prev_market_position: 'flat',
    });
    expect(priceOnly.status).toBe(202);
    await waitFor(async () => {
      const info = await nats.jsm.consumers.info(local.stream, 'exec-sim-prices');
      return info.delivered.stream_seq > 0 && info.num_pending + info.num_ack_pending === 0;
    }, 'exec-sim to take the first price');

    const entry = await webhook({
      action: 'buy',
      contracts: '0.01',
      price: '94010.00',
      market_position: 'long',
      prev_market_position: 'flat',
    });
    expect(entry.status).toBe(202);
    expect(await entry.json()).toMatchObject({ normalized: true, duplicate: false });
    const exit = await webhook({
      action: 'sell',
      contracts: '0.01',
      price: '94120.50',
      market_position: 'flat',
      prev_market_position: 'long',
    });
    expect(exit.status).toBe(202);

    await waitFor(async () => (await fills()).filter((f) => f.strategyId === 'tv-follow').length >= 2, 'two tv-follow fills', 30_000);
    const followed = (await fills()).filter((f) => f.strategyId === 'tv-follow');
    expect(followed.map((f) => [f.side, f.lastQty, f.instrument.symbol])).toEqual([
      ['buy', 0.01, 'BTCUSDT'],
      ['sell', 0.01, 'BTCUSDT'],
    ]);
    const { positions } = (await (await fetch(`${local.platform.url('exec-sim')}/positions?strategyId=tv-follow`)).json()) as {
      positions: { quantity: number; lastPrice?: number; realizedPnl: { currency: string } }[];
    };
    expect(positions.map((p) => [p.quantity, p.lastPrice, p.realizedPnl.currency])).toEqual([[0, 94120.5, 'USDT']]);

    const after = new Map(await Promise.all(SERVICES.map(async (s) => [s.name, await metrics(s.name)] as const)));
    const moved = (service: string, name: string) => (after.get(service)?.get(name) ?? 0) - (before.get(service)?.get(name) ?? 0);
    expect(moved('gateway', 'gateway_webhooks_total')).toBe(3);
    // signals.raw and signals.normalized per webhook.
    expect(moved('gateway', 'events_published_total')).toBe(6);
    // Each of the default agents (tv-follow, momentum-20) sees the three signals; tv-follow orders twice.
    expect(moved('agent-mcp', 'agent_signals_consumed_total')).toBe(6);
    expect(moved('agent-mcp', 'agent_order_intents_total')).toBe(2);
    expect(moved('exec-sim', 'exec_fills_total')).toBe(2);
    expect(moved('exec-sim', 'exec_order_updates_total')).toBeGreaterThanOrEqual(2);
    expect(moved('exec-sim', 'exec_signal_to_fill_seconds_count')).toBe(2);
    // The event tap sees the signals, the intents and exec-sim's outputs.
    if (local.platform.services.has('observability'))
      expect(moved('observability', 'observability_events_total')).toBeGreaterThanOrEqual(6 + 2 + 2);
    for (const service of SERVICES) expect(after.get(service.name)?.get('nats_connected'), `${service.name} nats_connected`).toBe(1);
  }, 60_000);
});
