// An order intent's way in: duplicate check, validation, risk (risk.ts lists the order of the
// checks), then acceptance and, when the market allows, immediate execution.
//
// Duplicates: a clientOrderId the engine has seen (accepted or rejected) is rejected with
// DUPLICATE_CLIENT_ORDER_ID and changes nothing, so a re-sent intent never trades twice. Its
// rejection has no venueOrderId (it never reached the book) and its time is drawn from a stream
// named by the event id, so a redelivered copy of the same event yields the same bytes.
import type { OrderIntent } from '../../../../generated/types.js';
import { type EngineContext, positionOf, rulesFor } from './context.js';
import { strategyExposure } from './exposure.js';
import { drawLatencyMs, liquidityCapFor } from './fill-model.js';
import { venueOrderIdFor } from './ids.js';
import type { InstrumentRules } from './instrument-rules.js';
import { instrumentKey } from './instrument-rules.js';
import { isStopOrder, timeInForceCancel } from './matching.js';
import { formatTime } from './numeric.js';
import { rejectionUpdated } from './order-events.js';
import { closeOrder, emitStatus, workOrder } from './order-flow.js';
import {
  checkOrderLimits,
  checkRateLimit,
  checkTradingState,
  instrumentLimitsFor,
  pruneRateWindow,
  type RiskDecision,
  strategyLimitsFor,
} from './risk.js';
import { streamRng } from './rng.js';
import type { EngineOutput, OrderRecord } from './types.js';
import { validateIntent } from './validation.js';

export function handleIntent(ctx: EngineContext, intent: OrderIntent, eventId: string, atMs: number): EngineOutput[] {
  const { state } = ctx;
  if (state.orders.has(intent.clientOrderId)) return [duplicateRejection(ctx, intent, eventId, atMs)];
  const lookup = rulesFor(ctx, intent.instrument);
  const validation = validateIntent(intent, lookup);
  const decision = validation.ok && lookup.ok ? assessRisk(ctx, intent, lookup.rules, atMs) : validation;
  const order = newOrderRecord(intent, eventId);
  state.orders.set(intent.clientOrderId, order);
  if (!decision.ok || !lookup.ok) {
    order.status = 'rejected';
    if (!decision.ok) Object.assign(order, { reasonCode: decision.code, reason: decision.reason });
    return [emitStatus(ctx, order, atMs)];
  }
  return acceptOrder(ctx, order, lookup.rules, atMs);
}

function newOrderRecord(intent: OrderIntent, causationId: string): OrderRecord {
  return {
    intent: structuredClone(intent),
    causationId,
    instrumentKey: instrumentKey(intent.instrument),
    status: 'accepted',
    filledQty: 0,
    leavesQty: 0,
    filledValue: 0,
    triggered: false,
    fillCount: 0,
    updateCount: 0,
    lastEventMs: 0,
  };
}

function duplicateRejection(ctx: EngineContext, intent: OrderIntent, eventId: string, atMs: number): EngineOutput {
  const rng = streamRng(ctx.config.seed, intent.clientOrderId, 'duplicate', eventId);
  const eventTime = formatTime(atMs + drawLatencyMs(ctx.config.fillModel, rng));
  const reason = `Client order id ${intent.clientOrderId} is already used by another order; this one was not placed.`;
  return { kind: 'order', update: rejectionUpdated(intent, eventId, 'DUPLICATE_CLIENT_ORDER_ID', reason, eventTime) };
}

function assessRisk(ctx: EngineContext, intent: OrderIntent, rules: InstrumentRules, atMs: number): RiskDecision {
  const { state, config } = ctx;
  const position = positionOf(state, intent.strategyId, rules.key);
  const gate = checkTradingState(state.tradingState, position, intent);
  if (!gate.ok) return gate;
  // Every order that gets past the throttle counts against it, whatever the later checks decide.
  const strategyLimits = strategyLimitsFor(config.risk, intent.strategyId);
  const window = pruneRateWindow(state.rateWindows.get(intent.strategyId) ?? [], atMs);
  const rate = checkRateLimit(window, strategyLimits, intent.strategyId);
  state.rateWindows.set(intent.strategyId, rate.ok ? [...window, atMs] : window);
  if (!rate.ok) return rate;
  const lastPrice = state.lastPrices.get(rules.key);
  return checkOrderLimits({
    intent,
    rules,
    limits: instrumentLimitsFor(config.risk, rules),
    strategyLimits,
    position,
    ...(lastPrice !== undefined && { lastPrice }),
    ...strategyExposure(ctx, intent, rules.key, rules.currency),
  });
}

/**
 * Puts the order on the book and gives it its first chance: a market or limit order, or a stop
 * whose stop price the last price already crossed, executes against the last price now. A limit
 * IOC/FOK with no last price yet cannot fill now and is canceled; other orders wait for prices.
 */
function acceptOrder(ctx: EngineContext, order: OrderRecord, rules: InstrumentRules, atMs: number): EngineOutput[] {
  const { state } = ctx;
  const { intent } = order;
  order.venueOrderId = venueOrderIdFor(intent.instrument.venue, intent.clientOrderId);
  order.leavesQty = intent.quantity;
  if (!isStopOrder(order)) order.executableSince = state.seq;
  state.book.push({
    clientOrderId: intent.clientOrderId,
    strategyId: intent.strategyId,
    instrumentKey: rules.key,
    instrument: structuredClone(intent.instrument),
  });
  const outputs = [emitStatus(ctx, order, atMs)];
  const lastPrice = state.lastPrices.get(rules.key);
  if (lastPrice !== undefined) {
    outputs.push(...workOrder(ctx, order, rules, lastPrice, { remaining: liquidityCapFor(ctx.config.fillModel, rules) }, atMs));
  } else if (!isStopOrder(order) && (intent.timeInForce === 'IOC' || intent.timeInForce === 'FOK')) {
    outputs.push(closeOrder(ctx, order, 'canceled', timeInForceCancel(order, 0, rules.lotSize), atMs));
  }
  return outputs;
}
