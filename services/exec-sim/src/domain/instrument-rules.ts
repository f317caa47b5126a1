// An order's instrument -> the trading rules the fill model needs (tick, lot, multiplier,
// currency, fees), from the shared instrument catalog. The catalog resolves `VENUE:SYMBOL`
// exactly as the gateway does, so an Instrument the gateway produced always resolves here.
//
// Fees, per asset class:
//   futures  a commission per contract per side (the micro rate for micro roots), in the catalog's
//            futures fee currency (USD, the settlement currency of every root listed).
//   fx       the spread: a taker pays half the pair's spread (its spreadPips, else the catalog's
//            default) on top of the last price, which is taken as the mid; no commission. The
//            catalog's commissionPerMillion is not applied: it is quoted in USD, and a commission
//            in a currency other than the pair's quote could not be netted into the PnL.
//   crypto   maker/taker basis points of the notional, in the quote currency (perpetual fees for
//            `.P` symbols, spot fees otherwise).
// Crypto pairs the catalog does not list are accepted (the catalog says their rules are unknown)
// with a tick and a lot of 0.00000001, i.e. no visible rounding.
import type { AssetClass, Instrument } from '../../../../generated/types.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';

const UNKNOWN_PAIR_STEP = 0.00000001;

export type FeeRule =
  | { kind: 'per-contract'; perContract: number; currency: string }
  | { kind: 'bps'; makerBps: number; takerBps: number }
  | { kind: 'spread'; halfSpread: number };

export interface InstrumentRules {
  /** `venue:symbol`. */
  key: string;
  symbol: string;
  /** Futures root, for limits configured per root. */
  root?: string;
  assetClass: AssetClass;
  tickSize: number;
  lotSize: number;
  /** Quote currency per 1.0 of price per unit of quantity (the futures point value; 1 for fx and crypto). */
  multiplier: number;
  /** Currency of prices, notionals and PnL. */
  currency: string;
  fee: FeeRule;
}

export type RulesLookup = { ok: true; rules: InstrumentRules } | { ok: false; reason: string };

export function instrumentKey(instrument: Pick<Instrument, 'symbol' | 'venue'>): string {
  return `${instrument.venue}:${instrument.symbol}`;
}

export function resolveInstrumentRules(catalog: InstrumentCatalog, instrument: Instrument): RulesLookup {
  const where = `${instrument.symbol} at ${instrument.venue}`;
  const resolved = catalog.resolve(`${instrument.venue}:${instrument.symbol}`);
  if (!resolved.ok) return { ok: false, reason: `${where} is not a known instrument: ${resolved.reason}` };
  if (resolved.assetClass !== instrument.assetClass) {
    return { ok: false, reason: `${where} is ${resolved.assetClass}, not ${instrument.assetClass}` };
  }
  if (resolved.venue !== instrument.venue) return { ok: false, reason: `${where}: the venue is named ${resolved.venue}` };
  const key = instrumentKey(instrument);
  const { symbol } = instrument;
  switch (resolved.assetClass) {
    case 'futures': {
      if (resolved.contract.kind === 'continuous') {
        return { ok: false, reason: `${where} is a continuous futures series; order a dated contract` };
      }
      const { rules } = resolved;
      const fees = catalog.fees.futures;
      const perContract = rules.microOf === undefined ? fees.commissionPerContract : fees.microCommissionPerContract;
      return {
        ok: true,
        rules: {
          key,
          symbol,
          root: rules.root,
          assetClass: 'futures',
          tickSize: rules.tickSize,
          lotSize: rules.lotSize,
          multiplier: rules.multiplier,
          currency: rules.currency,
          fee: { kind: 'per-contract', perContract, currency: fees.currency },
        },
      };
    }
    case 'fx': {
      const pair = resolved.rules;
      const spreadPips = pair.spreadPips ?? catalog.fees.fx.spreadPips;
      const fee: FeeRule = { kind: 'spread', halfSpread: (spreadPips * pair.pipSize) / 2 };
      return {
        ok: true,
        rules: { key, symbol, assetClass: 'fx', tickSize: pair.tickSize, lotSize: pair.lotSize, multiplier: 1, currency: pair.quote, fee },
      };
    }
    case 'crypto': {
      const schedule = resolved.perpetual ? resolved.venueRules.perpetual : resolved.venueRules.spot;
      const fees = schedule ?? resolved.venueRules.spot;
      return {
        ok: true,
        rules: {
          key,
          symbol,
          assetClass: 'crypto',
          tickSize: resolved.pairRules?.tickSize ?? UNKNOWN_PAIR_STEP,
          lotSize: resolved.pairRules?.lotSize ?? UNKNOWN_PAIR_STEP,
          multiplier: 1,
          currency: resolved.quoteCurrency,
          fee: { kind: 'bps', makerBps: fees.makerFeeBps, takerBps: fees.takerFeeBps },
        },
      };
    }
  }
}
