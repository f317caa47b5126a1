// When does a working order trade, and how much of it. The venue has no order book of other
// participants: the last price is the market. A buy stop triggers at a price >= its stop (a sell
// stop at <=); a limit trades when the price crosses it (<= the limit for a buy, >= for a sell).
// On the input where an order first becomes executable (accepted, or its stop triggered) it is
// the aggressor: it takes liquidity (taker) and its time in force applies (IOC cancels what did
// not fill, FOK fills completely or not at all). Afterwards a limit rests and makes liquidity
// (maker, at its limit); a market remainder or a triggered stop keeps taking at each new price.
import type { LiquiditySide, OrderReasonCode, Side } from '../../../../generated/types.js';
import { roundToStep } from './numeric.js';
import type { OrderRecord } from './types.js';

export function isStopOrder(order: OrderRecord): boolean {
  return order.intent.orderType === 'stop' || order.intent.orderType === 'stop_limit';
}

export function stopTriggered(side: Side, stopPrice: number, price: number): boolean {
  return side === 'buy' ? price >= stopPrice : price <= stopPrice;
}

export function limitCrossed(side: Side, limitPrice: number, price: number): boolean {
  return side === 'buy' ? price <= limitPrice : price >= limitPrice;
}

/** How much of an order on `side` only reduces `position` (0 when flat or on the same side). */
export function reducibleQty(position: number, side: Side): number {
  return side === 'sell' ? Math.max(0, position) : Math.max(0, -position);
}

export interface MatchInput {
  order: OrderRecord;
  price: number;
  /** The order became executable on this input (see above). */
  aggressor: boolean;
  /** Liquidity left on the instrument for this input. */
  available: number;
  /** The strategy's position on the instrument. */
  position: number;
  lotSize: number;
}

export interface Cancellation {
  code: OrderReasonCode;
  reason: string;
}

export type MatchDecision =
  | { action: 'rest' }
  | { action: 'cancel'; cancel: Cancellation }
  /** Fill `quantity`; then cancel the rest when `cancelRest` is set. */
  | { action: 'fill'; quantity: number; liquidity: LiquiditySide; cancelRest?: Cancellation };

/** Decides what an executable (not untriggered) order does at `price`. */
export function matchOrder({ order, price, aggressor, available, position, lotSize }: MatchInput): MatchDecision {
  const { intent } = order;
  const immediate = aggressor && (intent.timeInForce === 'IOC' || intent.timeInForce === 'FOK');
  const limit = intent.orderType === 'limit' || intent.orderType === 'stop_limit' ? intent.limitPrice : undefined;
  if (limit !== undefined && !limitCrossed(intent.side, limit, price)) {
    return immediate ? { action: 'cancel', cancel: timeInForceCancel(order, 0, lotSize) } : { action: 'rest' };
  }
  const reducible = intent.reduceOnly ? reducibleQty(position, intent.side) : Number.POSITIVE_INFINITY;
  if (reducible === 0) {
    return {
      action: 'cancel',
      cancel: { code: 'RISK_REDUCE_ONLY', reason: 'Reduce-only order canceled: there is no position left to reduce.' },
    };
  }
  const quantity = roundToStep(Math.min(order.leavesQty, available, reducible), lotSize, 'down');
  if (intent.timeInForce === 'FOK' && aggressor && quantity < order.leavesQty) {
    return { action: 'cancel', cancel: timeInForceCancel(order, quantity, lotSize) };
  }
  const rest = roundToStep(order.leavesQty - quantity, lotSize);
  let cancelRest: Cancellation | undefined;
  if (rest > 0 && intent.reduceOnly && reducible - quantity <= 0) {
    cancelRest = {
      code: 'RISK_REDUCE_ONLY',
      reason: `Reduce-only order cut: ${quantity} closed the position, the remaining ${rest} was canceled.`,
    };
  } else if (rest > 0 && immediate) {
    cancelRest = timeInForceCancel(order, quantity, lotSize);
  }
  if (quantity <= 0) return cancelRest ? { action: 'cancel', cancel: cancelRest } : { action: 'rest' };
  const liquidity: LiquiditySide = aggressor || limit === undefined ? 'taker' : 'maker';
  return { action: 'fill', quantity, liquidity, ...(cancelRest && { cancelRest }) };
}

/** Why an IOC or FOK order that could fill only `fillable` now is canceled. */
export function timeInForceCancel(order: OrderRecord, fillable: number, lotSize: number): Cancellation {
  const { quantity, timeInForce } = order.intent;
  if (timeInForce === 'FOK') {
    return { code: 'FOK_NOT_FILLABLE', reason: `Fill or kill: only ${fillable} of ${quantity} could be filled at once, so none was.` };
  }
  const filled = roundToStep(order.filledQty + fillable, lotSize);
  const remaining = roundToStep(order.leavesQty - fillable, lotSize);
  return {
    code: 'IOC_REMAINDER_CANCELED',
    reason: `Immediate or cancel: ${filled} of ${quantity} filled, the remaining ${remaining} was canceled.`,
  };
}
