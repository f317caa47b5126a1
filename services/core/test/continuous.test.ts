import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../generated/types.js';
import { datedContract, loadInstrumentCatalog, tradableInstrument } from '../src/index.js';

const catalog = loadInstrumentCatalog();
const root = (name: string) => {
  const rules = catalog.futuresRoot(name);
  if (!rules) throw new Error(`${name} missing from the catalog`);
  return rules;
};
const at = (iso: string) => new Date(iso);

describe('continuous futures -> dated contract', () => {
  // December 2026: the 1st is a Tuesday, so the third Friday (expiry) is the 18th; the series
  // rolls 8 days before, i.e. from 2026-12-10T00:00Z on.
  it.each([
    ['2026-11-25T14:00:00Z', 1, 'ESZ6', '2026-12'],
    ['2026-12-09T23:59:59Z', 1, 'ESZ6', '2026-12'],
    ['2026-12-10T00:00:00Z', 1, 'ESH7', '2027-03'],
    ['2026-11-25T14:00:00Z', 2, 'ESH7', '2027-03'],
    ['2026-11-25T14:00:00Z', 3, 'ESM7', '2027-06'],
  ])('ES at %s, rank %i is %s', (when, rank, symbol, contractMonth) => {
    expect(datedContract(root('ES'), rank, at(when))).toEqual({ symbol, contractMonth });
  });

  it('a root listing every month rolls monthly, across the year end', () => {
    // January 2027 starts on a Friday: expiry the 15th.
    expect(datedContract(root('CL'), 1, at('2026-12-20T00:00:00Z'))).toEqual({ symbol: 'CLF7', contractMonth: '2027-01' });
    expect(datedContract(root('CL'), 1, at('2027-01-08T00:00:00Z'))).toEqual({ symbol: 'CLG7', contractMonth: '2027-02' });
  });

  it('rolls a continuous signal instrument and leaves everything else alone', () => {
    const es1: Instrument = { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true };
    expect(tradableInstrument(catalog, es1, at('2026-11-25T14:00:00Z'))).toEqual({
      symbol: 'ESZ6',
      assetClass: 'futures',
      venue: 'CME',
      root: 'ES',
      contractMonth: '2026-12',
    });
    const dated: Instrument = { symbol: 'NQH7', assetClass: 'futures', venue: 'CME', root: 'NQ', contractMonth: '2027-03' };
    const fx: Instrument = { symbol: 'EURUSD', assetClass: 'fx', venue: 'OANDA' };
    const unknownRoot: Instrument = { symbol: 'ZZZ1!', assetClass: 'futures', venue: 'CME', continuous: true };
    for (const instrument of [dated, fx, unknownRoot])
      expect(tradableInstrument(catalog, instrument, at('2026-11-25T14:00:00Z'))).toBe(instrument);
  });

  it('the rolled contract is one exec-sim accepts: the catalog resolves it as a dated contract', () => {
    const rolled = tradableInstrument(
      catalog,
      { symbol: 'NQ1!', assetClass: 'futures', venue: 'CME', root: 'NQ', continuous: true },
      at('2026-11-25T00:00:00Z'),
    );
    const resolved = catalog.resolve(`${rolled.venue}:${rolled.symbol}`);
    expect(resolved.ok && resolved.assetClass === 'futures' && resolved.contract.kind).toBe('dated');
  });
});
