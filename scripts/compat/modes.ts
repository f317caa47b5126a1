// Compatibility modes: parsing them from contracts and flags, and telling a weaker one apart.
import { InputError } from './errors.js';
import { COMPATIBILITY_MODES, type CompatibilityMode, directionsOf, isTransitive } from './types.js';

export function isMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

export function parseMode(value: unknown, source: string): CompatibilityMode {
  if (isMode(value)) return value;
  throw new InputError(source, `unknown compatibility mode ${JSON.stringify(value)}; use one of ${COMPATIBILITY_MODES.join(', ')}`);
}

/**
 * True when `to` drops a guarantee `from` gave: a direction (FULL -> BACKWARD) or transitivity
 * (BACKWARD_TRANSITIVE -> BACKWARD). Consumers relied on it, so weakening is itself a break.
 */
export function weakens(from: CompatibilityMode, to: CompatibilityMode): boolean {
  const before = directionsOf(from);
  const after = directionsOf(to);
  if (before.some((direction) => !after.includes(direction))) return true;
  return before.length > 0 && isTransitive(from) && !isTransitive(to);
}
