// Persistence: the whole state as plain JSON (no Maps, no undefined values, no Infinity), and
// back. A restored engine continues exactly where the original was: same ids, same random
// streams (they are keyed by order and index, not by a global position), same book order.
import type { OrderFilled } from '../../../../generated/types.js';
import { EngineSnapshotError } from './errors.js';
import { type BookEntry, type EngineState, type OrderRecord, type PositionRecord, positionKey, TradingState } from './types.js';

export const SNAPSHOT_FORMAT = 'exec-sim.engine';
export const SNAPSHOT_VERSION = 1;

export interface EngineSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  seq: number;
  tradingState: TradingState;
  /** Every order ever received, in arrival order. */
  orders: OrderRecord[];
  /** Working orders in time priority. */
  book: BookEntry[];
  /** The fill log, in execution order. */
  fills: OrderFilled[];
  positions: PositionRecord[];
  lastPrices: Array<{ instrumentKey: string; price: number }>;
  rateWindows: Array<{ strategyId: string; times: number[] }>;
}

export function toSnapshot(state: EngineState): EngineSnapshot {
  return structuredClone({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    seq: state.seq,
    tradingState: state.tradingState,
    orders: [...state.orders.values()],
    book: state.book,
    fills: state.fills,
    positions: [...state.positions.values()],
    lastPrices: [...state.lastPrices].map(([instrumentKey, price]) => ({ instrumentKey, price })),
    rateWindows: [...state.rateWindows].map(([strategyId, times]) => ({ strategyId, times })),
  });
}

export function fromSnapshot(snapshot: EngineSnapshot): EngineState {
  if (snapshot?.format !== SNAPSHOT_FORMAT || snapshot.version !== SNAPSHOT_VERSION) {
    throw new EngineSnapshotError(`not an ${SNAPSHOT_FORMAT} snapshot of version ${SNAPSHOT_VERSION}`);
  }
  if (!Object.values(TradingState).includes(snapshot.tradingState)) {
    throw new EngineSnapshotError(`unknown trading state "${snapshot.tradingState}"`);
  }
  const copy = structuredClone(snapshot);
  return {
    seq: copy.seq,
    tradingState: copy.tradingState,
    orders: new Map(copy.orders.map((order) => [order.intent.clientOrderId, order])),
    book: copy.book,
    fills: copy.fills,
    positions: new Map(copy.positions.map((position) => [positionKey(position.strategyId, position.instrumentKey), position])),
    lastPrices: new Map(copy.lastPrices.map(({ instrumentKey, price }) => [instrumentKey, price])),
    rateWindows: new Map(copy.rateWindows.map(({ strategyId, times }) => [strategyId, times])),
  };
}
