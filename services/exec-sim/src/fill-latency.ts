// End-to-end timing of fills. A fill can come long after its order's intent (a resting limit
// order fills on a later price), so the times it is measured from are remembered: per order, the
// ce-time of its intent and the id of the signal that caused it; per signal (seen by the price
// consumer), its ce-time, which is when the gateway received the webhook. Both maps are bounded,
// oldest first out, so a fill of a long-forgotten order simply goes untimed.

export interface FillTiming {
  orderType: string;
  intentToFillSeconds: number;
  /** Absent when the causing signal is unknown (a manual order) or no longer remembered. */
  signalToFillSeconds?: number;
}

interface OrderTimes {
  intentAt: number;
  orderType: string;
  signalId?: string;
}

const DEFAULT_CAPACITY = 20_000;

function remember<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

export class FillLatency {
  private readonly signals = new Map<string, number>();
  private readonly orders = new Map<string, OrderTimes>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** A normalized signal: its event id and ce-time. */
  signalSeen(eventId: string, time: string): void {
    const at = Date.parse(time);
    if (Number.isFinite(at)) remember(this.signals, eventId, at, this.capacity);
  }

  /** An intent about to be applied: its order, ce-time and causing signal's event id. */
  intentSeen(intent: { clientOrderId: string; orderType: string; time: string; signalId?: string }): void {
    const intentAt = Date.parse(intent.time);
    if (!Number.isFinite(intentAt)) return;
    const times: OrderTimes = { intentAt, orderType: intent.orderType };
    if (intent.signalId !== undefined) times.signalId = intent.signalId;
    remember(this.orders, intent.clientOrderId, times, this.capacity);
  }

  /** How long a fill of this order, published at `at` (ms), took; undefined for an order not remembered. */
  filled(clientOrderId: string, at: number): FillTiming | undefined {
    const order = this.orders.get(clientOrderId);
    if (!order) return undefined;
    const timing: FillTiming = { orderType: order.orderType, intentToFillSeconds: Math.max(0, at - order.intentAt) / 1000 };
    const signalAt = order.signalId === undefined ? undefined : this.signals.get(order.signalId);
    if (signalAt !== undefined) timing.signalToFillSeconds = Math.max(0, at - signalAt) / 1000;
    return timing;
  }
}
