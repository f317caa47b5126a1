// Moving a believed position to a target, as order drafts: a reduce-only close of what is held
// in the wrong direction, then an opening order for the rest. A reversal is therefore two
// intents (close, then open), never one of twice the size: the close stays reduce-only, so a
// stale belief can never make it open an unwanted position.
import type { OrderType, Side, TimeInForce } from '../../../../generated/index.js';
import type { OrderIntentDraft } from './types.js';

export interface OrderShape {
  orderType: OrderType;
  timeInForce: TimeInForce;
  limitPrice?: number;
  stopPrice?: number;
}

const round = (value: number) => Number(value.toPrecision(12));

export function movePosition(current: number, target: number, shape: OrderShape, rationale: string): OrderIntentDraft[] {
  const drafts: OrderIntentDraft[] = [];
  const leg = (side: Side, quantity: number, reduceOnly: boolean, why: string) =>
    drafts.push({ side, quantity: round(quantity), reduceOnly, ...shape, rationale: `${rationale}: ${why}` });
  if (round(target - current) === 0) return drafts;
  const crossing = current !== 0 && Math.sign(target) !== Math.sign(current);
  if (crossing) {
    leg(current > 0 ? 'sell' : 'buy', Math.abs(current), true, `close ${current > 0 ? 'long' : 'short'} ${Math.abs(current)}`);
    if (target !== 0)
      leg(target > 0 ? 'buy' : 'sell', Math.abs(target), false, `open ${target > 0 ? 'long' : 'short'} ${Math.abs(target)}`);
  } else if (Math.abs(target) > Math.abs(current)) {
    leg(target > 0 ? 'buy' : 'sell', Math.abs(target - current), false, `increase to ${target}`);
  } else {
    leg(current > 0 ? 'sell' : 'buy', Math.abs(current - target), true, `reduce to ${target}`);
  }
  return drafts;
}
