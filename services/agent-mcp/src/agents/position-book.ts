// What an agent holds per instrument, as exec-sim's fills and order updates say, plus what its
// orders still on their way are expected to add. A strategy decides from
//   position = Σ fills + Σ (quantity still expected from each of its working orders)
// so a signal right after an order sees that order (its fill may not be in yet), and a refused,
// canceled or expired order stops counting the moment its update arrives: the agent never keeps
// a position that exists only in its head (which made its later exits fail as RISK_REDUCE_ONLY).
//
// Keys are instrumentKey() of the instrument the order names (ESZ6@CME, not the ES1!@CME series
// the signal came on), the same key the fills carry. Fills of orders the book does not know (a
// manual order of the same strategy, an order placed before a restart) count too: they are what
// the strategy holds at exec-sim. Deduplicating redelivered fills is the caller's job (by tradeId).
import type { OrderFilled, OrderUpdated, Side } from '../../../../generated/index.js';
import { instrumentKey, type OrderIntentDraft } from './types.js';

/** The parts of a fill the book needs. */
export type FillReport = Pick<OrderFilled, 'clientOrderId' | 'instrument' | 'side' | 'lastQty'>;
/** The parts of an order update the book needs. */
export type OrderReport = Pick<OrderUpdated, 'clientOrderId' | 'status' | 'filledQty'> & Partial<Pick<OrderUpdated, 'reasonCode'>>;

interface WorkingOrder {
  key: string;
  side: Side;
  /** What the order will fill in total: its quantity, or its filled quantity once it is closed early. */
  quantity: number;
  /** Filled quantity seen as fills so far. */
  filled: number;
}

export interface PositionBookState {
  /** Believed signed position per instrument key: filled plus expected. */
  positions: Record<string, number>;
  /** Signed filled position per instrument key. */
  filled: Record<string, number>;
  /** Orders still expected to fill, by clientOrderId. */
  working: Record<string, WorkingOrder>;
}

const round = (value: number) => Number(value.toPrecision(12));
const signed = (side: Side, quantity: number) => (side === 'buy' ? quantity : -quantity);
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export class PositionBook {
  private readonly filled = new Map<string, number>();
  private readonly working = new Map<string, WorkingOrder>();

  /**
   * Resumes from a saved state. A state with `positions` only (the format before fills were
   * followed) is taken as filled positions.
   */
  constructor(state?: Partial<PositionBookState>) {
    const filled = state?.filled ?? state?.positions ?? {};
    for (const [key, quantity] of Object.entries(filled)) if (finite(quantity) && quantity !== 0) this.filled.set(key, quantity);
    for (const [id, order] of Object.entries(state?.working ?? {})) {
      if (
        order &&
        typeof order.key === 'string' &&
        (order.side === 'buy' || order.side === 'sell') &&
        finite(order.quantity) &&
        finite(order.filled)
      )
        this.working.set(id, { ...order });
    }
  }

  /** The signed position the agent should decide from. */
  position(key: string): number {
    let total = this.filled.get(key) ?? 0;
    for (const order of this.working.values())
      if (order.key === key) total += signed(order.side, Math.max(0, order.quantity - order.filled));
    return round(total);
  }

  /** An order the agent has just decided to place. */
  placed(clientOrderId: string, key: string, side: Side, quantity: number): void {
    this.working.set(clientOrderId, { key, side, quantity, filled: 0 });
  }

  /** Records the drafts of one decision on `key` as working orders, leg by leg; returns them. */
  track(key: string, drafts: OrderIntentDraft[], clientOrderId: (leg: number) => string): OrderIntentDraft[] {
    for (const [leg, draft] of drafts.entries()) this.placed(clientOrderId(leg), key, draft.side, draft.quantity);
    return drafts;
  }

  onFill(fill: FillReport): void {
    const key = instrumentKey(fill.instrument);
    const position = round((this.filled.get(key) ?? 0) + signed(fill.side, fill.lastQty));
    if (position === 0) this.filled.delete(key);
    else this.filled.set(key, position);
    const order = this.working.get(fill.clientOrderId);
    if (!order) return;
    order.filled = round(order.filled + fill.lastQty);
    if (order.filled >= order.quantity) this.working.delete(fill.clientOrderId);
  }

  onOrderUpdate(update: OrderReport): void {
    const order = this.working.get(update.clientOrderId);
    if (!order) return;
    // A re-sent intent is refused as a duplicate: that says nothing about the order itself.
    if (update.reasonCode === 'DUPLICATE_CLIENT_ORDER_ID') return;
    if (update.status !== 'rejected' && update.status !== 'canceled' && update.status !== 'expired') return;
    // Closed early: only what it filled will ever arrive as fills.
    order.quantity = update.filledQty;
    if (order.filled >= order.quantity) this.working.delete(update.clientOrderId);
  }

  state(): PositionBookState {
    const keys = new Set([...this.filled.keys(), ...[...this.working.values()].map((o) => o.key)]);
    const positions = Object.fromEntries(
      [...keys]
        .sort()
        .map((key) => [key, this.position(key)] as const)
        .filter(([, quantity]) => quantity !== 0),
    );
    return {
      positions,
      filled: Object.fromEntries(this.filled),
      working: Object.fromEntries([...this.working].map(([id, order]) => [id, { ...order }])),
    };
  }
}
