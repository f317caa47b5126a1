// The trading rules sizing needs (tick size, value of one point, lot size), from the instrument catalog.
import type { Instrument } from '../../../../generated/index.js';
import { type InstrumentCatalog, parseFuturesSymbol } from '../../../core/src/index.js';

export interface InstrumentSpec {
  tickSize: number;
  /** Quote currency per one point of price per unit of quantity (futures: the contract multiplier). */
  multiplier: number;
  lotSize: number;
}

export function instrumentSpec(catalog: InstrumentCatalog | undefined, instrument: Instrument): InstrumentSpec | undefined {
  if (!catalog) return undefined;
  switch (instrument.assetClass) {
    case 'futures': {
      const parsed = instrument.root ? undefined : parseFuturesSymbol(instrument.symbol, (root) => catalog.futuresRoot(root));
      const rules = instrument.root ? catalog.futuresRoot(instrument.root) : parsed?.ok ? parsed.rules : undefined;
      return rules && { tickSize: rules.tickSize, multiplier: rules.multiplier, lotSize: rules.lotSize };
    }
    case 'fx': {
      const rules = catalog.fxPair(instrument.symbol);
      return rules && { tickSize: rules.tickSize, multiplier: 1, lotSize: rules.lotSize };
    }
    case 'crypto': {
      const rules = catalog.cryptoPair(instrument.venue, instrument.symbol);
      return rules && { tickSize: rules.tickSize, multiplier: 1, lotSize: rules.lotSize };
    }
    default:
      return undefined;
  }
}

/** Rounds a quantity down to whole lots (avoiding 0.1 + 0.2 style float residue). */
export function floorToLot(quantity: number, lotSize: number): number {
  const lots = Math.floor(quantity / lotSize + 1e-9);
  return Number((lots * lotSize).toPrecision(12));
}
