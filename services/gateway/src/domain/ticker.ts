// Turns a TradingView ticker (`{{ticker}}`, or `{{syminfo.tickerid}}` with its exchange prefix)
// plus the optional separate `{{exchange}}` field into the contract's venue-neutral Instrument.
// The catalog classifies the ticker and knows the venues; this module adds what is TradingView's
// own: the two places an exchange can come from, and dated contracts written with 4, 2 or 1
// year digits (ESZ2026, ESZ26, ESZ6 are all `ESZ6`, contractMonth 2026-12).
//
// Perpetual swaps keep TradingView's `.P` suffix in the symbol (`BTCUSDT.P`): the contract
// identifies an instrument by (symbol, venue), and the perpetual is not the spot pair.

import type { Instrument } from '../../../../generated/types.js';
import type { InstrumentCatalog, ResolvedFutures } from '../../../core/src/instruments/index.js';

export type TickerParse = { ok: true; instrument: Instrument } | { ok: false; reason: string };

/**
 * @param referenceDate decides the decade of a one-digit year (the signal's receipt time): the
 *   year ending in that digit from one year before to eight years after it.
 */
export function parseTradingViewTicker(
  ticker: string,
  exchange: string | undefined,
  catalog: InstrumentCatalog,
  referenceDate: Date,
): TickerParse {
  const text = ticker.trim();
  if (text === '') return { ok: false, reason: 'missing ticker' };
  // {{syminfo.tickerid}} on a chart with extended hours or a non-standard chart type is `={"symbol":...}`.
  if (text.startsWith('='))
    return { ok: false, reason: 'the ticker is an extended ticker id ("={...}"); send {{ticker}} and {{exchange}} instead' };
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? undefined : text.slice(0, colon);
  const separate = exchange?.trim() || undefined;
  if (prefix !== undefined && separate !== undefined && catalog.venueAlias(prefix) !== catalog.venueAlias(separate)) {
    return { ok: false, reason: `ticker "${text}" and exchange "${separate}" name different venues` };
  }
  const symbol = colon < 0 ? text : text.slice(colon + 1);
  const venue = prefix ?? separate;
  const resolved = catalog.resolve(venue === undefined ? symbol : `${venue}:${symbol}`);
  if (!resolved.ok) return resolved;
  switch (resolved.assetClass) {
    case 'futures':
      return futuresInstrument(resolved, referenceDate);
    case 'fx': {
      const { symbol: pair, base, quote } = resolved.rules;
      return { ok: true, instrument: { symbol: pair, assetClass: 'fx', venue: resolved.venue, baseCurrency: base, quoteCurrency: quote } };
    }
    case 'crypto': {
      const { symbol: pair, venue: at, baseCurrency, quoteCurrency } = resolved;
      return { ok: true, instrument: { symbol: pair, assetClass: 'crypto', venue: at, baseCurrency, quoteCurrency } };
    }
  }
}

function futuresInstrument(resolved: ResolvedFutures, referenceDate: Date): TickerParse {
  const { root } = resolved.rules;
  const { contract, venue } = resolved;
  if (contract.kind === 'continuous') {
    return { ok: true, instrument: { symbol: `${root}${contract.rank}!`, assetClass: 'futures', venue, root, continuous: true } };
  }
  const year = fullYear(contract.year, referenceDate.getUTCFullYear());
  if (year < 2000 || year > 2099) return { ok: false, reason: `contract year ${contract.year} is outside 2000-2099` };
  const contractMonth = `${year}-${String(contract.month).padStart(2, '0')}`;
  // The exchange's short code: root + month code + last digit of the year (contract text for Instrument.symbol).
  const symbol = `${root}${contract.monthCode}${year % 10}`;
  return { ok: true, instrument: { symbol, assetClass: 'futures', venue, root, contractMonth } };
}

function fullYear(written: string, referenceYear: number): number {
  const digits = Number(written);
  if (written.length === 4) return digits;
  if (written.length === 2) return 2000 + digits;
  // One digit: the decade around the reference year, from one year back (a contract that just
  // expired) to eight years ahead (the farthest listed contracts).
  let year = referenceYear - (referenceYear % 10) + digits;
  if (year < referenceYear - 1) year += 10;
  return year;
}
