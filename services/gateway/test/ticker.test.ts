import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../generated/types.js';
import { loadInstrumentCatalog } from '../../core/src/instruments/index.js';
import { parseTradingViewTicker } from '../src/domain/ticker.js';

const catalog = loadInstrumentCatalog();
const NOV_2026 = new Date('2026-11-24T14:30:00Z');

const continuous = (symbol: string, venue: string, root: string): Instrument => ({
  symbol,
  assetClass: 'futures',
  venue,
  root,
  continuous: true,
});
const dated = (symbol: string, venue: string, root: string, contractMonth: string): Instrument => ({
  symbol,
  assetClass: 'futures',
  venue,
  root,
  contractMonth,
});
const pair = (assetClass: 'fx' | 'crypto', symbol: string, venue: string, baseCurrency: string, quoteCurrency: string): Instrument => ({
  symbol,
  assetClass,
  venue,
  baseCurrency,
  quoteCurrency,
});

describe('parseTradingViewTicker', () => {
  it.each([
    ['ES1!', undefined, continuous('ES1!', 'CME', 'ES')],
    ['NQ1!', 'CME_MINI', continuous('NQ1!', 'CME', 'NQ')],
    ['CME_MINI:ES1!', undefined, continuous('ES1!', 'CME', 'ES')],
    ['CME_MINI:ES1!', 'CME_MINI', continuous('ES1!', 'CME', 'ES')],
    ['ES2!', undefined, continuous('ES2!', 'CME', 'ES')],
    ['ESZ2026', undefined, dated('ESZ6', 'CME', 'ES', '2026-12')],
    ['ESZ26', undefined, dated('ESZ6', 'CME', 'ES', '2026-12')],
    ['ESZ6', undefined, dated('ESZ6', 'CME', 'ES', '2026-12')],
    ['esz6', undefined, dated('ESZ6', 'CME', 'ES', '2026-12')],
    ['MES1!', undefined, continuous('MES1!', 'CME', 'MES')],
    ['MNQZ2026', undefined, dated('MNQZ6', 'CME', 'MNQ', '2026-12')],
    ['CME_MINI_DL:ES1!', undefined, continuous('ES1!', 'CME', 'ES')],
    ['NYMEX:CL1!', undefined, continuous('CL1!', 'NYMEX', 'CL')],
    ['COMEX:GC1!', undefined, continuous('GC1!', 'COMEX', 'GC')],
    ['CLF7', undefined, dated('CLF7', 'NYMEX', 'CL', '2027-01')],
    ['FX:EURUSD', undefined, pair('fx', 'EURUSD', 'OANDA', 'EUR', 'USD')],
    ['OANDA:EURUSD', undefined, pair('fx', 'EURUSD', 'OANDA', 'EUR', 'USD')],
    ['EURUSD', undefined, pair('fx', 'EURUSD', 'OANDA', 'EUR', 'USD')],
    ['EURUSD', 'FX', pair('fx', 'EURUSD', 'OANDA', 'EUR', 'USD')],
    ['FX_IDC:USDJPY', undefined, pair('fx', 'USDJPY', 'OANDA', 'USD', 'JPY')],
    ['OANDA:XAUUSD', undefined, pair('fx', 'XAUUSD', 'OANDA', 'XAU', 'USD')],
    ['BINANCE:BTCUSDT', undefined, pair('crypto', 'BTCUSDT', 'BINANCE', 'BTC', 'USDT')],
    ['COINBASE:BTC-USD', undefined, pair('crypto', 'BTCUSD', 'COINBASE', 'BTC', 'USD')],
    ['BINANCE:BTCUSDT.P', undefined, pair('crypto', 'BTCUSDT.P', 'BINANCE', 'BTC', 'USDT')],
    ['BYBIT:ETHUSDT.P', undefined, pair('crypto', 'ETHUSDT.P', 'BYBIT', 'ETH', 'USDT')],
    ['ETHUSDT.P', 'BYBIT', pair('crypto', 'ETHUSDT.P', 'BYBIT', 'ETH', 'USDT')],
  ] as const)('%s (exchange %s)', (ticker, exchange, instrument) => {
    expect(parseTradingViewTicker(ticker, exchange, catalog, NOV_2026)).toEqual({ ok: true, instrument });
  });

  it('keeps a perpetual distinct from the spot pair at the same venue', () => {
    const spot = parseTradingViewTicker('BINANCE:BTCUSDT', undefined, catalog, NOV_2026);
    const perpetual = parseTradingViewTicker('BINANCE:BTCUSDT.P', undefined, catalog, NOV_2026);
    expect(spot.ok && perpetual.ok && spot.instrument.symbol !== perpetual.instrument.symbol).toBe(true);
  });

  it('resolves a one-digit year within one year back and eight ahead of the reference date', () => {
    const month = (ticker: string, at: string) => {
      const parsed = parseTradingViewTicker(ticker, undefined, catalog, new Date(at));
      return parsed.ok ? parsed.instrument.contractMonth : parsed.reason;
    };
    expect(month('ESZ5', '2026-01-10T00:00:00Z')).toBe('2025-12');
    expect(month('ESZ4', '2026-01-10T00:00:00Z')).toBe('2034-12');
    expect(month('ESH0', '2029-06-01T00:00:00Z')).toBe('2030-03');
  });

  it.each([
    ['XX1!', undefined, 'unknown futures root "XX"'],
    ['FOO', undefined, 'cannot tell the asset class of "FOO"'],
    ['', undefined, 'missing ticker'],
    ['CME_MINI:ES1!', 'NYMEX', 'ticker "CME_MINI:ES1!" and exchange "NYMEX" name different venues'],
    ['ESZ1999', undefined, 'contract year 1999 is outside 2000-2099'],
    ['ESZ202', undefined, '"ESZ202" has a 3-digit year; use 1, 2 or 4 digits'],
    [':ES1!', undefined, 'empty exchange in ":ES1!"'],
  ] as const)('fails on %j (exchange %s) with a reason', (ticker, exchange, reason) => {
    expect(parseTradingViewTicker(ticker, exchange, catalog, NOV_2026)).toEqual({ ok: false, reason });
  });
});
