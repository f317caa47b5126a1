// Classifies a ticker, with or without an exchange prefix, into an asset class, a venue and the
// catalog's rules. The exchange decides the asset class when there is one (CME -> futures,
// OANDA -> fx, BINANCE -> crypto); without one, the ticker's shape and the catalog decide, and a
// crypto pair is refused because (symbol, venue) identifies an instrument and the venue is unknown.
import type { InstrumentCatalog } from './catalog.js';
import { parseCryptoSymbol } from './crypto-symbol.js';
import { type FuturesContractSpec, parseFuturesSymbol } from './futures-symbol.js';
import type { CryptoPairRules, CryptoVenue, FuturesRoot, FxPair } from './schema.js';

export type ResolvedFutures = { ok: true; assetClass: 'futures'; venue: string; rules: FuturesRoot; contract: FuturesContractSpec };
export type ResolvedFx = { ok: true; assetClass: 'fx'; venue: string; symbol: string; rules: FxPair };
export type ResolvedCrypto = {
  ok: true;
  assetClass: 'crypto';
  venue: string;
  /** Venue-neutral: `BTCUSD` for Coinbase's `BTC-USD`, `BTCUSDT.P` for a perpetual. */
  symbol: string;
  baseCurrency: string;
  quoteCurrency: string;
  perpetual: boolean;
  venueRules: CryptoVenue;
  /** Tick and lot size when the catalog lists the pair; other pairs are accepted without them. */
  pairRules?: CryptoPairRules;
};
export type InstrumentResolution = ResolvedFutures | ResolvedFx | ResolvedCrypto | { ok: false; reason: string };

export function resolveInstrument(catalog: InstrumentCatalog, input: string): InstrumentResolution {
  const text = input.trim().toUpperCase();
  const colon = text.indexOf(':');
  const symbol = colon < 0 ? text : text.slice(colon + 1).trim();
  if (symbol === '') return { ok: false, reason: 'empty ticker' };
  if (colon < 0) return resolveWithoutExchange(catalog, symbol);
  const exchange = text.slice(0, colon).trim();
  if (exchange === '') return { ok: false, reason: `empty exchange in "${input.trim()}"` };
  return resolveAtVenue(catalog, catalog.venueAlias(exchange), symbol, exchange);
}

function resolveAtVenue(catalog: InstrumentCatalog, venue: string, symbol: string, exchange: string): InstrumentResolution {
  const { data } = catalog;
  if (data.futures.exchanges.includes(venue)) return resolveFutures(catalog, symbol, venue);
  if (data.fx.venues.includes(venue)) return resolveFx(catalog, symbol, venue);
  if (venue in data.crypto.venues) return resolveCrypto(catalog, symbol, venue);
  return { ok: false, reason: `unknown exchange "${exchange}"` };
}

function resolveWithoutExchange(catalog: InstrumentCatalog, symbol: string): InstrumentResolution {
  const futures = parseFuturesSymbol(symbol, catalog.futuresRoot);
  if (futures.ok)
    return { ok: true, assetClass: 'futures', venue: futures.rules.exchange, rules: futures.rules, contract: futures.contract };
  // `!` can only be a continuous future; a dated shape may also be something else, so try fx first.
  if (symbol.endsWith('!')) return { ok: false, reason: futures.reason };
  const fx = catalog.fxPair(stripSeparator(symbol));
  if (fx) return { ok: true, assetClass: 'fx', venue: catalog.data.fx.defaultVenue, symbol: fx.symbol, rules: fx };
  if (futures.shaped) return { ok: false, reason: futures.reason };
  const crypto = parseCryptoSymbol(symbol, catalog.data.crypto.quoteCurrencies, catalog.data.crypto.perpetualSuffix);
  if (crypto.ok) {
    const venues = Object.keys(catalog.data.crypto.venues).join(', ');
    return { ok: false, reason: `"${symbol}" looks like a crypto pair but names no exchange (one of ${venues})` };
  }
  return { ok: false, reason: `cannot tell the asset class of "${symbol}"` };
}

function resolveFutures(catalog: InstrumentCatalog, symbol: string, venue: string): InstrumentResolution {
  const parsed = parseFuturesSymbol(symbol, catalog.futuresRoot);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (parsed.rules.exchange !== venue)
    return { ok: false, reason: `${parsed.rules.root} is listed on ${parsed.rules.exchange}, not ${venue}` };
  return { ok: true, assetClass: 'futures', venue, rules: parsed.rules, contract: parsed.contract };
}

function resolveFx(catalog: InstrumentCatalog, symbol: string, venue: string): InstrumentResolution {
  const rules = catalog.fxPair(stripSeparator(symbol));
  if (!rules) return { ok: false, reason: `unknown fx pair "${symbol}"` };
  return { ok: true, assetClass: 'fx', venue, symbol: rules.symbol, rules };
}

function resolveCrypto(catalog: InstrumentCatalog, symbol: string, venue: string): InstrumentResolution {
  const { quoteCurrencies, perpetualSuffix } = catalog.data.crypto;
  const parsed = parseCryptoSymbol(symbol, quoteCurrencies, perpetualSuffix);
  if (!parsed.ok) return parsed;
  const venueRules = catalog.cryptoVenue(venue);
  if (!venueRules) return { ok: false, reason: `unknown crypto venue "${venue}"` };
  if (parsed.perpetual && !venueRules.perpetual) return { ok: false, reason: `${venue} lists no perpetuals ("${symbol}")` };
  const { ok, ...pair } = parsed;
  const pairRules = venueRules.pairs[parsed.symbol];
  return { ok, assetClass: 'crypto', venue, ...pair, venueRules, ...(pairRules && { pairRules }) };
}

/** `EUR/USD`, `EUR_USD` and `EUR-USD` name the pair `EURUSD`. */
function stripSeparator(symbol: string): string {
  return /^[A-Z]{3}[-/_][A-Z]{3}$/.test(symbol) ? symbol.replace(/[-/_]/, '') : symbol;
}
