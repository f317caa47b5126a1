// Reconciliation: recompute every position from the fill log and compare it, the orders and the
// book with what the engine holds. One PositionReconciled per strategy × instrument that has a
// position record (flat ones included, for their realized PnL), working orders, fills or a
// discrepancy; sorted by strategy and instrument. The reported position is the book's; the
// discrepancies say where it disagrees with the fills:
//   position_mismatch  the book's quantity, average price or realized PnL differs from the replay
//                      of the fills (expected: replayed quantity, actual: book quantity)
//   unexpected_fill    a fill whose order is unknown, or fills beyond an order's filled quantity
//   missing_fill       an order's filled quantity exceeds the sum of its fills
//   duplicate_fill     one tradeId recorded more than once (the replay counts it once)
//   orphan_order       a book entry whose order is unknown or finished (no live intent), or a
//                      working reduce-only order with no position left to reduce
// Pure: reconcile() reads the state and changes nothing.
import type { Instrument, OpenOrder, OrderFilled, PositionReconciled, ReconcileDiscrepancy } from '../../../../generated/types.js';
import { type EngineContext, getOrCreate, isWorking, rulesFor } from './context.js';
import { reconcileSnapshotId } from './ids.js';
import { instrumentKey } from './instrument-rules.js';
import { reducibleQty } from './matching.js';
import { roundToStep } from './numeric.js';
import { toOpenOrder } from './order-events.js';
import { applyFillToPosition, newPosition, unrealizedPnl } from './positions.js';
import { type PositionRecord, positionKey } from './types.js';

interface Group {
  strategyId: string;
  instrument: Instrument;
  instrumentKey: string;
  openOrders: OpenOrder[];
  discrepancies: ReconcileDiscrepancy[];
}

type GroupOf = (strategyId: string, instrument: Instrument) => Group;

export function reconcile(ctx: EngineContext, asOf: string): PositionReconciled[] {
  const groups = new Map<string, Group>();
  const groupOf: GroupOf = (strategyId, instrument) => {
    const key = instrumentKey(instrument);
    return getOrCreate(groups, positionKey(strategyId, key), () => ({
      strategyId,
      instrument,
      instrumentKey: key,
      openOrders: [],
      discrepancies: [],
    }));
  };
  for (const position of ctx.state.positions.values()) groupOf(position.strategyId, position.instrument);
  const replayed = checkFills(ctx, groupOf);
  checkBook(ctx, groupOf);
  checkPositions(ctx, replayed, groupOf);
  return [...groups.values()]
    .sort((a, b) => compare(a.strategyId, b.strategyId) || compare(a.instrumentKey, b.instrumentKey))
    .map((group) => toPositionReconciled(ctx, group, replayed.get(positionKey(group.strategyId, group.instrumentKey)), asOf));
}

/** Replays the fill log (each tradeId once) into positions, reporting unknown, duplicate and missing fills. */
function checkFills(ctx: EngineContext, groupOf: GroupOf): Map<string, PositionRecord> {
  const { state } = ctx;
  const positions = new Map<string, PositionRecord>();
  const copies = new Map<string, { fill: OrderFilled; count: number }>();
  const filledByOrder = new Map<string, number>();
  for (const fill of state.fills) {
    const seen = copies.get(fill.tradeId);
    if (seen) {
      seen.count += 1;
      continue;
    }
    copies.set(fill.tradeId, { fill, count: 1 });
    const group = groupOf(fill.strategyId, fill.instrument);
    const key = positionKey(fill.strategyId, group.instrumentKey);
    const position = getOrCreate(positions, key, () => emptyPositionFor(ctx, fill));
    applyFillToPosition(position, fill.side, fill.lastQty, fill.lastPx, fill.commission);
    filledByOrder.set(fill.clientOrderId, roundToStep((filledByOrder.get(fill.clientOrderId) ?? 0) + fill.lastQty, position.lotSize));
    if (!state.orders.has(fill.clientOrderId)) {
      group.discrepancies.push({
        kind: 'unexpected_fill',
        detail: `Trade ${fill.tradeId} (${fill.side} ${fill.lastQty} @ ${fill.lastPx}) belongs to order ${fill.clientOrderId}, which the venue does not know.`,
        clientOrderId: fill.clientOrderId,
        actual: fill.lastQty,
      });
    }
  }
  for (const { fill, count } of copies.values()) {
    if (count < 2) continue;
    groupOf(fill.strategyId, fill.instrument).discrepancies.push({
      kind: 'duplicate_fill',
      detail: `Trade ${fill.tradeId} was recorded ${count} times; the replay counts it once.`,
      clientOrderId: fill.clientOrderId,
      expected: fill.lastQty,
      actual: fill.lastQty * count,
    });
  }
  for (const order of state.orders.values()) {
    const fromFills = filledByOrder.get(order.intent.clientOrderId) ?? 0;
    if (fromFills === order.filledQty) continue;
    const id = order.intent.clientOrderId;
    const missing = order.filledQty > fromFills;
    groupOf(order.intent.strategyId, order.intent.instrument).discrepancies.push({
      kind: missing ? 'missing_fill' : 'unexpected_fill',
      detail: missing
        ? `Order ${id} has ${order.filledQty} filled but its fills add up to ${fromFills}.`
        : `Order ${id} has fills for ${fromFills} but only ${order.filledQty} filled.`,
      clientOrderId: id,
      expected: order.filledQty,
      actual: fromFills,
    });
  }
  return positions;
}

function emptyPositionFor(ctx: EngineContext, fill: OrderFilled): PositionRecord {
  const lookup = rulesFor(ctx, fill.instrument);
  if (lookup.ok) return newPosition(fill.strategyId, fill.instrument, lookup.rules);
  const key = instrumentKey(fill.instrument);
  const book = ctx.state.positions.get(positionKey(fill.strategyId, key));
  return {
    ...(book ?? { currency: fill.commission.currency, multiplier: 1, lotSize: 0.00000001 }),
    strategyId: fill.strategyId,
    instrument: fill.instrument,
    instrumentKey: key,
    quantity: 0,
    avgPx: 0,
    realizedPnl: 0,
  };
}

/** Lists the working orders and reports book entries with no live order behind them. */
function checkBook(ctx: EngineContext, groupOf: GroupOf): void {
  const { state } = ctx;
  for (const entry of state.book) {
    const group = groupOf(entry.strategyId, entry.instrument);
    const order = state.orders.get(entry.clientOrderId);
    const id = entry.clientOrderId;
    if (!order || !isWorking(order)) {
      const why = order ? `its order is ${order.status}` : 'no order intent is known for it';
      group.discrepancies.push({ kind: 'orphan_order', detail: `Order ${id} is working on the book but ${why}.`, clientOrderId: id });
      continue;
    }
    group.openOrders.push(toOpenOrder(order));
    const position = state.positions.get(positionKey(entry.strategyId, entry.instrumentKey))?.quantity ?? 0;
    if (order.intent.reduceOnly && reducibleQty(position, order.intent.side) === 0) {
      group.discrepancies.push({
        kind: 'orphan_order',
        detail: `Reduce-only ${order.intent.orderType} ${id} is still working although the strategy has no ${entry.instrument.symbol} position it could reduce (position ${position}).`,
        clientOrderId: id,
        expected: 0,
        actual: order.leavesQty,
      });
    }
  }
}

function checkPositions(ctx: EngineContext, replayed: Map<string, PositionRecord>, groupOf: GroupOf): void {
  const keys = new Set([...ctx.state.positions.keys(), ...replayed.keys()]);
  for (const key of keys) {
    const book = ctx.state.positions.get(key);
    const replay = replayed.get(key);
    const owner = book ?? replay;
    if (!owner) continue;
    const group = groupOf(owner.strategyId, owner.instrument);
    const expected = replay?.quantity ?? 0;
    const actual = book?.quantity ?? 0;
    const symbol = owner.instrument.symbol;
    if (expected !== actual) {
      group.discrepancies.push({
        kind: 'position_mismatch',
        detail: `The ${symbol} position is ${actual} on the book but the fills add up to ${expected}.`,
        expected,
        actual,
      });
    } else if (book && replay && (!nearlyEqual(book.avgPx, replay.avgPx) || !nearlyEqual(book.realizedPnl, replay.realizedPnl))) {
      group.discrepancies.push({
        kind: 'position_mismatch',
        detail: `The ${symbol} position has avgPx ${book.avgPx} and realized PnL ${book.realizedPnl} on the book; the fills give ${replay.avgPx} and ${replay.realizedPnl}.`,
        expected,
        actual,
      });
    }
  }
}

function toPositionReconciled(ctx: EngineContext, group: Group, replay: PositionRecord | undefined, asOf: string): PositionReconciled {
  const { state } = ctx;
  const key = positionKey(group.strategyId, group.instrumentKey);
  const book = state.positions.get(key);
  const lookup = rulesFor(ctx, group.instrument);
  const currency = book?.currency ?? replay?.currency ?? (lookup.ok ? lookup.rules.currency : (group.instrument.quoteCurrency ?? 'USD'));
  const quantity = book?.quantity ?? 0;
  return {
    snapshotId: reconcileSnapshotId(asOf, state.seq, group.strategyId, group.instrumentKey),
    strategyId: group.strategyId,
    instrument: structuredClone(group.instrument),
    positionQty: quantity,
    ...(book && quantity !== 0 && { avgPx: book.avgPx }),
    realizedPnl: { amount: book?.realizedPnl ?? 0, currency },
    unrealizedPnl: { amount: book ? unrealizedPnl(book, state.lastPrices.get(group.instrumentKey)) : 0, currency },
    openOrders: group.openOrders,
    discrepancies: group.discrepancies,
    asOf,
  };
}

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
