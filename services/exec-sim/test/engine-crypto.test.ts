import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../generated/types.js';
import { BTCUSDT, BTCUSDT_PERP, fillsOf, orderUpdates, story, Venue } from './support/engine-harness.js';

describe('crypto: bps fees in the quote currency, liquidity cap per price', () => {
  it('BTCUSDT: a resting limit fills in parts of at most 0.3 per price, as maker, 10 bps in USDT', () => {
    const venue = Venue.with({ fillModel: { liquidityByInstrument: { BTCUSDT: 0.3 } } });
    venue.price(BTCUSDT, 60_500);
    venue.send({ clientOrderId: 'btc-lmt', instrument: BTCUSDT, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 60_000 });
    expect(story(venue.price(BTCUSDT, 59_990))).toEqual(['fill btc-lmt buy 0.3@60000 maker', 'order btc-lmt partially_filled']);
    venue.price(BTCUSDT, 59_980);
    expect(venue.price(BTCUSDT, 60_010)).toEqual([]);
    venue.price(BTCUSDT, 60_000);
    expect(story(venue.price(BTCUSDT, 59_000))).toEqual(['fill btc-lmt buy 0.1@60000 maker', 'order btc-lmt filled']);

    const fills = fillsOf(venue.log);
    expect(fills.map((fill) => [fill.lastQty, fill.cumQty, fill.leavesQty, fill.orderStatus])).toEqual([
      [0.3, 0.3, 0.7, 'partially_filled'],
      [0.3, 0.6, 0.4, 'partially_filled'],
      [0.3, 0.9, 0.1, 'partially_filled'],
      [0.1, 1, 0, 'filled'],
    ]);
    // 0.3 × 60,000 × 10 bps = 18 USDT; 0.1 × 60,000 × 10 bps = 6 USDT.
    expect(fills.map((fill) => fill.commission)).toEqual([
      { amount: 18, currency: 'USDT' },
      { amount: 18, currency: 'USDT' },
      { amount: 18, currency: 'USDT' },
      { amount: 6, currency: 'USDT' },
    ]);
    expect(venue.engine.positions()[0]).toMatchObject({
      quantity: 1,
      avgPx: 60_000,
      realizedPnl: { amount: -60, currency: 'USDT' },
      unrealizedPnl: { amount: -1000, currency: 'USDT' },
    });
  });

  it('a market order takes what the cap allows and keeps working for the rest (GTC)', () => {
    const venue = Venue.with({ fillModel: { liquidityByInstrument: { BTCUSDT: 0.3 } } });
    venue.price(BTCUSDT, 60_000);
    expect(story(venue.send({ clientOrderId: 'btc-mkt', instrument: BTCUSDT, side: 'buy', quantity: 0.5 }))).toEqual([
      'order btc-mkt accepted',
      'fill btc-mkt buy 0.3@60000 taker',
      'order btc-mkt partially_filled',
    ]);
    const rest = venue.price(BTCUSDT, 60_100);
    expect(story(rest)).toEqual(['fill btc-mkt buy 0.2@60100 taker', 'order btc-mkt filled']);
    expect(fillsOf(rest)[0]?.commission).toEqual({ amount: 12.02, currency: 'USDT' });
    expect(orderUpdates(rest)[0]).toMatchObject({ filledQty: 0.5, leavesQty: 0, avgPx: 60_040 });
    expect(venue.engine.positions()[0]).toMatchObject({ quantity: 0.5, avgPx: 60_040 });
  });

  it('the cap is shared by the orders of one price, in time priority', () => {
    const venue = Venue.with({ fillModel: { liquidityByInstrument: { BTCUSDT: 0.3 } } });
    venue.price(BTCUSDT, 61_000);
    venue.send({ clientOrderId: 'first', instrument: BTCUSDT, side: 'buy', quantity: 0.2, orderType: 'limit', limitPrice: 60_000 });
    venue.send({ clientOrderId: 'second', instrument: BTCUSDT, side: 'buy', quantity: 0.2, orderType: 'limit', limitPrice: 60_000 });
    expect(story(venue.price(BTCUSDT, 59_000))).toEqual([
      'fill first buy 0.2@60000 maker',
      'order first filled',
      'fill second buy 0.1@60000 maker',
      'order second partially_filled',
    ]);
    expect(story(venue.price(BTCUSDT, 59_000))).toEqual(['fill second buy 0.1@60000 maker', 'order second filled']);
  });

  it('BTCUSDT.P charges the perpetual schedule: taker 5 bps, maker 2 bps', () => {
    const venue = new Venue();
    venue.price(BTCUSDT_PERP, 95_000);
    const entry = fillsOf(venue.send({ clientOrderId: 'perp-in', instrument: BTCUSDT_PERP, side: 'buy', quantity: 0.01 }))[0];
    expect(entry?.commission).toEqual({ amount: 0.475, currency: 'USDT' });
    venue.send({
      clientOrderId: 'perp-out',
      instrument: BTCUSDT_PERP,
      side: 'sell',
      quantity: 0.01,
      orderType: 'limit',
      limitPrice: 95_500,
    });
    const exit = fillsOf(venue.price(BTCUSDT_PERP, 95_600))[0];
    expect(exit).toMatchObject({ lastPx: 95_500, liquiditySide: 'maker', commission: { amount: 0.191, currency: 'USDT' } });
    // (95,500 - 95,000) × 0.01 = 5 USDT, minus 0.475 + 0.191.
    expect(venue.engine.positions()[0]?.realizedPnl).toEqual({ amount: 4.334, currency: 'USDT' });
  });

  it('accepts a pair the catalog does not list, on an 0.00000001 grid', () => {
    const dogeusdt: Instrument = {
      symbol: 'DOGEUSDT',
      assetClass: 'crypto',
      venue: 'BINANCE',
      baseCurrency: 'DOGE',
      quoteCurrency: 'USDT',
    };
    const venue = new Venue();
    venue.price(dogeusdt, 0.12345678);
    const fill = fillsOf(venue.send({ clientOrderId: 'doge', instrument: dogeusdt, side: 'buy', quantity: 1000.5 }))[0];
    expect(fill).toMatchObject({ lastQty: 1000.5, lastPx: 0.12345678, commission: { currency: 'USDT' } });
  });
});
