// SignalView: the last N normalized signals (default 500), newest first, filled from the
// contract's `agent-mcp-signals` durable. A redelivered signal is not stored twice.
import type { SignalNormalized } from '../../../../generated/index.js';
import type { SignalFilter, SignalView } from '../context.js';

export const SIGNAL_RING_SIZE = 500;

export class SignalRing implements SignalView {
  private readonly signals: SignalNormalized[] = [];
  private readonly ids = new Set<string>();

  constructor(readonly capacity = SIGNAL_RING_SIZE) {}

  push(signal: SignalNormalized): void {
    if (this.ids.has(signal.signalId)) return;
    this.signals.push(signal);
    this.ids.add(signal.signalId);
    while (this.signals.length > this.capacity) {
      const dropped = this.signals.shift();
      if (dropped) this.ids.delete(dropped.signalId);
    }
  }

  get size(): number {
    return this.signals.length;
  }

  recent(filter: SignalFilter = {}): SignalNormalized[] {
    const limit = filter.limit ?? this.capacity;
    const symbol = filter.symbol?.toUpperCase();
    const out: SignalNormalized[] = [];
    for (let i = this.signals.length - 1; i >= 0 && out.length < limit; i--) {
      const signal = this.signals[i] as SignalNormalized;
      if (symbol !== undefined && signal.instrument.symbol.toUpperCase() !== symbol) continue;
      if (filter.assetClass !== undefined && signal.instrument.assetClass !== filter.assetClass) continue;
      out.push(signal);
    }
    return out;
  }
}
