// The built-in agents as pure code: hand-checked entries, exits, reversals, sizing and momentum triggers.
import { describe, expect, it } from 'vitest';
import type { SignalNormalized } from '../../../generated/index.js';
import { loadInstrumentCatalog } from '../../core/src/index.js';
import {
  checkAgentConfig,
  MomentumAgent,
  momentumConfigSchema,
  TradingViewFollowAgent,
  tradingViewFollowConfigSchema,
} from '../src/agents/index.js';

const catalog = loadInstrumentCatalog();
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;
const ctx = { agentId: 'tv', catalog };
let n = 0;

function signal(overrides: Partial<SignalNormalized> = {}): SignalNormalized {
  n++;
  return {
    signalId: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
    rawSignalId: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
    idempotencyKey: `tradingview:alert:${n}`,
    source: 'tradingview',
    instrument: ES,
    action: 'buy',
    eventTime: '2026-11-24T14:30:00Z',
    receivedAt: '2026-11-24T14:30:00Z',
    ...overrides,
  };
}

const follow = (config: Record<string, unknown> = {}) => new TradingViewFollowAgent(tradingViewFollowConfigSchema.parse(config));
const strip = (drafts: { rationale?: string }[]) => drafts.map(({ rationale: _, ...rest }) => rest);
/** The positions an agent decides from (its fills plus what its working orders expect). */
const positions = (agent: { state(): Record<string, unknown> }) => agent.state().positions;

describe('tradingview-follow', () => {
  it('buys and sells the alert quantity at market, remembering the position', () => {
    const agent = follow();
    expect(strip(agent.onSignal(signal({ action: 'buy', quantity: 2 }), ctx))).toEqual([
      { side: 'buy', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: false },
    ]);
    expect(positions(agent)).toEqual({ 'ESZ6@CME': 2 });
    agent.onSignal(signal({ action: 'buy', quantity: 1 }), ctx);
    expect(positions(agent)).toEqual({ 'ESZ6@CME': 3 });
  });

  it('uses defaultQuantity when the alert has none and caps at maxQuantity', () => {
    const agent = follow({ defaultQuantity: 3, maxQuantity: 5 });
    expect(agent.onSignal(signal({ action: 'sell' }), ctx)[0]).toMatchObject({ side: 'sell', quantity: 3 });
    expect(agent.onSignal(signal({ action: 'sell', quantity: 9 }), ctx)[0]).toMatchObject({ side: 'sell', quantity: 5 });
    expect(positions(agent)).toEqual({ 'ESZ6@CME': -8 });
  });

  it('exit closes the believed position: reduce-only, opposite side; nothing when flat', () => {
    const agent = follow();
    agent.onSignal(signal({ action: 'buy', quantity: 2 }), ctx);
    expect(strip(agent.onSignal(signal({ action: 'exit', side: 'sell' }), ctx))).toEqual([
      { side: 'sell', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: true },
    ]);
    expect(positions(agent)).toEqual({});
    expect(agent.onSignal(signal({ action: 'exit' }), ctx)).toEqual([]);
  });

  it('exit of a short buys it back', () => {
    const agent = follow();
    agent.onSignal(signal({ action: 'sell', quantity: 4 }), ctx);
    expect(agent.onSignal(signal({ action: 'exit' }), ctx)).toMatchObject([{ side: 'buy', quantity: 4, reduceOnly: true }]);
  });

  it('reverse is two intents: a reduce-only close, then the opposite entry', () => {
    const agent = follow();
    agent.onSignal(signal({ action: 'buy', quantity: 2 }), ctx);
    // TradingView's order on a flip covers the close too: 3 from +2 is a new position of 1.
    expect(strip(agent.onSignal(signal({ action: 'reverse', side: 'sell', quantity: 3 }), ctx))).toEqual([
      { side: 'sell', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: true },
      { side: 'sell', quantity: 1, orderType: 'market', timeInForce: 'GTC', reduceOnly: false },
    ]);
    expect(positions(agent)).toEqual({ 'ESZ6@CME': -1 });
    // Without a side: the opposite of what it holds.
    expect(strip(agent.onSignal(signal({ action: 'reverse', quantity: 1 }), ctx))).toEqual([
      { side: 'buy', quantity: 1, orderType: 'market', timeInForce: 'GTC', reduceOnly: true },
      { side: 'buy', quantity: 1, orderType: 'market', timeInForce: 'GTC', reduceOnly: false },
    ]);
  });

  it('reverse from flat with a side opens it; without one does nothing', () => {
    const agent = follow();
    expect(agent.onSignal(signal({ action: 'reverse' }), ctx)).toEqual([]);
    expect(agent.onSignal(signal({ action: 'reverse', side: 'buy', quantity: 1 }), ctx)).toMatchObject([
      { side: 'buy', quantity: 1, reduceOnly: false },
    ]);
  });

  it('sizes from riskPerTrade and stopTicks: ES 500 USD over 8 ticks = 500 / (8 × 0.25 × 50) = 5 contracts', () => {
    const agent = follow({ sizing: 'risk', riskPerTrade: 500, stopTicks: 8 });
    expect(agent.onSignal(signal({ action: 'buy', quantity: 1 }), ctx)).toMatchObject([{ side: 'buy', quantity: 5 }]);
    // 450 / 100 = 4.5 -> 4 whole contracts
    const smaller = follow({ sizing: 'risk', riskPerTrade: 450, stopTicks: 8 });
    expect(smaller.onSignal(signal({ action: 'sell' }), ctx)).toMatchObject([{ side: 'sell', quantity: 4 }]);
    // less than one contract: no order
    const tiny = follow({ sizing: 'risk', riskPerTrade: 50, stopTicks: 8 });
    expect(tiny.onSignal(signal({ action: 'buy' }), ctx)).toEqual([]);
  });

  it('sizes crypto in lots: BTCUSDT at Binance, 100 USDT over 50000 ticks of 0.01 = 100 / 500 = 0.2 BTC', () => {
    const agent = follow({ sizing: 'risk', riskPerTrade: 100, stopTicks: 50_000 });
    const btc = { symbol: 'BTCUSDT', assetClass: 'crypto', venue: 'BINANCE' } as const;
    const [draft] = agent.onSignal(signal({ instrument: btc }), ctx);
    expect(draft?.quantity).toBe(0.2);
  });

  it('without a catalog entry risk sizing places nothing', () => {
    const agent = follow({ sizing: 'risk', riskPerTrade: 500, stopTicks: 8 });
    expect(agent.onSignal(signal({ instrument: { symbol: 'ZZZ', assetClass: 'futures', venue: 'CME', root: 'ZZZ' } }), ctx)).toEqual([]);
  });

  it('places limit and stop orders from the alert hints', () => {
    const agent = follow();
    expect(agent.onSignal(signal({ quantity: 1, orderTypeHint: 'limit', limitPrice: 6000.25 }), ctx)).toMatchObject([
      { orderType: 'limit', limitPrice: 6000.25 },
    ]);
    expect(agent.onSignal(signal({ quantity: 1, limitPrice: 6001 }), ctx)).toMatchObject([{ orderType: 'limit', limitPrice: 6001 }]);
    expect(agent.onSignal(signal({ quantity: 1, orderTypeHint: 'stop', stopPrice: 6010 }), ctx)).toMatchObject([
      { orderType: 'stop', stopPrice: 6010 },
    ]);
    // a limit hint without its price falls back to market
    expect(agent.onSignal(signal({ quantity: 1, orderTypeHint: 'limit' }), ctx)).toMatchObject([{ orderType: 'market' }]);
    const noHints = follow({ useOrderTypeHints: false });
    expect(noHints.onSignal(signal({ quantity: 1, limitPrice: 6001 }), ctx)).toMatchObject([{ orderType: 'market' }]);
  });

  it('ignores other sources and symbols', () => {
    const agent = follow({ symbols: ['NQZ6'] });
    expect(agent.onSignal(signal({ quantity: 1 }), ctx)).toEqual([]);
    expect(follow().onSignal(signal({ source: 'other', quantity: 1 }), ctx)).toEqual([]);
  });

  it('resumes from its state', () => {
    const agent = new TradingViewFollowAgent(tradingViewFollowConfigSchema.parse({}), { positions: { 'ESZ6@CME': -2 } });
    expect(agent.onSignal(signal({ action: 'exit' }), ctx)).toMatchObject([{ side: 'buy', quantity: 2, reduceOnly: true }]);
  });
});

describe('momentum', () => {
  const agent = (config: Record<string, unknown>) => new MomentumAgent(momentumConfigSchema.parse(config));
  const px = (a: MomentumAgent, ...prices: number[]) => prices.map((price) => a.onSignal(signal({ price, source: 'feed' })));

  it('goes long when the 3-period change exceeds the threshold, then reverses on the way down', () => {
    const a = agent({ lookback: 3, threshold: 0.01, quantity: 2 });
    // 100, 100.5, 101 fill the window; 101.5 vs 100 = +1.5 % > 1 % -> long 2
    const out = px(a, 100, 100.5, 101, 101.5);
    expect(out.slice(0, 3)).toEqual([[], [], []]);
    expect(strip(out[3] ?? [])).toEqual([{ side: 'buy', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: false }]);
    // 101.6 vs 100.5: +1.09 % -> still long, no order
    expect(px(a, 101.6)).toEqual([[]]);
    // 99 vs 101: -1.98 % -> close long (reduce-only) and open short
    expect(strip(px(a, 99)[0] ?? [])).toEqual([
      { side: 'sell', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: true },
      { side: 'sell', quantity: 2, orderType: 'market', timeInForce: 'GTC', reduceOnly: false },
    ]);
    expect(a.state()).toMatchObject({ instruments: { 'ESZ6@CME': { prices: [101.5, 101.6, 99] } }, positions: { 'ESZ6@CME': -2 } });
  });

  it('a move inside the threshold does nothing', () => {
    const a = agent({ lookback: 2, threshold: 0.05, quantity: 1 });
    expect(px(a, 100, 101, 102, 103, 104).flat()).toEqual([]);
  });

  it('without allowShort a downward signal only closes the long', () => {
    const a = agent({ lookback: 1, threshold: 0, quantity: 1, allowShort: false });
    px(a, 100, 101);
    expect(strip(px(a, 100)[0] ?? [])).toEqual([{ side: 'sell', quantity: 1, orderType: 'market', timeInForce: 'GTC', reduceOnly: true }]);
    expect(px(a, 99)).toEqual([[]]);
  });

  it('breakout: above the lookback high, below the lookback low', () => {
    const a = agent({ mode: 'breakout', lookback: 3, threshold: 0, quantity: 1 });
    expect(px(a, 10, 12, 11, 12).flat()).toEqual([]); // 12 is not above the high of 12
    expect(px(a, 12.5)[0]).toMatchObject([{ side: 'buy', quantity: 1, reduceOnly: false }]);
    expect(px(a, 10.9)[0]).toMatchObject([
      { side: 'sell', quantity: 1, reduceOnly: true },
      { side: 'sell', quantity: 1, reduceOnly: false },
    ]);
  });

  it('is deterministic and keeps instruments apart; signals without a price are ignored', () => {
    // The same signals (ids included: the agent tracks its orders by them) in the same order.
    const signals = [100, 101, 102, 99, 98, 103].map((price, i) =>
      signal({ price, instrument: i % 2 ? ES : { ...ES, symbol: 'NQZ6', root: 'NQ' } }),
    );
    const run = () => {
      const a = agent({ lookback: 2, threshold: 0.001, quantity: 1 });
      const out = signals.map((s) => a.onSignal(s));
      return { out, state: a.state() };
    };
    expect(run()).toEqual(run());
    expect(agent({ lookback: 1, threshold: 0, quantity: 1 }).onSignal(signal({}))).toEqual([]);
  });
});

describe('config validation', () => {
  it('names the bad field', () => {
    const bad = checkAgentConfig('momentum', { lookback: 0, threshold: 0.1, quantity: 1 });
    expect(bad).toMatchObject({ ok: false });
    expect(bad.ok ? '' : bad.reason).toContain('lookback: must be at least 1');
    const risk = checkAgentConfig('tradingview-follow', { sizing: 'risk', riskPerTrade: 100 });
    expect(risk.ok ? '' : risk.reason).toContain('stopTicks: is required when sizing is "risk"');
    const unknown = checkAgentConfig('tradingview-follow', { quantity: 1 });
    expect(unknown.ok ? '' : unknown.reason).toMatch(/quantity/);
    expect(checkAgentConfig('nope', {})).toMatchObject({ ok: false, reason: expect.stringContaining('unknown agent kind "nope"') });
  });

  it('applies defaults', () => {
    expect(checkAgentConfig('tradingview-follow', {})).toMatchObject({
      ok: true,
      config: { sources: ['tradingview'], sizing: 'signal', defaultQuantity: 1, timeInForce: 'GTC' },
    });
  });
});
