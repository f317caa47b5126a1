// Prices and quantities live on grids (tick size, lot size), and binary floating point holds
// few grid values exactly (0.3 - 0.1 !== 0.2). Every computed price or quantity is therefore
// snapped back to its grid and printed with the grid's number of decimals, and money is kept to
// 8 decimals: outputs stay stable and equal to what a person computes by hand.
import { EngineInputError } from './errors.js';

/** Relative distance from a grid point under which a value counts as on it (float noise only). */
const GRID_TOLERANCE = 1e-9;
const MONEY_DECIMALS = 8;

/** Number of decimals of a step (`0.25` -> 2, `1e-8` -> 8). */
export function decimalsOf(step: number): number {
  const [mantissa = '', exponent] = step.toString().split('e-');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return fraction + (exponent === undefined ? 0 : Number(exponent));
}

export type Rounding = 'nearest' | 'down' | 'up';

/** Snaps `value` to a multiple of `step`; a value within float noise of a grid point is that point whatever the mode. */
export function roundToStep(value: number, step: number, mode: Rounding = 'nearest'): number {
  const units = value / step;
  const nearest = Math.round(units);
  const onGrid = Math.abs(units - nearest) <= GRID_TOLERANCE * Math.max(1, Math.abs(units));
  const snapped = onGrid ? nearest : mode === 'down' ? Math.floor(units) : mode === 'up' ? Math.ceil(units) : nearest;
  return withoutNegativeZero(Number((snapped * step).toFixed(Math.min(decimalsOf(step), 20))));
}

/** True when `value` is a multiple of `step` (as written in decimal by the sender). */
export function isOnStep(value: number, step: number): boolean {
  return Math.abs(value - roundToStep(value, step)) <= 1e-12 * Math.max(1, Math.abs(value));
}

/** Money to 8 decimals, enough for satoshis and for every fiat currency. */
export function roundMoney(amount: number): number {
  return withoutNegativeZero(Number(amount.toFixed(MONEY_DECIMALS)));
}

/** Average prices to 10 decimals: removes the float noise of Σ(px × qty) / Σ qty, keeps every tick size exact. */
export function roundAverage(price: number): number {
  return withoutNegativeZero(Number(price.toFixed(10)));
}

/** -0 prints as 0 in JSON but compares differently with Object.is; keep one zero. */
function withoutNegativeZero(value: number): number {
  return value === 0 ? 0 : value;
}

/** Milliseconds since the epoch of an RFC 3339 time; throws on anything unparsable. */
export function parseTime(at: string, field = 'at'): number {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) throw new EngineInputError(`${field} "${at}" is not an RFC 3339 time`);
  return ms;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}
