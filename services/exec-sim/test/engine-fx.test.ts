import { describe, expect, it } from 'vitest';
import { EURUSD, fillsOf, orderUpdates, story, USDJPY, Venue } from './support/engine-harness.js';

describe('fx: spread-priced, commission-free', () => {
  it('EURUSD 100,000: a taker pays half the 0.8-pip spread; 1 pip is worth $10', () => {
    const venue = new Venue();
    venue.price(EURUSD, 1.085);
    const buy = fillsOf(venue.send({ clientOrderId: 'eu-buy', instrument: EURUSD, side: 'buy', quantity: 100_000 }))[0];
    // Mid 1.08500 + 0.4 pip = 1.08504.
    expect(buy).toMatchObject({ lastPx: 1.08504, liquiditySide: 'taker', commission: { amount: 0, currency: 'USD' } });

    // Mid up 10 pips from the fill: 10 pips × $10 = $100 unrealized.
    venue.price(EURUSD, 1.08604);
    expect(venue.engine.positions()[0]?.unrealizedPnl).toEqual({ amount: 100, currency: 'USD' });

    venue.price(EURUSD, 1.0875);
    const sell = fillsOf(venue.send({ clientOrderId: 'eu-sell', instrument: EURUSD, side: 'sell', quantity: 100_000 }))[0];
    expect(sell?.lastPx).toBe(1.08746);
    // 1.08746 - 1.08504 = 24.2 pips × $10 = $242.
    expect(venue.engine.positions()[0]).toMatchObject({ quantity: 0, realizedPnl: { amount: 242, currency: 'USD' } });
  });

  it('a resting limit fills as maker at its limit, without the spread', () => {
    const venue = new Venue();
    venue.price(EURUSD, 1.085);
    expect(
      story(
        venue.send({ clientOrderId: 'eu-lmt', instrument: EURUSD, side: 'buy', quantity: 50_000, orderType: 'limit', limitPrice: 1.084 }),
      ),
    ).toEqual(['order eu-lmt accepted']);
    expect(story(venue.price(EURUSD, 1.0839))).toEqual(['fill eu-lmt buy 50000@1.084 maker', 'order eu-lmt filled']);
  });

  it('USDJPY keeps PnL in JPY (pip 0.01, half spread 0.005)', () => {
    const venue = new Venue();
    venue.price(USDJPY, 150);
    expect(fillsOf(venue.send({ clientOrderId: 'uj-buy', instrument: USDJPY, side: 'buy', quantity: 100_000 }))[0]?.lastPx).toBe(150.005);
    venue.price(USDJPY, 150.5);
    expect(fillsOf(venue.send({ clientOrderId: 'uj-sell', instrument: USDJPY, side: 'sell', quantity: 100_000 }))[0]?.lastPx).toBe(150.495);
    // 0.49 × 100,000 = 49,000 JPY (49 pips × 1,000 JPY).
    expect(venue.engine.positions()[0]?.realizedPnl).toEqual({ amount: 49_000, currency: 'JPY' });
  });

  it('rejects a quantity off the 1,000-unit lot and a price off the 0.00001 tick', () => {
    const venue = new Venue();
    venue.price(EURUSD, 1.085);
    const offLot = orderUpdates(venue.send({ clientOrderId: 'eu-lot', instrument: EURUSD, side: 'buy', quantity: 1_500 }))[0];
    expect(offLot).toMatchObject({ status: 'rejected', reasonCode: 'INVALID_ORDER' });
    expect(offLot?.reason).toContain('lot size 1000');
    const offTick = orderUpdates(
      venue.send({ clientOrderId: 'eu-tick', instrument: EURUSD, side: 'buy', quantity: 1_000, orderType: 'limit', limitPrice: 1.085005 }),
    )[0];
    expect(offTick).toMatchObject({ status: 'rejected', reasonCode: 'INVALID_ORDER' });
  });
});
