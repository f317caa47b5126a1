// Inputs other than intents: prices, cancels and the end of the session.
//
// A price updates the instrument's last price, then every working order on the instrument gets
// its chance in time priority (acceptance order), sharing the input's liquidity. While trading
// is HALTED the book is frozen: prices are recorded, nothing triggers or fills.
//
// A cancel of an unknown or already finished order (filled, canceled, expired, rejected) returns
// no output: there is no status that could say "cancel refused" without misstating the order's
// own status, and the order's last update already tells the sender where it stands.
import type { Instrument } from '../../../../generated/types.js';
import { type EngineContext, isWorking, rulesFor } from './context.js';
import { liquidityCapFor } from './fill-model.js';
import { instrumentKey } from './instrument-rules.js';
import { closeOrder, type LiquidityBudget, workOrder } from './order-flow.js';
import { type EngineOutput, TradingState } from './types.js';

export function handlePrice(ctx: EngineContext, instrument: Instrument, price: number, atMs: number): EngineOutput[] {
  const { state } = ctx;
  const key = instrumentKey(instrument);
  state.lastPrices.set(key, price);
  if (state.tradingState === TradingState.Halted) return [];
  const outputs: EngineOutput[] = [];
  let budget: LiquidityBudget | undefined;
  // A copy: filled and canceled orders leave the book while it is walked.
  for (const entry of [...state.book]) {
    if (entry.instrumentKey !== key) continue;
    const order = state.orders.get(entry.clientOrderId);
    if (!order || !isWorking(order)) continue;
    const lookup = rulesFor(ctx, order.intent.instrument);
    if (!lookup.ok) continue;
    budget ??= { remaining: liquidityCapFor(ctx.config.fillModel, lookup.rules) };
    outputs.push(...workOrder(ctx, order, lookup.rules, price, budget, atMs));
  }
  return outputs;
}

export function handleCancel(ctx: EngineContext, clientOrderId: string, atMs: number): EngineOutput[] {
  const order = ctx.state.orders.get(clientOrderId);
  if (!order || !isWorking(order)) return [];
  const reason = `Canceled by the user with ${order.filledQty} of ${order.intent.quantity} filled.`;
  return [closeOrder(ctx, order, 'canceled', { code: 'CANCELED_BY_USER', reason }, atMs)];
}

/** Expires every working DAY order; GTC orders stay. */
export function handleSessionEnd(ctx: EngineContext, atMs: number): EngineOutput[] {
  const outputs: EngineOutput[] = [];
  for (const entry of [...ctx.state.book]) {
    const order = ctx.state.orders.get(entry.clientOrderId);
    if (!order || !isWorking(order) || order.intent.timeInForce !== 'DAY') continue;
    const reason = `Day order expired at the end of the session with ${order.filledQty} of ${order.intent.quantity} filled.`;
    outputs.push(closeOrder(ctx, order, 'expired', { code: 'DAY_EXPIRED', reason }, atMs));
  }
  return outputs;
}
