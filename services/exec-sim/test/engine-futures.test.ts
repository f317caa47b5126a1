import { describe, expect, it } from 'vitest';
import { ESZ6, fillsOf, MESZ6, story, Venue } from './support/engine-harness.js';

describe('futures: ES (multiplier 50, $2.25 per contract per side)', () => {
  it('buy 2 @ 6000.25 then sell 3 @ 6010.50 realizes the closed 2 and flips to short 1 @ 6010.50', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000.25);
    const buy = venue.send({ clientOrderId: 'es-buy-1', instrument: ESZ6, side: 'buy', quantity: 2 });
    expect(story(buy)).toEqual(['order es-buy-1 accepted', 'fill es-buy-1 buy 2@6000.25 taker', 'order es-buy-1 filled']);
    expect(fillsOf(buy)[0]?.commission).toEqual({ amount: 4.5, currency: 'USD' });

    venue.price(ESZ6, 6010.5);
    const sell = venue.send({ clientOrderId: 'es-sell-1', instrument: ESZ6, side: 'sell', quantity: 3 });
    expect(fillsOf(sell)[0]).toMatchObject({
      lastQty: 3,
      lastPx: 6010.5,
      commission: { amount: 6.75, currency: 'USD' },
      orderStatus: 'filled',
    });

    // (6010.50 - 6000.25) × 2 × 50 = 1025, minus 4.50 + 6.75 of commission.
    const [position] = venue.engine.positions();
    expect(position).toMatchObject({
      strategyId: 'strat-a',
      quantity: -1,
      avgPx: 6010.5,
      realizedPnl: { amount: 1025 - 4.5 - 6.75, currency: 'USD' },
      unrealizedPnl: { amount: 0, currency: 'USD' },
    });
    expect(position?.realizedPnl.amount).toBe(1013.75);
  });

  it('marks the short at the last price and realizes it when covered', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000.25);
    venue.send({ clientOrderId: 'es-buy-1', instrument: ESZ6, side: 'buy', quantity: 2 });
    venue.price(ESZ6, 6010.5);
    venue.send({ clientOrderId: 'es-sell-1', instrument: ESZ6, side: 'sell', quantity: 3 });
    venue.price(ESZ6, 6005.5);
    // Short 1 from 6010.50 marked at 6005.50: (6005.50 - 6010.50) × -1 × 50 = +250.
    expect(venue.engine.positions()[0]?.unrealizedPnl).toEqual({ amount: 250, currency: 'USD' });
    expect(venue.engine.pnl()).toEqual({
      strategies: [{ strategyId: 'strat-a', lines: [{ currency: 'USD', realized: 1013.75, unrealized: 250, total: 1263.75 }] }],
      total: [{ currency: 'USD', realized: 1013.75, unrealized: 250, total: 1263.75 }],
    });
    venue.send({ clientOrderId: 'es-cover-1', instrument: ESZ6, side: 'buy', quantity: 1 });
    const [flat] = venue.engine.positions();
    expect(flat).toMatchObject({ quantity: 0, realizedPnl: { amount: 1013.75 + 250 - 2.25 } });
    expect(flat?.avgPx).toBeUndefined();
  });

  it('adds to a position at the weighted average price', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'add-1', instrument: ESZ6, side: 'buy', quantity: 1 });
    venue.price(ESZ6, 6003);
    venue.send({ clientOrderId: 'add-2', instrument: ESZ6, side: 'buy', quantity: 3 });
    expect(venue.engine.positions()[0]).toMatchObject({ quantity: 4, avgPx: 6002.25, realizedPnl: { amount: -9 } });
  });

  it('charges the micro rate ($0.62) on micro contracts (MES, multiplier 5)', () => {
    const venue = new Venue();
    venue.price(MESZ6, 6000);
    const outputs = venue.send({ clientOrderId: 'mes-1', instrument: MESZ6, side: 'buy', quantity: 3 });
    expect(fillsOf(outputs)[0]?.commission).toEqual({ amount: 1.86, currency: 'USD' });
    venue.price(MESZ6, 6010);
    expect(venue.engine.positions()[0]?.unrealizedPnl.amount).toBe(10 * 3 * 5);
  });

  it('slips taker fills by whole ticks, adversely, within the configured maximum', () => {
    const venue = Venue.with({ fillModel: { slippage: { futures: { unit: 'ticks', max: 4 } } } });
    venue.price(ESZ6, 6000);
    const prices: number[] = [];
    for (let i = 0; i < 40; i++) {
      const side = i % 2 === 0 ? 'buy' : 'sell';
      const fill = fillsOf(venue.send({ clientOrderId: `slip-${i}`, instrument: ESZ6, side, quantity: 1 }))[0];
      const slip = side === 'buy' ? (fill?.lastPx ?? 0) - 6000 : 6000 - (fill?.lastPx ?? 0);
      expect(slip).toBeGreaterThanOrEqual(0);
      expect(slip).toBeLessThanOrEqual(1);
      expect(Number.isInteger(slip / 0.25)).toBe(true);
      prices.push(fill?.lastPx ?? 0);
    }
    expect(new Set(prices).size).toBeGreaterThan(2);
  });
});
