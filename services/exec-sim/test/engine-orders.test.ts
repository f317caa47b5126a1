import { describe, expect, it } from 'vitest';
import { ESZ6, fillsOf, orderUpdates, story, Venue } from './support/engine-harness.js';

describe('order types', () => {
  it('a limit rests, then fills as maker at its limit when a later price crosses it (even through a gap)', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    const placed = venue.send({ clientOrderId: 'lmt', instrument: ESZ6, side: 'buy', quantity: 2, orderType: 'limit', limitPrice: 5990 });
    expect(orderUpdates(placed)[0]).toMatchObject({ status: 'accepted', filledQty: 0, leavesQty: 2, limitPrice: 5990 });
    expect(venue.price(ESZ6, 5995)).toEqual([]);
    expect(story(venue.price(ESZ6, 5980))).toEqual(['fill lmt buy 2@5990 maker', 'order lmt filled']);
  });

  it('a sell limit fills when the price reaches it from below', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'sell-lmt', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'limit', limitPrice: 6010 });
    expect(venue.price(ESZ6, 6009.75)).toEqual([]);
    expect(story(venue.price(ESZ6, 6010))).toEqual(['fill sell-lmt sell 1@6010 maker', 'order sell-lmt filled']);
  });

  it('a marketable limit fills at once as taker, never beyond its limit', () => {
    const venue = Venue.with({ fillModel: { slippage: { futures: { unit: 'ticks', max: 4 } } } });
    venue.price(ESZ6, 6000);
    for (let i = 0; i < 10; i++) {
      const fill = fillsOf(
        venue.send({ clientOrderId: `mlmt-${i}`, instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 6000 }),
      )[0];
      expect(fill).toMatchObject({ lastPx: 6000, liquiditySide: 'taker' });
    }
  });

  it('a buy stop triggers at a price >= its stop and fills as a market order', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    expect(
      story(venue.send({ clientOrderId: 'stp', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'stop', stopPrice: 6010 })),
    ).toEqual(['order stp accepted']);
    expect(venue.price(ESZ6, 6009.75)).toEqual([]);
    expect(story(venue.price(ESZ6, 6012))).toEqual(['fill stp buy 1@6012 taker', 'order stp filled']);
    expect(venue.engine.order('stp')?.triggered).toBe(true);
  });

  it('a sell stop triggers at a price <= its stop', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'sell-stp', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'stop', stopPrice: 5990 });
    expect(venue.price(ESZ6, 5990.25)).toEqual([]);
    expect(story(venue.price(ESZ6, 5989))).toEqual(['fill sell-stp sell 1@5989 taker', 'order sell-stp filled']);
  });

  it('a stop-limit triggers into a limit that rests when the price is beyond it, then makes liquidity', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({
      clientOrderId: 'stl',
      instrument: ESZ6,
      side: 'buy',
      quantity: 1,
      orderType: 'stop_limit',
      stopPrice: 6010,
      limitPrice: 6011,
    });
    expect(venue.price(ESZ6, 6012)).toEqual([]);
    expect(venue.engine.order('stl')).toMatchObject({ triggered: true, status: 'accepted' });
    expect(story(venue.price(ESZ6, 6011))).toEqual(['fill stl buy 1@6011 maker', 'order stl filled']);
  });

  it('a stop-limit whose trigger price is inside its limit fills at once as taker', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({
      clientOrderId: 'stl2',
      instrument: ESZ6,
      side: 'buy',
      quantity: 1,
      orderType: 'stop_limit',
      stopPrice: 6010,
      limitPrice: 6011,
    });
    expect(story(venue.price(ESZ6, 6010.5))).toEqual(['fill stl2 buy 1@6010.5 taker', 'order stl2 filled']);
  });
});

describe('time in force', () => {
  const capped = { fillModel: { liquidityPerEvent: { futures: 5 } } };

  it('IOC: fills what it can now and cancels the remainder', () => {
    const venue = Venue.with(capped);
    venue.price(ESZ6, 6000);
    const outputs = venue.send({ clientOrderId: 'ioc', instrument: ESZ6, side: 'buy', quantity: 8, timeInForce: 'IOC' });
    expect(story(outputs)).toEqual([
      'order ioc accepted',
      'fill ioc buy 5@6000 taker',
      'order ioc partially_filled',
      'order ioc canceled IOC_REMAINDER_CANCELED',
    ]);
    expect(orderUpdates(outputs).at(-1)).toMatchObject({ filledQty: 5, leavesQty: 0, avgPx: 6000 });
    expect(venue.price(ESZ6, 6000)).toEqual([]);
  });

  it('IOC: a limit that cannot trade now is canceled with nothing filled', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    const outputs = venue.send({
      clientOrderId: 'ioc-lmt',
      instrument: ESZ6,
      side: 'buy',
      quantity: 1,
      orderType: 'limit',
      limitPrice: 5990,
      timeInForce: 'IOC',
    });
    expect(story(outputs)).toEqual(['order ioc-lmt accepted', 'order ioc-lmt canceled IOC_REMAINDER_CANCELED']);
  });

  it('FOK: all or nothing', () => {
    const venue = Venue.with(capped);
    venue.price(ESZ6, 6000);
    const tooBig = venue.send({ clientOrderId: 'fok-8', instrument: ESZ6, side: 'buy', quantity: 8, timeInForce: 'FOK' });
    expect(story(tooBig)).toEqual(['order fok-8 accepted', 'order fok-8 canceled FOK_NOT_FILLABLE']);
    expect(fillsOf(tooBig)).toEqual([]);
    const fits = venue.send({ clientOrderId: 'fok-5', instrument: ESZ6, side: 'buy', quantity: 5, timeInForce: 'FOK' });
    expect(story(fits)).toEqual(['order fok-5 accepted', 'fill fok-5 buy 5@6000 taker', 'order fok-5 filled']);
    const away = venue.send({
      clientOrderId: 'fok-lmt',
      instrument: ESZ6,
      side: 'sell',
      quantity: 1,
      orderType: 'limit',
      limitPrice: 6010,
      timeInForce: 'FOK',
    });
    expect(story(away)).toEqual(['order fok-lmt accepted', 'order fok-lmt canceled FOK_NOT_FILLABLE']);
  });

  it('DAY: expires at the end of the session, with what it filled; GTC stays', () => {
    const venue = Venue.with(capped);
    venue.price(ESZ6, 6000);
    venue.send({
      clientOrderId: 'day',
      instrument: ESZ6,
      side: 'buy',
      quantity: 7,
      orderType: 'limit',
      limitPrice: 5990,
      timeInForce: 'DAY',
    });
    venue.send({ clientOrderId: 'gtc', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'limit', limitPrice: 6050 });
    venue.price(ESZ6, 5990);
    const expired = venue.sessionEnd();
    expect(story(expired)).toEqual(['order day expired DAY_EXPIRED']);
    expect(orderUpdates(expired)[0]).toMatchObject({ filledQty: 5, leavesQty: 0 });
    expect(venue.engine.order('gtc')?.status).toBe('accepted');
    expect(venue.sessionEnd()).toEqual([]);
  });
});

describe('cancel', () => {
  it('cancels a working order (CANCELED_BY_USER); unknown and finished orders give no output', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'c1', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 5990 });
    expect(story(venue.cancel('c1'))).toEqual(['order c1 canceled CANCELED_BY_USER']);
    expect(venue.cancel('c1')).toEqual([]);
    expect(venue.cancel('never-seen')).toEqual([]);
    venue.send({ clientOrderId: 'c2', instrument: ESZ6, side: 'buy', quantity: 1 });
    expect(venue.cancel('c2')).toEqual([]);
    expect(venue.price(ESZ6, 5980)).toEqual([]);
  });
});

describe('reduce-only at execution time', () => {
  it('cuts a reduce-only order to what is left of the position and cancels the rest', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'long', instrument: ESZ6, side: 'buy', quantity: 3 });
    venue.send({
      clientOrderId: 'tp-a',
      instrument: ESZ6,
      side: 'sell',
      quantity: 2,
      orderType: 'limit',
      limitPrice: 6020,
      reduceOnly: true,
    });
    venue.send({
      clientOrderId: 'tp-b',
      instrument: ESZ6,
      side: 'sell',
      quantity: 2,
      orderType: 'limit',
      limitPrice: 6020,
      reduceOnly: true,
    });
    expect(story(venue.price(ESZ6, 6020))).toEqual([
      'fill tp-a sell 2@6020 maker',
      'order tp-a filled',
      'fill tp-b sell 1@6020 maker',
      'order tp-b partially_filled',
      'order tp-b canceled RISK_REDUCE_ONLY',
    ]);
    expect(venue.engine.positions()[0]?.quantity).toBe(0);
  });

  it('cancels a reduce-only stop that triggers after the position is gone', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'long', instrument: ESZ6, side: 'buy', quantity: 1 });
    venue.send({ clientOrderId: 'sl', instrument: ESZ6, side: 'sell', quantity: 1, orderType: 'stop', stopPrice: 5990, reduceOnly: true });
    venue.send({ clientOrderId: 'exit', instrument: ESZ6, side: 'sell', quantity: 1 });
    expect(story(venue.price(ESZ6, 5985))).toEqual(['order sl canceled RISK_REDUCE_ONLY']);
    expect(venue.engine.positions()[0]?.quantity).toBe(0);
  });
});

describe('trading state', () => {
  it('HALTED freezes the book: prices are recorded, nothing fills until ACTIVE again', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'rest', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 5990 });
    venue.tradingState('HALTED');
    expect(venue.engine.tradingState).toBe('HALTED');
    expect(venue.price(ESZ6, 5980)).toEqual([]);
    venue.tradingState('ACTIVE');
    expect(story(venue.price(ESZ6, 5985))).toEqual(['fill rest buy 1@5990 maker', 'order rest filled']);
  });
});
