// Quantities per asset class and lot rounding. Quantity means contracts for futures and base
// units for FX and crypto, so one number cannot size all three: 1 is a sensible ES order and an
// order for 1 EUR (below the 1,000-unit FX lot) that exec-sim refuses as INVALID_ORDER. A config
// value is therefore either one number for every class or a number per class.
import { z } from 'zod';
import type { AssetClass } from '../../../../generated/index.js';
import { floorToLot, type InstrumentSpec } from './instrument-spec.js';

const positive = z.number().positive('must be positive');

/** `1`, or `{ futures: 1, fx: 10000, crypto: 0.01 }` (a class left out has no value). */
export const quantityByAssetClassSchema = z.union(
  [positive, z.strictObject({ futures: positive, fx: positive, crypto: positive }).partial()],
  {
    error: 'must be a positive number or { futures, fx, crypto } of positive numbers',
  },
);

export type QuantityByAssetClass = z.infer<typeof quantityByAssetClassSchema>;

export function quantityFor(value: QuantityByAssetClass | undefined, assetClass: AssetClass): number | undefined {
  return typeof value === 'number' || value === undefined ? value : value[assetClass];
}

/**
 * The quantity in whole lots of the instrument (down), or why there is none. Without the
 * instrument's rules the quantity is left as it is: exec-sim refuses an instrument it does not know.
 */
export function toLots(quantity: number, spec: InstrumentSpec | undefined, symbol: string): { quantity: number } | { skip: string } {
  if (!spec) return { quantity };
  const lots = floorToLot(quantity, spec.lotSize);
  if (lots > 0) return { quantity: lots };
  return { skip: `${quantity} ${symbol} is less than one lot (${spec.lotSize}): no order` };
}
