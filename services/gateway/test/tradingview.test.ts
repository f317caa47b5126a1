import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MAGNITUDE, parseStrictNumber } from '../src/domain/numbers.js';
import { normalizeInterval } from '../src/domain/timing.js';
import { parseTradingViewAlert } from '../src/domain/tradingview.js';
import { aliasKey, fieldForName, TRADINGVIEW_FIELDS } from '../src/domain/tradingview-aliases.js';

describe('parseTradingViewAlert', () => {
  it('reads JSON under any alias spelling, nested or flat', () => {
    const body = JSON.stringify({
      Symbol: 'ES1!',
      strategy: { order: { action: 'buy', contracts: '2' }, market_position_size: 2 },
      marketPosition: 'long',
    });
    expect(parseTradingViewAlert(body, 'text/plain')).toEqual({
      ok: true,
      format: 'json',
      fields: { ticker: 'ES1!', action: 'buy', quantity: 2, marketPositionSize: 2, marketPosition: 'long' },
    });
  });

  it('ignores fields it does not know, and null values', () => {
    expect(parseTradingViewAlert('{"ticker":"ES1!","passphrase":"x","plot_0":"{{plot_0}}","price":null}', 'application/json')).toEqual({
      ok: true,
      format: 'json',
      fields: { ticker: 'ES1!' },
    });
  });

  it('accepts two aliases that agree', () => {
    expect(parseTradingViewAlert('{"qty":"2","contracts":2}', 'application/json')).toMatchObject({ ok: true, fields: { quantity: 2 } });
  });

  it('reads key: value lines, key=value pairs and free text in one message', () => {
    const text = 'Strategy says: BUY NQ1! @ 21000\nqty=2 comment="breakout, volume"\ninterval: 15';
    expect(parseTradingViewAlert(text, 'text/plain')).toEqual({
      ok: true,
      format: 'text',
      fields: { interval: '15', quantity: 2, comment: 'breakout, volume', action: 'BUY', price: 21000, ticker: 'NQ1!' },
    });
  });

  it("reads TradingView's default strategy message, signed position included", () => {
    expect(parseTradingViewAlert('order sell @ 1 filled on MESZ2026. New strategy position is -1', 'text/plain')).toEqual({
      ok: true,
      format: 'text',
      fields: { action: 'sell', quantity: 1, ticker: 'MESZ2026', positionSize: -1 },
    });
  });
});

describe('the alias table', () => {
  it('gives every spelling exactly one field', () => {
    for (const [field, spec] of Object.entries(TRADINGVIEW_FIELDS)) {
      for (const name of spec.names) expect(fieldForName(name), name).toBe(field);
    }
    expect(aliasKey('strategy.market_position')).toBe('strategymarketposition');
    expect(fieldForName('Market-Position')).toBe('marketPosition');
    expect(fieldForName('stop')).toBeUndefined();
    expect(fieldForName('lots')).toBeUndefined();
  });
});

describe('parseStrictNumber', () => {
  it('round-trips every finite number within range, as a number and as text', () => {
    const inRange = fc.double({ min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE, noNaN: true });
    fc.assert(
      fc.property(inRange, (value) => {
        const expected = value === 0 ? 0 : value;
        expect(parseStrictNumber('x', value)).toEqual({ ok: true, value: expected });
        expect(parseStrictNumber('x', String(value))).toEqual({ ok: true, value: expected });
      }),
    );
  });

  it.each(['', ' ', '+', '-', '.', '1.', '1e', '0x10', '1_000', '1 000', '1.000,5', '12,34', '2abc', 'NaN', 'Infinity', '-Infinity'])(
    'refuses %j',
    (text) => {
      expect(parseStrictNumber('x', text).ok).toBe(false);
    },
  );

  it.each([
    ['1,000.5', 1000.5],
    [' 6012.25 ', 6012.25],
    ['-37.63', -37.63],
    ['.5', 0.5],
    ['1e3', 1000],
  ])('reads %j', (text, value) => {
    expect(parseStrictNumber('x', text)).toEqual({ ok: true, value });
  });
});

describe('normalizeInterval', () => {
  it.each([
    ['1', '1'],
    ['60', '60'],
    ['240', '240'],
    ['D', '1D'],
    ['1D', '1D'],
    ['W', '1W'],
    ['M', '1M'],
    ['12M', '12M'],
    ['S', '1S'],
    ['30S', '30S'],
    ['15m', '15'],
    ['1h', '60'],
    ['1d', '1D'],
    ['2 weeks', '2W'],
    ['05', '5'],
  ])('%s -> %s', (written, normalized) => {
    expect(normalizeInterval(written)).toEqual({ ok: true, value: normalized });
  });

  it.each(['0', '100000', '1T', '10R', 'hourly', '-5'])('refuses %s', (written) => {
    expect(normalizeInterval(written).ok).toBe(false);
  });
});
