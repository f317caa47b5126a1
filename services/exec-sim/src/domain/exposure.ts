// What a strategy already has at risk, for the position and strategy limits: its working
// orders and its gross notional (open positions at the last price, else their entry price, plus
// working orders at their limit, else stop, else the last price).

import type { OrderIntent } from '../../../../generated/types.js';
import { type EngineContext, rulesFor, workingOrders } from './context.js';
import { roundMoney } from './numeric.js';

export interface StrategyExposure {
  sameSideWorkingQty: number;
  workingOrders: number;
  /** In the intent instrument's currency. */
  grossNotional: number;
}

export function strategyExposure(ctx: EngineContext, intent: OrderIntent, instrumentKey: string, currency: string): StrategyExposure {
  const { state } = ctx;
  let sameSideWorkingQty = 0;
  let count = 0;
  let gross = 0;
  for (const order of workingOrders(state)) {
    if (order.intent.strategyId !== intent.strategyId) continue;
    count += 1;
    if (order.instrumentKey === instrumentKey && order.intent.side === intent.side) sameSideWorkingQty += order.leavesQty;
    const lookup = rulesFor(ctx, order.intent.instrument);
    if (!lookup.ok || lookup.rules.currency !== currency) continue;
    const price = order.intent.limitPrice ?? order.intent.stopPrice ?? state.lastPrices.get(order.instrumentKey) ?? 0;
    gross += Math.abs(order.leavesQty * price * lookup.rules.multiplier);
  }
  for (const position of state.positions.values()) {
    if (position.strategyId !== intent.strategyId || position.currency !== currency) continue;
    const mark = state.lastPrices.get(position.instrumentKey) ?? position.avgPx;
    gross += Math.abs(position.quantity * mark * position.multiplier);
  }
  return { sameSideWorkingQty, workingOrders: count, grossNotional: roundMoney(gross) };
}
