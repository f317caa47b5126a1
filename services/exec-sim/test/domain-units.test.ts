import { describe, expect, it } from 'vitest';
import { capAtLimit, commissionFor, liquidityCapFor, slippageFor, takerPrice } from '../src/domain/fill-model.js';
import { type InstrumentRules, resolveInstrumentRules } from '../src/domain/instrument-rules.js';
import { limitCrossed, reducibleQty, stopTriggered } from '../src/domain/matching.js';
import { decimalsOf, isOnStep, roundToStep } from '../src/domain/numeric.js';
import { applyFillToPosition, newPosition, unrealizedPnl } from '../src/domain/positions.js';
import { createRng, hashString, mulberry32, streamRng } from '../src/domain/rng.js';
import { BTCUSDT, catalog, ESZ6, EURUSD, testConfig } from './support/engine-harness.js';

function rulesOf(instrument: typeof ESZ6): InstrumentRules {
  const lookup = resolveInstrumentRules(catalog, instrument);
  if (!lookup.ok) throw new Error(lookup.reason);
  return lookup.rules;
}

describe('numeric grids', () => {
  it('counts the decimals of a step', () => {
    expect([0.25, 1, 0.00001, 1e-8, 0.015625, 5e-7].map(decimalsOf)).toEqual([2, 0, 5, 8, 6, 7]);
  });

  it('snaps float noise to the grid whatever the rounding mode', () => {
    expect(roundToStep(0.1 + 0.2, 0.1, 'down')).toBe(0.3);
    expect(roundToStep(1 - 0.3, 0.00001, 'up')).toBe(0.7);
    expect(roundToStep(6000.1, 0.25, 'up')).toBe(6000.25);
    expect(roundToStep(6000.1, 0.25, 'down')).toBe(6000);
    expect(roundToStep(-0.1, 0.25, 'nearest')).toBe(0);
    expect(Object.is(roundToStep(-0.1, 0.25), 0)).toBe(true);
  });

  it('tells on-grid values from off-grid ones', () => {
    expect(isOnStep(6000.25, 0.25)).toBe(true);
    expect(isOnStep(6000.1, 0.25)).toBe(false);
    expect(isOnStep(0.3, 0.00001)).toBe(true);
    expect(isOnStep(1.085005, 0.00001)).toBe(false);
    expect(isOnStep(110.109375, 0.015625)).toBe(true);
  });
});

describe('seeded randomness', () => {
  it('mulberry32 is a pure function of its seed, uniform in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('streams are named by their parts', () => {
    expect(streamRng(1, 'order-1', 'fill', 1).next()).toBe(streamRng(1, 'order-1', 'fill', 1).next());
    expect(streamRng(1, 'order-1', 'fill', 1).next()).not.toBe(streamRng(1, 'order-1', 'fill', 2).next());
    expect(streamRng(1, 'order-1', 'fill', 1).next()).not.toBe(streamRng(2, 'order-1', 'fill', 1).next());
    expect(hashString('a')).not.toBe(hashString('b'));
  });

  it('integer() covers [min, max] inclusive', () => {
    const rng = createRng(9);
    const seen = new Set(Array.from({ length: 500 }, () => rng.integer(0, 3)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('instrument rules', () => {
  it('resolves futures, fx and crypto rules from the catalog', () => {
    expect(rulesOf(ESZ6)).toMatchObject({
      key: 'CME:ESZ6',
      root: 'ES',
      tickSize: 0.25,
      multiplier: 50,
      currency: 'USD',
      fee: { kind: 'per-contract', perContract: 2.25 },
    });
    expect(rulesOf(EURUSD)).toMatchObject({ tickSize: 0.00001, lotSize: 1000, currency: 'USD', fee: { kind: 'spread' } });
    expect((rulesOf(EURUSD).fee as { halfSpread: number }).halfSpread).toBeCloseTo(0.00004, 12);
    expect(rulesOf(BTCUSDT)).toMatchObject({
      tickSize: 0.01,
      lotSize: 0.00001,
      currency: 'USDT',
      fee: { kind: 'bps', makerBps: 10, takerBps: 10 },
    });
  });
});

describe('fill model', () => {
  const config = testConfig({
    fillModel: { slippageByInstrument: { ES: { unit: 'bps', max: 1 } }, liquidityByInstrument: { ESZ6: 3, ES: 7 } },
  });

  it('looks configuration up by symbol, then root, then asset class', () => {
    expect(slippageFor(config.fillModel, rulesOf(ESZ6))).toEqual({ unit: 'bps', max: 1 });
    expect(liquidityCapFor(config.fillModel, rulesOf(ESZ6))).toBe(3);
    expect(liquidityCapFor(config.fillModel, rulesOf(BTCUSDT))).toBe(Number.POSITIVE_INFINITY);
  });

  it('prices takers adversely on the tick grid and caps them at the limit', () => {
    const rules = rulesOf(ESZ6);
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const buy = takerPrice('buy', 6000, rules, { unit: 'bps', max: 5 }, rng);
      expect(buy).toBeGreaterThanOrEqual(6000);
      expect(buy).toBeLessThanOrEqual(6003.25);
      expect(isOnStep(buy, 0.25)).toBe(true);
      expect(takerPrice('sell', 6000, rules, { unit: 'bps', max: 5 }, rng)).toBeLessThanOrEqual(6000);
    }
    expect(capAtLimit('buy', 6001, 6000.5)).toBe(6000.5);
    expect(capAtLimit('sell', 5999, 5999.5)).toBe(5999.5);
    expect(capAtLimit('buy', 6001, undefined)).toBe(6001);
  });

  it('charges per contract, per bps of notional, or nothing (spread)', () => {
    expect(commissionFor(rulesOf(ESZ6), 3, 6000, 'taker')).toEqual({ amount: 6.75, currency: 'USD' });
    expect(commissionFor(rulesOf(BTCUSDT), 0.02, 97850.5, 'maker')).toEqual({ amount: 1.95701, currency: 'USDT' });
    expect(commissionFor(rulesOf(EURUSD), 100_000, 1.08, 'taker')).toEqual({ amount: 0, currency: 'USD' });
  });
});

describe('matching predicates', () => {
  it('stops trigger through the stop, limits fill through the limit', () => {
    expect([
      stopTriggered('buy', 100, 100),
      stopTriggered('buy', 100, 99.75),
      stopTriggered('sell', 100, 100),
      stopTriggered('sell', 100, 100.25),
    ]).toEqual([true, false, true, false]);
    expect([
      limitCrossed('buy', 100, 100),
      limitCrossed('buy', 100, 100.25),
      limitCrossed('sell', 100, 100),
      limitCrossed('sell', 100, 99.75),
    ]).toEqual([true, false, true, false]);
    expect([reducibleQty(3, 'sell'), reducibleQty(3, 'buy'), reducibleQty(-2, 'buy'), reducibleQty(0, 'sell')]).toEqual([3, 0, 2, 0]);
  });
});

describe('positions', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });

  it('flips from short to long: the closing part realizes, the rest opens at the fill price', () => {
    const position = newPosition('s', ESZ6, rulesOf(ESZ6));
    applyFillToPosition(position, 'sell', 2, 6010, usd(0));
    applyFillToPosition(position, 'buy', 5, 6000, usd(0));
    expect(position).toMatchObject({ quantity: 3, avgPx: 6000, realizedPnl: 10 * 2 * 50 });
    expect(unrealizedPnl(position, 6001)).toBe(150);
  });

  it('a partial close keeps the average price', () => {
    const position = newPosition('s', ESZ6, rulesOf(ESZ6));
    applyFillToPosition(position, 'buy', 4, 6000, usd(9));
    applyFillToPosition(position, 'sell', 1, 5990, usd(2.25));
    expect(position).toMatchObject({ quantity: 3, avgPx: 6000, realizedPnl: -500 - 9 - 2.25 });
  });

  it('does not net a commission in another currency than the position', () => {
    const position = newPosition('s', ESZ6, rulesOf(ESZ6));
    applyFillToPosition(position, 'buy', 1, 6000, { amount: 5, currency: 'EUR' });
    expect(position.realizedPnl).toBe(0);
  });
});
