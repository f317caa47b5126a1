// Lookups over a checked instrument catalog. Every lookup is case-insensitive and returns
// undefined for an unknown name; `resolve` classifies a whole ticker and says why it cannot.
import { type InstrumentResolution, resolveInstrument } from './resolve.js';
import type { CryptoPairRules, CryptoVenue, FeeDefaults, FuturesRoot, FxPair, InstrumentCatalogData } from './schema.js';

export interface InstrumentCatalog {
  /** The file the catalog was loaded from. */
  readonly source: string;
  /** The checked file content, for callers that need a whole section (listing roots, fees). */
  readonly data: InstrumentCatalogData;
  /** Simulator defaults per asset class (futures commission, fx spread). */
  readonly fees: FeeDefaults;
  futuresRoot(root: string): FuturesRoot | undefined;
  fxPair(symbol: string): FxPair | undefined;
  /** A crypto venue's fees and known pairs, by venue name (aliases applied). */
  cryptoVenue(venue: string): CryptoVenue | undefined;
  /** A crypto pair's tick and lot size at a venue, by venue-neutral symbol (`BTCUSD`, `BTCUSDT.P`). */
  cryptoPair(venue: string, symbol: string): CryptoPairRules | undefined;
  /**
   * The venue a source's exchange name stands for: the delayed-data suffix is stripped and
   * aliases applied (`CME_MINI_DL` -> `CME`, `FX` -> `OANDA`); a name without alias is returned
   * upper-cased, so the caller decides whether it is a venue it knows.
   */
  venueAlias(exchange: string): string;
  /** Classifies `ESZ2026`, `CME_MINI:ES1!`, `EURUSD`, `COINBASE:BTC-USD`, ... and returns its rules. */
  resolve(tickerWithOptionalExchange: string): InstrumentResolution;
}

export function createInstrumentCatalog(data: InstrumentCatalogData, source: string): InstrumentCatalog {
  const catalog: InstrumentCatalog = {
    source,
    data,
    fees: data.fees,
    futuresRoot(root) {
      const key = root.toUpperCase();
      const rules = data.futures.roots[key];
      return rules && { ...rules, root: key };
    },
    fxPair(symbol) {
      const key = symbol.toUpperCase();
      const rules = data.fx.pairs[key];
      return rules && { ...rules, symbol: key };
    },
    cryptoVenue(venue) {
      const key = catalog.venueAlias(venue);
      const rules = data.crypto.venues[key];
      return rules && { ...rules, venue: key };
    },
    cryptoPair(venue, symbol) {
      return catalog.cryptoVenue(venue)?.pairs[symbol.toUpperCase()];
    },
    venueAlias(exchange) {
      const name = exchange.trim().toUpperCase();
      const live =
        name.endsWith(data.delayedSuffix) && name.length > data.delayedSuffix.length ? name.slice(0, -data.delayedSuffix.length) : name;
      return data.venueAliases[live] ?? live;
    },
    resolve(tickerWithOptionalExchange) {
      return resolveInstrument(catalog, tickerWithOptionalExchange);
    },
  };
  return catalog;
}
