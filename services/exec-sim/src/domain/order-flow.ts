// The state changes of one order and the events they produce: a status change (accepted,
// rejected, canceled, expired) is one OrderUpdated; a fill is one OrderFilled followed by the
// OrderUpdated it causes (partially_filled or filled), both stamped with the same eventTime.
//
// Times: eventTime = the input's time + a latency drawn from the order's own random stream, and
// never earlier than the order's previous event (an order's events stay in order). The engine
// has no clock, so recordedAt = eventTime; the service may restamp it.

import type { LiquiditySide, OrderFilled } from '../../../../generated/types.js';
import type { EngineContext } from './context.js';
import { getOrCreate, positionOf, removeFromBook } from './context.js';
import { capAtLimit, commissionFor, drawLatencyMs, slippageFor, takerPrice } from './fill-model.js';
import { tradeIdFor } from './ids.js';
import type { InstrumentRules } from './instrument-rules.js';
import { type Cancellation, isStopOrder, matchOrder, stopTriggered } from './matching.js';
import { formatTime, roundToStep } from './numeric.js';
import { orderUpdated } from './order-events.js';
import { applyFillToPosition, newPosition } from './positions.js';
import { streamRng } from './rng.js';
import { type EngineOutput, type OrderRecord, positionKey } from './types.js';

/** Liquidity left on one instrument during one input. */
export interface LiquidityBudget {
  remaining: number;
}

function stamp(order: OrderRecord, candidateMs: number): string {
  order.lastEventMs = Math.max(candidateMs, order.lastEventMs);
  return formatTime(order.lastEventMs);
}

/** The OrderUpdated for the order's current status, timed from its next status-change stream. */
export function emitStatus(ctx: EngineContext, order: OrderRecord, atMs: number): EngineOutput {
  const rng = streamRng(ctx.config.seed, order.intent.clientOrderId, 'status', order.updateCount);
  order.updateCount += 1;
  const eventTime = stamp(order, atMs + drawLatencyMs(ctx.config.fillModel, rng));
  return { kind: 'order', update: orderUpdated(order, eventTime) };
}

/** Ends a working order (canceled or expired) and takes it off the book. */
export function closeOrder(
  ctx: EngineContext,
  order: OrderRecord,
  status: 'canceled' | 'expired',
  why: Cancellation,
  atMs: number,
): EngineOutput {
  order.status = status;
  order.reasonCode = why.code;
  order.reason = why.reason;
  order.leavesQty = 0;
  removeFromBook(ctx.state, order.intent.clientOrderId);
  return emitStatus(ctx, order, atMs);
}

/**
 * Gives a working order its chance at `price`: triggers an untriggered stop, then matches it
 * (matching.ts) and carries out the decision. `budget` is shared by every order of the input.
 */
export function workOrder(
  ctx: EngineContext,
  order: OrderRecord,
  rules: InstrumentRules,
  price: number,
  budget: LiquidityBudget,
  atMs: number,
): EngineOutput[] {
  const { intent } = order;
  if (isStopOrder(order) && !order.triggered) {
    if (intent.stopPrice === undefined || !stopTriggered(intent.side, intent.stopPrice, price)) return [];
    order.triggered = true;
    order.executableSince = ctx.state.seq;
  }
  const decision = matchOrder({
    order,
    price,
    aggressor: order.executableSince === ctx.state.seq,
    available: budget.remaining,
    position: positionOf(ctx.state, intent.strategyId, order.instrumentKey),
    lotSize: rules.lotSize,
  });
  switch (decision.action) {
    case 'rest':
      return [];
    case 'cancel':
      return [closeOrder(ctx, order, 'canceled', decision.cancel, atMs)];
    case 'fill': {
      const outputs = fillOrder(ctx, order, rules, price, decision.quantity, decision.liquidity, atMs);
      if (Number.isFinite(budget.remaining)) budget.remaining = roundToStep(budget.remaining - decision.quantity, rules.lotSize);
      if (decision.cancelRest && order.leavesQty > 0) outputs.push(closeOrder(ctx, order, 'canceled', decision.cancelRest, atMs));
      return outputs;
    }
  }
}

function fillOrder(
  ctx: EngineContext,
  order: OrderRecord,
  rules: InstrumentRules,
  marketPrice: number,
  quantity: number,
  liquidity: LiquiditySide,
  atMs: number,
): EngineOutput[] {
  const { intent } = order;
  const { state, config } = ctx;
  order.fillCount += 1;
  // Latency first, then slippage: a fixed draw order keeps the stream's meaning stable.
  const rng = streamRng(config.seed, intent.clientOrderId, 'fill', order.fillCount);
  const latencyMs = drawLatencyMs(config.fillModel, rng);
  const taker = takerPrice(intent.side, marketPrice, rules, slippageFor(config.fillModel, rules), rng);
  const lastPx =
    liquidity === 'maker' && intent.limitPrice !== undefined ? intent.limitPrice : capAtLimit(intent.side, taker, intent.limitPrice);
  const commission = commissionFor(rules, quantity, lastPx, liquidity);
  order.filledQty = roundToStep(order.filledQty + quantity, rules.lotSize);
  order.leavesQty = roundToStep(order.leavesQty - quantity, rules.lotSize);
  order.filledValue += quantity * lastPx;
  order.status = order.leavesQty === 0 ? 'filled' : 'partially_filled';
  const eventTime = stamp(order, atMs + latencyMs);
  const fill: OrderFilled = {
    tradeId: tradeIdFor(intent.clientOrderId, order.fillCount),
    clientOrderId: intent.clientOrderId,
    venueOrderId: order.venueOrderId ?? '',
    strategyId: intent.strategyId,
    instrument: structuredClone(intent.instrument),
    side: intent.side,
    lastQty: quantity,
    lastPx,
    liquiditySide: liquidity,
    commission,
    cumQty: order.filledQty,
    leavesQty: order.leavesQty,
    orderStatus: order.status,
    eventTime,
    recordedAt: eventTime,
  };
  state.fills.push(fill);
  const key = positionKey(intent.strategyId, order.instrumentKey);
  const position = getOrCreate(state.positions, key, () => newPosition(intent.strategyId, intent.instrument, rules));
  applyFillToPosition(position, intent.side, quantity, lastPx, commission);
  if (order.status === 'filled') removeFromBook(state, intent.clientOrderId);
  return [
    { kind: 'fill', fill: structuredClone(fill) },
    { kind: 'order', update: orderUpdated(order, eventTime) },
  ];
}
