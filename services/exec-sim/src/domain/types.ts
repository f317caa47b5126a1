// The engine's inputs, outputs and state. Wire shapes (OrderIntent, OrderUpdated, OrderFilled,
// PositionReconciled) are the generated contract types; everything else here is exec-sim's own.
import type {
  Instrument,
  Money,
  OrderFilled,
  OrderIntent,
  OrderReasonCode,
  OrderStatus,
  OrderType,
  OrderUpdated,
  Side,
  TimeInForce,
} from '../../../../generated/types.js';

/** Gate on new orders: ACTIVE everything, REDUCING only position-reducing orders, HALTED nothing (and the book is frozen). */
export const TradingState = { Active: 'ACTIVE', Reducing: 'REDUCING', Halted: 'HALTED' } as const;
export type TradingState = (typeof TradingState)[keyof typeof TradingState];

/** One thing that happened, at `at` (RFC 3339). Inputs are applied strictly in the order given. */
export type EngineInput =
  /** An order intent; `eventId` is its event's ce-id (it becomes the orders' causationId). */
  | { kind: 'intent'; intent: OrderIntent; eventId: string; at: string }
  /** The last traded price of an instrument (from signals.normalized). */
  | { kind: 'price'; instrument: Instrument; price: number; at: string }
  | { kind: 'cancel'; clientOrderId: string; at: string }
  | { kind: 'trading-state'; state: TradingState; at: string }
  /** The venue's trading session ended: DAY orders expire. */
  | { kind: 'session-end'; at: string };

/** What an input caused, in the order it happened. */
export type EngineOutput = { kind: 'order'; update: OrderUpdated } | { kind: 'fill'; fill: OrderFilled };

/** Statuses under which an order still works at the venue. */
export const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set(['accepted', 'partially_filled']);

/** Everything the engine knows about one order (also the rejected ones, so their ids stay taken). */
export interface OrderRecord {
  intent: OrderIntent;
  /** The intent event's ce-id. */
  causationId: string;
  /** `venue:symbol`, the key of prices and books. */
  instrumentKey: string;
  /** Absent when the order was rejected before it reached the book. */
  venueOrderId?: string;
  status: OrderStatus;
  reasonCode?: OrderReasonCode;
  reason?: string;
  filledQty: number;
  leavesQty: number;
  /** Σ lastPx × lastQty of its fills, for the average price. */
  filledValue: number;
  /** Stop and stop-limit orders: the stop price has traded. */
  triggered: boolean;
  /** Input number on which the order could first trade (accepted, or its stop triggered): it takes liquidity on that input, and makes it afterwards. */
  executableSince?: number;
  fillCount: number;
  updateCount: number;
  /** Latest eventTime of the order, so its events never go back in time. */
  lastEventMs: number;
}

/** One working order, in time priority. Carries its owner so an entry whose order record is gone can still be reported. */
export interface BookEntry {
  clientOrderId: string;
  strategyId: string;
  instrumentKey: string;
  instrument: Instrument;
}

/** A strategy's netted position on one instrument, in the instrument's quote currency. */
export interface PositionRecord {
  strategyId: string;
  instrument: Instrument;
  instrumentKey: string;
  /** Signed: > 0 long, < 0 short. */
  quantity: number;
  /** Average entry price of the open quantity; 0 when flat. */
  avgPx: number;
  /** Closed PnL net of every commission paid on the instrument. */
  realizedPnl: number;
  currency: string;
  multiplier: number;
  lotSize: number;
}

export interface EngineState {
  /** Number of inputs applied. */
  seq: number;
  tradingState: TradingState;
  orders: Map<string, OrderRecord>;
  book: BookEntry[];
  fills: OrderFilled[];
  /** By positionKey(strategyId, instrumentKey). */
  positions: Map<string, PositionRecord>;
  lastPrices: Map<string, number>;
  /** Per strategy: input times (ms) of the orders admitted in the last second. */
  rateWindows: Map<string, number[]>;
}

export function positionKey(strategyId: string, instrumentKey: string): string {
  return `${strategyId}\u0000${instrumentKey}`;
}

/** An order as orders() reports it. */
export interface OrderView {
  clientOrderId: string;
  venueOrderId?: string;
  strategyId: string;
  agentId: string;
  instrument: Instrument;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  quantity: number;
  limitPrice?: number;
  stopPrice?: number;
  reduceOnly: boolean;
  status: OrderStatus;
  reasonCode?: OrderReasonCode;
  filledQty: number;
  leavesQty: number;
  avgPx?: number;
  /** Stop and stop-limit orders whose stop has traded. */
  triggered: boolean;
}

/** A position as positions() reports it. */
export interface PositionView {
  strategyId: string;
  instrument: Instrument;
  quantity: number;
  /** Absent when flat. */
  avgPx?: number;
  lastPrice?: number;
  realizedPnl: Money;
  unrealizedPnl: Money;
}

export interface PnlLine {
  currency: string;
  realized: number;
  unrealized: number;
  total: number;
}

/** PnL per strategy and overall, one line per currency (no conversion between currencies). */
export interface PnlReport {
  strategies: Array<{ strategyId: string; lines: PnlLine[] }>;
  total: PnlLine[];
}
