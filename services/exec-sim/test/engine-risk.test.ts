import { describe, expect, it } from 'vitest';
import type { Instrument, OrderReasonCode } from '../../../generated/types.js';
import { ExecutionEngine } from '../src/domain/engine.js';
import { EngineInputError } from '../src/domain/errors.js';
import type { EngineOutput } from '../src/domain/types.js';
import {
  catalog,
  ES1,
  ESZ6,
  EURUSD,
  fillsOf,
  MESZ6,
  makeIntent,
  orderUpdates,
  story,
  testConfig,
  Venue,
} from './support/engine-harness.js';

function rejection(outputs: EngineOutput[]): { code?: OrderReasonCode; reason?: string; venueOrderId?: string } {
  expect(outputs).toHaveLength(1);
  const [update] = orderUpdates(outputs);
  expect(update).toMatchObject({ status: 'rejected', filledQty: 0, leavesQty: 0 });
  return { code: update?.reasonCode, reason: update?.reason, venueOrderId: update?.venueOrderId };
}

function esVenue(overrides: unknown = {}): Venue {
  const venue = Venue.with(overrides);
  venue.price(ESZ6, 6000);
  return venue;
}

describe('pre-trade risk: every reason code', () => {
  it('RISK_TRADING_HALTED: nothing passes while HALTED; the rejection never reached the book', () => {
    const venue = esVenue();
    venue.tradingState('HALTED');
    const denied = rejection(venue.send({ clientOrderId: 'h1', instrument: ESZ6, side: 'buy', quantity: 1 }));
    expect(denied.code).toBe('RISK_TRADING_HALTED');
    expect(denied.venueOrderId).toBeUndefined();
  });

  it('RISK_TRADING_HALTED: while REDUCING only orders that reduce the position pass', () => {
    const venue = esVenue();
    venue.send({ clientOrderId: 'long', instrument: ESZ6, side: 'buy', quantity: 2 });
    venue.tradingState('REDUCING');
    expect(rejection(venue.send({ clientOrderId: 'more', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe('RISK_TRADING_HALTED');
    expect(rejection(venue.send({ clientOrderId: 'flip', instrument: ESZ6, side: 'sell', quantity: 3 })).code).toBe('RISK_TRADING_HALTED');
    expect(story(venue.send({ clientOrderId: 'cut', instrument: ESZ6, side: 'sell', quantity: 1 }))).toContain('order cut filled');
  });

  it('RISK_REDUCE_ONLY: a reduce-only order that would open, increase or flip the position', () => {
    const venue = esVenue();
    expect(rejection(venue.send({ clientOrderId: 'ro-open', instrument: ESZ6, side: 'sell', quantity: 1, reduceOnly: true })).code).toBe(
      'RISK_REDUCE_ONLY',
    );
    venue.send({ clientOrderId: 'long', instrument: ESZ6, side: 'buy', quantity: 2 });
    expect(rejection(venue.send({ clientOrderId: 'ro-add', instrument: ESZ6, side: 'buy', quantity: 1, reduceOnly: true })).code).toBe(
      'RISK_REDUCE_ONLY',
    );
    expect(rejection(venue.send({ clientOrderId: 'ro-flip', instrument: ESZ6, side: 'sell', quantity: 3, reduceOnly: true })).code).toBe(
      'RISK_REDUCE_ONLY',
    );
    expect(story(venue.send({ clientOrderId: 'ro-ok', instrument: ESZ6, side: 'sell', quantity: 2, reduceOnly: true }))).toContain(
      'order ro-ok filled',
    );
  });

  it('RISK_MAX_POSITION: position + same-side working orders + the order (limit per futures root)', () => {
    const venue = esVenue({ risk: { instruments: { ES: { maxPosition: 5 } } } });
    venue.send({ clientOrderId: 'p1', instrument: ESZ6, side: 'buy', quantity: 3 });
    venue.send({ clientOrderId: 'p2', instrument: ESZ6, side: 'buy', quantity: 2, orderType: 'limit', limitPrice: 5990 });
    const denied = rejection(venue.send({ clientOrderId: 'p3', instrument: ESZ6, side: 'buy', quantity: 1 }));
    expect(denied.code).toBe('RISK_MAX_POSITION');
    expect(denied.reason).toContain('over the limit of 5');
    // A sell from +3 to -2 stays within 5 (same-side working sells: none).
    expect(story(venue.send({ clientOrderId: 'p4', instrument: ESZ6, side: 'sell', quantity: 5 }))).toContain('order p4 filled');
  });

  it('RISK_MAX_ORDER_NOTIONAL: quantity × price × multiplier; a symbol override beats the root', () => {
    const byRoot = esVenue({ risk: { instruments: { ES: { maxOrderNotional: 1_000_000 } } } });
    // 4 × 6000 × 50 = 1,200,000 USD.
    const denied = rejection(byRoot.send({ clientOrderId: 'n1', instrument: ESZ6, side: 'buy', quantity: 4 }));
    expect(denied.code).toBe('RISK_MAX_ORDER_NOTIONAL');
    expect(denied.reason).toContain('1200000 USD');
    expect(story(byRoot.send({ clientOrderId: 'n2', instrument: ESZ6, side: 'buy', quantity: 3 }))).toContain('order n2 filled');

    const bySymbol = esVenue({ risk: { instruments: { ES: { maxOrderNotional: 1_000_000 }, ESZ6: { maxOrderNotional: 2_000_000 } } } });
    expect(story(bySymbol.send({ clientOrderId: 'n3', instrument: ESZ6, side: 'buy', quantity: 4 }))).toContain('order n3 filled');
  });

  it('RISK_STRATEGY_LIMIT: gross notional per currency across instruments, per strategy', () => {
    const venue = esVenue({ risk: { strategies: { 'strat-a': { maxGrossNotional: { USD: 1_000_000 } } } } });
    venue.price(MESZ6, 6000);
    venue.send({ clientOrderId: 'g1', instrument: ESZ6, side: 'buy', quantity: 3 }); // 900,000
    venue.send({ clientOrderId: 'g2', instrument: MESZ6, side: 'buy', quantity: 1 }); // + 30,000
    const denied = rejection(venue.send({ clientOrderId: 'g3', instrument: ESZ6, side: 'buy', quantity: 1 })); // + 300,000
    expect(denied.code).toBe('RISK_STRATEGY_LIMIT');
    expect(denied.reason).toContain('1230000 USD');
    expect(story(venue.send({ clientOrderId: 'g4', instrument: ESZ6, side: 'buy', quantity: 1, strategyId: 'strat-b' }))).toContain(
      'order g4 filled',
    );
    expect(story(venue.send({ clientOrderId: 'g5', instrument: ESZ6, side: 'sell', quantity: 1 }))).toContain('order g5 filled');
  });

  it('RISK_STRATEGY_LIMIT: working orders per strategy', () => {
    const venue = esVenue({ risk: { strategyDefaults: { maxOpenOrders: 2 } } });
    const limit = (id: string) => ({
      clientOrderId: id,
      instrument: ESZ6,
      side: 'buy' as const,
      quantity: 1,
      orderType: 'limit' as const,
      limitPrice: 5990,
    });
    venue.send(limit('o1'));
    venue.send(limit('o2'));
    expect(rejection(venue.send(limit('o3'))).code).toBe('RISK_STRATEGY_LIMIT');
    venue.cancel('o1');
    expect(orderUpdates(venue.send(limit('o4')))[0]?.status).toBe('accepted');
  });

  it('RISK_RATE_LIMIT: orders per sliding second of input time; refused orders do not count', () => {
    const venue = esVenue({ risk: { strategyDefaults: { maxOrdersPerSecond: 3 } } });
    const t0 = venue.now;
    const send = (id: string, atOffset: number) => {
      venue.now = t0 + atOffset;
      return orderUpdates(venue.send({ clientOrderId: id, instrument: ESZ6, side: 'buy', quantity: 1 }, 0))[0];
    };
    expect(send('r1', 0)?.status).toBe('accepted');
    expect(send('r2', 100)?.status).toBe('accepted');
    expect(send('r3', 200)?.status).toBe('accepted');
    expect(send('r4', 300)).toMatchObject({ status: 'rejected', reasonCode: 'RISK_RATE_LIMIT' });
    expect(send('r5', 1000)?.status).toBe('accepted'); // r1 left the window; r4 never entered it
    expect(send('r6', 1050)).toMatchObject({ status: 'rejected', reasonCode: 'RISK_RATE_LIMIT' });
    expect(send('r7', 1100)?.status).toBe('accepted');
  });

  it('RISK_PRICE_BAND: limit and stop prices within ±5% of the last price (ES default)', () => {
    const venue = esVenue();
    expect(
      rejection(venue.send({ clientOrderId: 'b1', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 6400 })).code,
    ).toBe('RISK_PRICE_BAND');
    expect(
      rejection(venue.send({ clientOrderId: 'b2', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'stop', stopPrice: 5600 })).code,
    ).toBe('RISK_PRICE_BAND');
    expect(
      orderUpdates(
        venue.send({ clientOrderId: 'b3', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'limit', limitPrice: 6290 }),
      )[0]?.status,
    ).toBe('accepted');
  });

  it('the price band is not checked while no last price is known', () => {
    const venue = new Venue();
    expect(
      orderUpdates(venue.send({ clientOrderId: 'nb', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 100 }))[0]
        ?.status,
    ).toBe('accepted');
  });

  it('NO_MARKET_PRICE: a market order before any price', () => {
    const venue = new Venue();
    expect(rejection(venue.send({ clientOrderId: 'np', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe('NO_MARKET_PRICE');
  });

  it.each<[string, Instrument]>([
    ['an unknown futures root', { symbol: 'XXZ6', assetClass: 'futures', venue: 'CME' }],
    ['a continuous futures series', ES1],
    ['the wrong asset class', { ...EURUSD, assetClass: 'crypto' }],
    ['an unknown venue', { ...EURUSD, venue: 'NOWHERE' }],
    ['a root listed on another exchange', { ...ESZ6, venue: 'CBOT' }],
  ])('UNKNOWN_INSTRUMENT: %s', (_name, instrument) => {
    const venue = new Venue();
    expect(rejection(venue.send({ clientOrderId: 'u1', instrument, side: 'buy', quantity: 1 })).code).toBe('UNKNOWN_INSTRUMENT');
  });

  it.each([
    ['a limit order without limitPrice', { orderType: 'limit' as const }],
    ['a stop order without stopPrice', { orderType: 'stop' as const }],
    ['a stop-limit without limitPrice', { orderType: 'stop_limit' as const, stopPrice: 6000 }],
    ['a market order with a limitPrice', { limitPrice: 6000 }],
    ['a quantity off the lot (1 contract)', { quantity: 1.5 }],
    ['a limit price off the tick (0.25)', { orderType: 'limit' as const, limitPrice: 6000.1 }],
  ])('INVALID_ORDER: %s', (_name, fields) => {
    const venue = esVenue();
    expect(rejection(venue.send({ clientOrderId: 'i1', instrument: ESZ6, side: 'buy', quantity: 1, ...fields })).code).toBe(
      'INVALID_ORDER',
    );
  });

  it('DUPLICATE_CLIENT_ORDER_ID: the same client order id never fills twice', () => {
    const venue = esVenue();
    venue.send({ clientOrderId: 'dup', instrument: ESZ6, side: 'buy', quantity: 1 });
    const again = venue.send({ clientOrderId: 'dup', instrument: ESZ6, side: 'buy', quantity: 1 });
    const denied = rejection(again);
    expect(denied.code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(denied.venueOrderId).toBeUndefined();
    expect(venue.engine.fills()).toHaveLength(1);
    expect(venue.engine.order('dup')?.status).toBe('filled');
    expect(venue.engine.positions()[0]?.quantity).toBe(1);
  });

  it('DUPLICATE_CLIENT_ORDER_ID: also for the id of a rejected order', () => {
    const venue = new Venue();
    expect(rejection(venue.send({ clientOrderId: 'rej', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe('NO_MARKET_PRICE');
    venue.price(ESZ6, 6000);
    expect(rejection(venue.send({ clientOrderId: 'rej', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe(
      'DUPLICATE_CLIENT_ORDER_ID',
    );
    expect(fillsOf(venue.log)).toEqual([]);
  });

  it('checks in a fixed order: a duplicate is reported as such even when halted and malformed', () => {
    const venue = esVenue();
    venue.send({ clientOrderId: 'first', instrument: ESZ6, side: 'buy', quantity: 1 });
    venue.tradingState('HALTED');
    expect(rejection(venue.send({ clientOrderId: 'first', instrument: ESZ6, side: 'buy', quantity: 1.5 })).code).toBe(
      'DUPLICATE_CLIENT_ORDER_ID',
    );
    expect(rejection(venue.send({ clientOrderId: 'second', instrument: ESZ6, side: 'buy', quantity: 1.5 })).code).toBe('INVALID_ORDER');
    expect(rejection(venue.send({ clientOrderId: 'third', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe('RISK_TRADING_HALTED');
  });

  it.each([
    ['a zero quantity', { quantity: 0 }],
    ['a negative quantity', { quantity: -1 }],
    ['a clientOrderId longer than 36 characters', { clientOrderId: 'x'.repeat(37) }],
  ])('refuses an intent that breaks its own contract (%s) with an EngineInputError, changing nothing', (_name, fields) => {
    const venue = esVenue();
    const before = JSON.stringify(venue.engine.snapshot());
    const intent = makeIntent({ clientOrderId: 'bad', instrument: ESZ6, side: 'buy', quantity: 1, ...fields });
    expect(() => venue.engine.apply({ kind: 'intent', intent, eventId: 'evt-bad', at: venue.at })).toThrow(EngineInputError);
    expect(JSON.stringify(venue.engine.snapshot())).toBe(before);
  });

  it('never blocks an exit: tighter limits after a restore still let the position be reduced', () => {
    const loose = esVenue();
    loose.send({ clientOrderId: 'big', instrument: ESZ6, side: 'buy', quantity: 10 });
    const tight = new Venue(
      ExecutionEngine.restore(
        loose.engine.snapshot(),
        testConfig({ risk: { instruments: { ES: { maxPosition: 2 } }, strategyDefaults: { maxGrossNotional: { USD: 1 } } } }),
        catalog,
      ),
    );
    tight.now = loose.now;
    expect(rejection(tight.send({ clientOrderId: 'more', instrument: ESZ6, side: 'buy', quantity: 1 })).code).toBe('RISK_MAX_POSITION');
    expect(story(tight.send({ clientOrderId: 'exit', instrument: ESZ6, side: 'sell', quantity: 10 }))).toContain('order exit filled');
  });
});
