// Positions as the agents hold them: the shipped agents size valid orders in every asset class,
// a position follows fills and refusals (position-book.ts), and tv-follow's long / short / flat /
// exit / reverse transitions reach the position TradingView reports.
import { describe, expect, it } from 'vitest';
import type { Instrument, SignalNormalized } from '../../../generated/index.js';
import { loadInstrumentCatalog } from '../../core/src/index.js';
import { type Agent, type AgentContext, checkAgentConfig, instrumentSpec, type OrderIntentDraft } from '../src/agents/index.js';
import { PositionBook } from '../src/agents/position-book.js';
import { DEFAULT_AGENTS_CONFIG, loadAgentsConfig } from '../src/runtime/agents-file.js';

const catalog = loadInstrumentCatalog();
const ES: Instrument = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' };
const EURUSD: Instrument = { symbol: 'EURUSD', assetClass: 'fx', venue: 'OANDA', baseCurrency: 'EUR', quoteCurrency: 'USD' };
const BTC: Instrument = { symbol: 'BTCUSDT', assetClass: 'crypto', venue: 'BINANCE', baseCurrency: 'BTC', quoteCurrency: 'USDT' };
let n = 0;

function signal(overrides: Partial<SignalNormalized> = {}): SignalNormalized {
  n++;
  const id = `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`;
  return {
    signalId: id,
    rawSignalId: id,
    idempotencyKey: `tradingview:alert:pos-${n}`,
    source: 'tradingview',
    instrument: ES,
    action: 'buy',
    eventTime: '2026-11-24T14:30:00Z',
    receivedAt: '2026-11-24T14:30:00Z',
    ...overrides,
  };
}

/** An agent of the shipped agents.yaml. */
function shipped(id: string): Agent {
  const spec = loadAgentsConfig(DEFAULT_AGENTS_CONFIG).find((s) => s.id === id);
  const check = checkAgentConfig(spec?.kind ?? '', spec?.config);
  if (!check.ok) throw new Error(check.reason);
  return check.kind.create(check.config);
}

/** Runs a signal and fills every draft completely, as exec-sim would: the agent then holds what it ordered. */
function filled(agent: Agent, s: SignalNormalized, ctx: AgentContext = { agentId: 'a', catalog }): OrderIntentDraft[] {
  const drafts = agent.onSignal(s, ctx);
  for (const [leg, draft] of drafts.entries())
    agent.onFill({ clientOrderId: `${s.idempotencyKey}#${leg}`, instrument: s.instrument, side: draft.side, lastQty: draft.quantity });
  return drafts;
}

const orders = (drafts: OrderIntentDraft[]) => drafts.map((d) => [d.side, d.quantity, d.reduceOnly]);
const held = (agent: Agent) => agent.state().positions;

/** exec-sim's quantity rule (validation.ts): at least one lot and a whole number of lots. */
function onLot(instrument: Instrument, quantity: number): boolean {
  const lot = instrumentSpec(catalog, instrument)?.lotSize as number;
  const lots = quantity / lot;
  return quantity >= lot && Math.abs(lots - Math.round(lots)) < 1e-9;
}

describe('the shipped agents.yaml', () => {
  it('tv-follow sizes whole lots for futures, FX and crypto, with and without an alert quantity', () => {
    const agent = shipped('tv-follow');
    const ctx = { agentId: 'tv-follow', catalog };
    const cases: [Instrument, number | undefined][] = [
      [ES, 2],
      [ES, undefined],
      [EURUSD, 25_000],
      [EURUSD, undefined],
      [BTC, 0.05],
      [BTC, undefined],
    ];
    for (const [instrument, quantity] of cases) {
      const drafts = agent.onSignal(signal({ instrument, action: 'buy', ...(quantity === undefined ? {} : { quantity }) }), ctx);
      expect(drafts, `${instrument.symbol} ${quantity}`).toHaveLength(1);
      for (const draft of drafts) expect(onLot(instrument, draft.quantity), `${instrument.symbol} ${draft.quantity}`).toBe(true);
    }
    // The alert's FX quantity is kept: it is units, not capped to 10 like a futures order.
    expect(shipped('tv-follow').onSignal(signal({ instrument: EURUSD, action: 'sell', quantity: 50_000 }), ctx)).toMatchObject([
      { quantity: 50_000 },
    ]);
  });

  it('momentum-20 sizes whole lots for futures, FX and crypto', () => {
    for (const [instrument, start] of [
      [ES, 6000],
      [EURUSD, 1.085],
      [BTC, 94_000],
    ] as const) {
      const agent = shipped('momentum-20');
      const prices = Array.from({ length: 21 }, (_, i) => start * (1 + i * 0.001));
      const drafts = prices.flatMap((price) => agent.onSignal(signal({ instrument, price }), { agentId: 'm', catalog }));
      expect(drafts, instrument.symbol).toHaveLength(1);
      expect(onLot(instrument, drafts[0]?.quantity as number), `${instrument.symbol} ${drafts[0]?.quantity}`).toBe(true);
    }
  });
});

describe('lot rounding', () => {
  it('rounds down to the lot, and a size under one lot is no order with a reason', () => {
    const check = checkAgentConfig('tradingview-follow', {});
    if (!check.ok) throw new Error(check.reason);
    const agent = check.kind.create(check.config);
    const skipped: string[] = [];
    const ctx = { agentId: 'tv', catalog, skipped: (reason: string) => skipped.push(reason) };
    expect(agent.onSignal(signal({ instrument: EURUSD, quantity: 12_345 }), ctx)).toMatchObject([{ quantity: 12_000 }]);
    expect(agent.onSignal(signal({ instrument: EURUSD, quantity: 999 }), ctx)).toEqual([]);
    expect(skipped).toEqual(['buy: 999 EURUSD is less than one lot (1000): no order']);
  });
});

describe('PositionBook', () => {
  const book = () => new PositionBook();
  const key = 'ESZ6@CME';

  it('counts a working order until it fills, then the fill', () => {
    const b = book();
    b.placed('o1', key, 'buy', 3);
    expect(b.position(key)).toBe(3);
    b.onFill({ clientOrderId: 'o1', instrument: ES, side: 'buy', lastQty: 1 });
    expect(b.position(key)).toBe(3);
    b.onFill({ clientOrderId: 'o1', instrument: ES, side: 'buy', lastQty: 2 });
    expect(b.state()).toEqual({ positions: { [key]: 3 }, filled: { [key]: 3 }, working: {} });
  });

  it('drops a rejected order, keeps what a canceled one filled, and ignores a duplicate-id rejection', () => {
    const b = book();
    b.placed('rejected', key, 'buy', 2);
    b.onOrderUpdate({ clientOrderId: 'rejected', status: 'rejected', filledQty: 0, reasonCode: 'RISK_MAX_POSITION' });
    expect(b.position(key)).toBe(0);
    b.placed('partial', key, 'sell', 5);
    b.onFill({ clientOrderId: 'partial', instrument: ES, side: 'sell', lastQty: 1 });
    // Canceled after 3 filled: 2 more fills are still on their way.
    b.onOrderUpdate({ clientOrderId: 'partial', status: 'canceled', filledQty: 3 });
    expect(b.position(key)).toBe(-3);
    b.onFill({ clientOrderId: 'partial', instrument: ES, side: 'sell', lastQty: 2 });
    expect(b.state()).toEqual({ positions: { [key]: -3 }, filled: { [key]: -3 }, working: {} });
    b.placed('again', key, 'buy', 1);
    b.onOrderUpdate({ clientOrderId: 'again', status: 'rejected', filledQty: 0, reasonCode: 'DUPLICATE_CLIENT_ORDER_ID' });
    expect(b.position(key)).toBe(-2);
  });

  it('counts fills of orders it does not know (a manual order, one from before a restart)', () => {
    const b = book();
    b.onFill({ clientOrderId: 'manual', instrument: ES, side: 'sell', lastQty: 2 });
    expect(b.position(key)).toBe(-2);
  });

  it('resumes from its own state and from the older positions-only state', () => {
    const b = book();
    b.placed('o1', key, 'buy', 1);
    b.onFill({ clientOrderId: 'x', instrument: ES, side: 'buy', lastQty: 2 });
    expect(new PositionBook(b.state()).state()).toEqual(b.state());
    expect(new PositionBook({ positions: { [key]: -4 } }).position(key)).toBe(-4);
  });
});

describe('tradingview-follow transitions', () => {
  const follow = () => {
    const check = checkAgentConfig('tradingview-follow', {});
    if (!check.ok) throw new Error(check.reason);
    return check.kind.create(check.config);
  };
  // TradingView's alert fields for each order: the order's quantity and the position after it.
  const tv = (action: SignalNormalized['action'], side: 'buy' | 'sell', quantity: number, positionSize: number) =>
    signal({
      action,
      side,
      quantity,
      strategy: { marketPosition: positionSize === 0 ? 'flat' : side === 'buy' ? 'long' : 'short', positionSize },
    });

  it('flat -> long 2 -> short 2 (sell 4) -> flat -> short 1 -> long 3 (buy 4) -> flat', () => {
    const agent = follow();
    expect(orders(filled(agent, tv('buy', 'buy', 2, 2)))).toEqual([['buy', 2, false]]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': 2 });
    // A reverse from +2: sell 4 in all (close 2 reduce-only, open 2) to reach -2, not -4.
    expect(orders(filled(agent, tv('reverse', 'sell', 4, 2)))).toEqual([
      ['sell', 2, true],
      ['sell', 2, false],
    ]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': -2 });
    expect(orders(filled(agent, tv('exit', 'buy', 2, 0)))).toEqual([['buy', 2, true]]);
    expect(held(agent)).toEqual({});
    expect(orders(filled(agent, tv('sell', 'sell', 1, 1)))).toEqual([['sell', 1, false]]);
    // A flip to a bigger position: the order is 1 to close and 3 to open.
    expect(orders(filled(agent, tv('reverse', 'buy', 4, 3)))).toEqual([
      ['buy', 1, true],
      ['buy', 3, false],
    ]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': 3 });
    expect(orders(filled(agent, signal({ action: 'exit' })))).toEqual([['sell', 3, true]]);
    expect(held(agent)).toEqual({});
  });

  it('without the reported position, a reverse takes the alert quantity as the whole flip order', () => {
    const agent = follow();
    filled(agent, signal({ action: 'buy', quantity: 2 }));
    expect(orders(filled(agent, signal({ action: 'reverse', side: 'sell', quantity: 4 })))).toEqual([
      ['sell', 2, true],
      ['sell', 2, false],
    ]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': -2 });
    // No quantity at all: the same size the other way, as the contract defines reverse.
    expect(orders(filled(agent, signal({ action: 'reverse', side: 'buy' })))).toEqual([
      ['buy', 2, true],
      ['buy', 2, false],
    ]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': 2 });
  });

  it('a reduce keeps the rest, a reverse already in that direction does nothing, a refused entry leaves it flat', () => {
    const agent = follow();
    filled(agent, signal({ action: 'buy', quantity: 3 }));
    expect(orders(filled(agent, tv('sell', 'sell', 1, 2)))).toEqual([['sell', 1, true]]);
    expect(held(agent)).toEqual({ 'ESZ6@CME': 2 });
    expect(agent.onSignal(tv('reverse', 'buy', 4, 2), { agentId: 'a', catalog })).toEqual([]);
    filled(agent, signal({ action: 'exit' }));

    const entry = signal({ action: 'sell', quantity: 2 });
    expect(orders(agent.onSignal(entry, { agentId: 'a', catalog }))).toEqual([['sell', 2, false]]);
    agent.onOrderUpdate({ clientOrderId: `${entry.idempotencyKey}#0`, status: 'rejected', filledQty: 0, reasonCode: 'RISK_RATE_LIMIT' });
    expect(held(agent)).toEqual({});
    expect(agent.onSignal(signal({ action: 'exit' }), { agentId: 'a', catalog })).toEqual([]);
  });

  it('keys positions by the instrument the orders name: an ES1! signal holds ESZ6', () => {
    const agent = follow();
    const series: Instrument = { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true };
    const ctx = { agentId: 'a', catalog, instrument: ES };
    const entry = signal({ instrument: series, action: 'buy', quantity: 1 });
    agent.onSignal(entry, ctx);
    agent.onFill({ clientOrderId: `${entry.idempotencyKey}#0`, instrument: ES, side: 'buy', lastQty: 1 });
    expect(agent.state()).toMatchObject({ positions: { 'ESZ6@CME': 1 }, working: {} });
    expect(orders(agent.onSignal(signal({ instrument: series, action: 'exit' }), ctx))).toEqual([['sell', 1, true]]);
  });
});
