// Splits a crypto ticker into base and quote. Venues write pairs differently (Binance `BTCUSDT`,
// Coinbase `BTC-USD`); the venue-neutral symbol is base + quote without separator, plus the
// perpetual suffix for perpetual swaps (`BTCUSDT.P`), which are a different instrument from spot.

export interface CryptoSymbol {
  /** Venue-neutral symbol: base + quote, plus the perpetual suffix for a perpetual (`BTCUSDT.P`). */
  symbol: string;
  baseCurrency: string;
  quoteCurrency: string;
  perpetual: boolean;
}

export type CryptoSymbolParse = ({ ok: true } & CryptoSymbol) | { ok: false; reason: string };

const ASSET = /^[A-Z0-9]{2,10}$/;

/**
 * Parses an upper-case crypto ticker. With a separator (`-` or `/`) the split is explicit;
 * without one the longest known quote currency that ends the pair is the quote.
 */
export function parseCryptoSymbol(ticker: string, quoteCurrencies: readonly string[], perpetualSuffix: string): CryptoSymbolParse {
  const perpetual = ticker.endsWith(perpetualSuffix);
  const pair = perpetual ? ticker.slice(0, -perpetualSuffix.length) : ticker;
  const split = splitPair(pair, quoteCurrencies);
  if (!split) {
    return { ok: false, reason: `cannot split "${ticker}" into base and quote (known quote currencies: ${quoteCurrencies.join(', ')})` };
  }
  const [base, quote] = split;
  if (!ASSET.test(base) || !ASSET.test(quote))
    return { ok: false, reason: `"${ticker}" is not a crypto pair (base and quote are 2-10 letters or digits)` };
  return { ok: true, symbol: base + quote + (perpetual ? perpetualSuffix : ''), baseCurrency: base, quoteCurrency: quote, perpetual };
}

function splitPair(pair: string, quoteCurrencies: readonly string[]): [string, string] | undefined {
  const parts = pair.split(/[-/]/);
  if (parts.length === 2) return [parts[0] ?? '', parts[1] ?? ''];
  if (parts.length > 2) return undefined;
  const longestFirst = [...quoteCurrencies].sort((a, b) => b.length - a.length);
  const quote = longestFirst.find((q) => pair.length > q.length && pair.endsWith(q));
  return quote === undefined ? undefined : [pair.slice(0, -quote.length), quote];
}
