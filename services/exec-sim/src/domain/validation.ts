// Checks that need no state: is the instrument tradable here, and is the order well formed for
// it. Quantities off the lot grid and prices off the tick grid are rejected, not rounded: a
// silently changed quantity or price is a different order from the one the agent decided on.
import type { OrderIntent } from '../../../../generated/types.js';
import type { RulesLookup } from './instrument-rules.js';
import { isOnStep } from './numeric.js';
import type { RiskDecision } from './risk.js';

const PASS: RiskDecision = { ok: true };

export function validateIntent(intent: OrderIntent, lookup: RulesLookup): RiskDecision {
  if (!lookup.ok) return { ok: false, code: 'UNKNOWN_INSTRUMENT', reason: lookup.reason };
  const { tickSize, lotSize } = lookup.rules;
  const invalid = (reason: string): RiskDecision => ({ ok: false, code: 'INVALID_ORDER', reason });
  const { quantity, orderType, limitPrice, stopPrice } = intent;
  if (!Number.isFinite(quantity) || quantity <= 0) return invalid(`Quantity ${quantity} must be a positive number.`);
  if (!isOnStep(quantity, lotSize)) return invalid(`Quantity ${quantity} is not a multiple of the lot size ${lotSize}.`);
  const needsLimit = orderType === 'limit' || orderType === 'stop_limit';
  const needsStop = orderType === 'stop' || orderType === 'stop_limit';
  for (const [name, price, needed] of [
    ['limitPrice', limitPrice, needsLimit],
    ['stopPrice', stopPrice, needsStop],
  ] as const) {
    if (needed && price === undefined) return invalid(`A ${orderType} order needs a ${name}.`);
    if (!needed && price !== undefined) return invalid(`A ${orderType} order takes no ${name}.`);
    if (price === undefined) continue;
    if (!Number.isFinite(price)) return invalid(`${name} ${price} is not a number.`);
    if (!isOnStep(price, tickSize)) return invalid(`${name} ${price} is not a multiple of the tick size ${tickSize}.`);
  }
  return PASS;
}
