import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  DEFAULT_INSTRUMENTS_PATH,
  InstrumentCatalogError,
  type InstrumentResolution,
  loadInstrumentCatalog,
  parseInstrumentCatalog,
} from '../src/instruments/index.js';

const catalog = loadInstrumentCatalog();
const defaultText = readFileSync(DEFAULT_INSTRUMENTS_PATH, 'utf8');
const workDir = mkdtempSync(path.join(tmpdir(), 'instruments-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The default file with some fields changed (a path of keys -> new value; undefined deletes), written to a temporary file. */
function mutatedFile(name: string, changes: [string[], unknown][]): string {
  const doc = parse(defaultText) as Record<string, unknown>;
  for (const [keys, value] of changes) {
    const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, doc);
    const last = keys.at(-1) ?? '';
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  const file = path.join(workDir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

function loadError(file: string): InstrumentCatalogError {
  try {
    loadInstrumentCatalog(file);
  } catch (err) {
    expect(err).toBeInstanceOf(InstrumentCatalogError);
    return err as InstrumentCatalogError;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('loadInstrumentCatalog', () => {
  it('loads the default file, found relative to the module', () => {
    expect(catalog.source).toBe(DEFAULT_INSTRUMENTS_PATH);
    expect(DEFAULT_INSTRUMENTS_PATH.endsWith(path.join('services', 'core', 'data', 'instruments.yaml'))).toBe(true);
    expect(Object.keys(catalog.data.futures.roots)).toHaveLength(23);
    expect(Object.keys(catalog.data.fx.pairs)).toHaveLength(12);
    expect(Object.keys(catalog.data.crypto.venues)).toEqual(['BINANCE', 'COINBASE', 'BYBIT', 'KRAKEN']);
    expect(catalog.fees.futures.commissionPerContract).toBeGreaterThan(0);
  });

  it('lists every root the gateway promises, micros pointing at a full-size root on the same exchange', () => {
    const roots = [
      'ES',
      'MES',
      'NQ',
      'MNQ',
      'YM',
      'MYM',
      'RTY',
      'M2K',
      'CL',
      'MCL',
      'NG',
      'GC',
      'MGC',
      'SI',
      'ZN',
      'ZB',
      'ZC',
      '6E',
      '6J',
      'BTC',
      'MBT',
      'ETH',
      'MET',
    ];
    for (const root of roots) expect(catalog.futuresRoot(root), root).toBeDefined();
    const micros = roots.map((r) => catalog.futuresRoot(r)).filter((r) => r?.microOf !== undefined);
    expect(micros.map((m) => m?.root)).toEqual(['MES', 'MNQ', 'MYM', 'M2K', 'MCL', 'MGC', 'MBT', 'MET']);
    for (const micro of micros) {
      const full = catalog.futuresRoot(micro?.microOf ?? '');
      expect(full?.exchange).toBe(micro?.exchange);
      expect(micro?.multiplier).toBeLessThan(full?.multiplier ?? 0);
    }
  });
});

describe('lookups', () => {
  it('futuresRoot: tick size, point value, exchange; case-insensitive; undefined when unknown', () => {
    expect(catalog.futuresRoot('es')).toMatchObject({
      root: 'ES',
      exchange: 'CME',
      tickSize: 0.25,
      multiplier: 50,
      currency: 'USD',
      lotSize: 1,
      months: 'HMUZ',
    });
    expect(catalog.futuresRoot('MNQ')).toMatchObject({ tickSize: 0.25, multiplier: 2, microOf: 'NQ' });
    expect(catalog.futuresRoot('CL')).toMatchObject({ exchange: 'NYMEX', tickSize: 0.01, multiplier: 1000 });
    expect(catalog.futuresRoot('ZN')).toMatchObject({ exchange: 'CBOT', tickSize: 1 / 64 });
    expect(catalog.futuresRoot('XX')).toBeUndefined();
  });

  it('fxPair: JPY pairs tick 0.001, others 0.00001, metals 0.01 / 0.001', () => {
    expect(catalog.fxPair('EURUSD')).toMatchObject({
      symbol: 'EURUSD',
      base: 'EUR',
      quote: 'USD',
      tickSize: 0.00001,
      pipSize: 0.0001,
      lotSize: 1000,
    });
    expect(catalog.fxPair('usdjpy')).toMatchObject({ tickSize: 0.001, pipSize: 0.01 });
    expect(catalog.fxPair('XAUUSD')?.tickSize).toBe(0.01);
    expect(catalog.fxPair('XAGUSD')?.tickSize).toBe(0.001);
    expect(catalog.fxPair('AUDCAD')).toBeUndefined();
  });

  it('cryptoVenue and cryptoPair: fees, perpetual support, pair rules', () => {
    expect(catalog.cryptoVenue('binance')).toMatchObject({
      venue: 'BINANCE',
      spot: { makerFeeBps: 10, takerFeeBps: 10 },
      perpetual: { takerFeeBps: 5 },
    });
    expect(catalog.cryptoVenue('COINBASE')?.perpetual).toBeUndefined();
    expect(catalog.cryptoPair('BINANCE', 'BTCUSDT')).toEqual({ tickSize: 0.01, lotSize: 0.00001 });
    expect(catalog.cryptoPair('BINANCE', 'ETHUSDT')).toEqual({ tickSize: 0.01, lotSize: 0.0001 });
    expect(catalog.cryptoPair('COINBASE', 'BTCUSD')).toEqual({ tickSize: 0.01, lotSize: 0.00000001 });
    expect(catalog.cryptoPair('BINANCE', 'BTCUSDT.P')?.tickSize).toBe(0.1);
    expect(catalog.cryptoVenue('FTX')).toBeUndefined();
  });

  it('venueAlias: TradingView exchange names and delayed suffixes map to the venue', () => {
    expect(catalog.venueAlias('CME_MINI')).toBe('CME');
    expect(catalog.venueAlias('CME_MINI_DL')).toBe('CME');
    expect(catalog.venueAlias('CBOT_MINI')).toBe('CBOT');
    expect(catalog.venueAlias('COMEX_MINI')).toBe('COMEX');
    expect(catalog.venueAlias('NYMEX_MINI')).toBe('NYMEX');
    expect(catalog.venueAlias('NYMEX_DL')).toBe('NYMEX');
    expect(catalog.venueAlias('cme_mini')).toBe('CME');
    expect(catalog.venueAlias('FX')).toBe('OANDA');
    expect(catalog.venueAlias('FX_IDC')).toBe('OANDA');
    expect(catalog.venueAlias('PEPPERSTONE')).toBe('PEPPERSTONE');
    expect(catalog.venueAlias('somewhere')).toBe('SOMEWHERE');
    expect(catalog.venueAlias('_DL')).toBe('_DL');
  });
});

describe('resolve', () => {
  const summary = (r: InstrumentResolution) => {
    if (!r.ok) return { reason: r.reason };
    switch (r.assetClass) {
      case 'futures':
        return { futures: r.rules.root, venue: r.venue, contract: r.contract };
      case 'fx':
        return { fx: r.symbol, venue: r.venue };
      case 'crypto':
        return {
          crypto: r.symbol,
          venue: r.venue,
          base: r.baseCurrency,
          quote: r.quoteCurrency,
          perpetual: r.perpetual,
          pair: r.pairRules,
        };
    }
  };

  it.each([
    ['ES1!', { futures: 'ES', venue: 'CME', contract: { kind: 'continuous', rank: 1 } }],
    ['CME_MINI:NQ2!', { futures: 'NQ', venue: 'CME', contract: { kind: 'continuous', rank: 2 } }],
    ['CME_MINI_DL:M2K1!', { futures: 'M2K', venue: 'CME', contract: { kind: 'continuous', rank: 1 } }],
    ['CME:6E1!', { futures: '6E', venue: 'CME', contract: { kind: 'continuous', rank: 1 } }],
    ['ESZ2026', { futures: 'ES', venue: 'CME', contract: { kind: 'dated', monthCode: 'Z', month: 12, year: '2026' } }],
    ['nymex:clf7', { futures: 'CL', venue: 'NYMEX', contract: { kind: 'dated', monthCode: 'F', month: 1, year: '7' } }],
    ['OANDA:EURUSD', { fx: 'EURUSD', venue: 'OANDA' }],
    ['EUR/USD', { fx: 'EURUSD', venue: 'OANDA' }],
    ['FX_IDC:USDJPY', { fx: 'USDJPY', venue: 'OANDA' }],
    [
      'BINANCE:BTCUSDT',
      { crypto: 'BTCUSDT', venue: 'BINANCE', base: 'BTC', quote: 'USDT', perpetual: false, pair: { tickSize: 0.01, lotSize: 0.00001 } },
    ],
    [
      'COINBASE:BTC-USD',
      { crypto: 'BTCUSD', venue: 'COINBASE', base: 'BTC', quote: 'USD', perpetual: false, pair: { tickSize: 0.01, lotSize: 0.00000001 } },
    ],
    [
      'BYBIT:ETHUSDT.P',
      { crypto: 'ETHUSDT.P', venue: 'BYBIT', base: 'ETH', quote: 'USDT', perpetual: true, pair: { tickSize: 0.01, lotSize: 0.01 } },
    ],
    ['BINANCE:DOGEUSDT', { crypto: 'DOGEUSDT', venue: 'BINANCE', base: 'DOGE', quote: 'USDT', perpetual: false, pair: undefined }],
    ['XX1!', { reason: 'unknown futures root "XX"' }],
    ['ESF2026', { reason: 'ES has no F (January) contract; listed months are H M U Z' }],
    ['NYMEX:ES1!', { reason: 'ES is listed on CME, not NYMEX' }],
    ['OANDA:AUDCAD', { reason: 'unknown fx pair "AUDCAD"' }],
    ['COINBASE:BTCUSD.P', { reason: 'COINBASE lists no perpetuals ("BTCUSD.P")' }],
    ['SAXO:EURUSD', { reason: 'unknown exchange "SAXO"' }],
    ['FOO', { reason: 'cannot tell the asset class of "FOO"' }],
    ['BTCUSDT', { reason: '"BTCUSDT" looks like a crypto pair but names no exchange (one of BINANCE, COINBASE, BYBIT, KRAKEN)' }],
    ['', { reason: 'empty ticker' }],
  ] as const)('%s', (ticker, expected) => {
    expect(summary(catalog.resolve(ticker))).toEqual(expected);
  });
});

describe('a malformed file', () => {
  it('names the file and the field path of a bad value', () => {
    const file = mutatedFile('negative-tick', [[['futures', 'roots', 'ES', 'tickSize'], -0.25]]);
    const error = loadError(file);
    expect(error.filePath).toBe(file);
    expect(error.message).toContain(file);
    expect(error.issues).toEqual([{ field: 'futures.roots.ES.tickSize', message: expect.stringMatching(/>0/) }]);
    expect(error.message).toContain('futures.roots.ES.tickSize');
  });

  it('names a missing field and an unexpected one', () => {
    const error = loadError(
      mutatedFile('missing-and-extra', [
        [['fx', 'pairs', 'EURUSD', 'lotSize'], undefined],
        [['crypto', 'venues', 'BINANCE', 'spot', 'rebateBps'], 1],
      ]),
    );
    const fields = error.issues.map((i) => i.field);
    expect(fields).toContain('fx.pairs.EURUSD.lotSize');
    expect(fields).toContain('crypto.venues.BINANCE.spot');
    expect(error.issues.find((i) => i.field === 'crypto.venues.BINANCE.spot')?.message).toMatch(/rebateBps/);
  });

  it('checks cross-references: exchange, micro root, pair name, default venue, perpetual pairs', () => {
    const error = loadError(
      mutatedFile('references', [
        [['futures', 'roots', 'ES', 'exchange'], 'EUREX'],
        [['futures', 'roots', 'MES', 'microOf'], 'XES'],
        [['fx', 'pairs', 'EURUSD', 'quote'], 'GBP'],
        [['fx', 'defaultVenue'], 'SAXO'],
        [['crypto', 'venues', 'COINBASE', 'pairs', 'BTCUSD.P'], { tickSize: 0.01, lotSize: 0.001 }],
      ]),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'futures.roots.ES.exchange', message: '"EUREX" is not one of futures.exchanges' },
        { field: 'futures.roots.MES.microOf', message: '"XES" is not a futures root of this file' },
        { field: 'fx.pairs.EURUSD', message: 'pair name must be base + quote (EURGBP)' },
        { field: 'fx.defaultVenue', message: '"SAXO" is not one of fx.venues' },
        { field: 'crypto.venues.COINBASE.pairs.BTCUSD.P', message: 'only a venue with perpetual fees lists ".P" pairs' },
      ]),
    );
  });

  it('refuses a lower-case root and a bad month list', () => {
    const error = loadError(
      mutatedFile('names', [
        [['futures', 'roots', 'es'], { name: 'lower case', exchange: 'CME', tickSize: 0.25, multiplier: 50, currency: 'USD', lotSize: 1 }],
        [['futures', 'roots', 'NQ', 'months'], 'HMUA'],
      ]),
    );
    const fields = error.issues.map((i) => i.field);
    expect(fields).toContain('futures.roots.es');
    expect(fields).toContain('futures.roots.NQ.months');
  });

  it('reports text that is not YAML, a document that is not a catalog, and a missing file', () => {
    expect(() => parseInstrumentCatalog('futures: [unclosed', 'inline.yaml')).toThrow(/inline\.yaml[\s\S]*\(file\): not valid YAML/);
    expect(() => parseInstrumentCatalog('just text', 'inline.yaml')).toThrow(InstrumentCatalogError);
    const missing = path.join(workDir, 'absent.yaml');
    expect(() => loadInstrumentCatalog(missing)).toThrow(
      new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*cannot read the file`),
    );
  });
});
