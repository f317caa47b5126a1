// exec-sim's own metrics, on the service registry.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EventMeta, EventMetrics, ServiceMetrics } from '../../core/src/index.js';
import type { ExecutionEngine } from './domain/engine.js';
import type { EngineOutput } from './domain/types.js';
import { FillLatency } from './fill-latency.js';

export interface ExecSimMetrics {
  /** Counts what the engine published; times each fill from its intent and signal. Call once the outputs are published. */
  record(outputs: readonly EngineOutput[]): void;
  /** A normalized signal consumed (its time is what a later fill is measured from). */
  signalSeen(meta: EventMeta): void;
  /** An order intent about to be applied. */
  intentSeen(intent: { clientOrderId: string; orderType: string; causationId?: string }, meta: EventMeta): void;
  /** The event runtime's metrics, for publish and consume options. */
  events: EventMetrics;
}

/** From milliseconds (a market order in the same process) to an hour (a resting order filled on a later price). */
const FILL_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export function createExecSimMetrics(service: ServiceMetrics, engine: () => ExecutionEngine): ExecSimMetrics {
  const registers = [service.registry];
  const orders = new Counter({
    name: 'exec_order_updates_total',
    help: 'Order updates published, by status.',
    labelNames: ['status'],
    registers,
  });
  const denials = new Counter({
    name: 'exec_risk_denials_total',
    help: 'Orders rejected before reaching the book, by reason code.',
    labelNames: ['reason'],
    registers,
  });
  const fills = new Counter({
    name: 'exec_fills_total',
    help: 'Fills published, by asset class and liquidity side.',
    labelNames: ['asset_class', 'liquidity'],
    registers,
  });
  const intentToFill = new Histogram({
    name: 'exec_intent_to_fill_seconds',
    help: 'Time from an order intent (its ce-time) to each fill of the order being published, by order type.',
    labelNames: ['order_type'],
    buckets: FILL_LATENCY_BUCKETS,
    registers,
  });
  const signalToFill = new Histogram({
    name: 'exec_signal_to_fill_seconds',
    help: 'Time from the signal behind an order (its ce-time: when the gateway received the webhook) to each fill being published, by order type.',
    labelNames: ['order_type'],
    buckets: FILL_LATENCY_BUCKETS,
    registers,
  });
  const latency = new FillLatency();
  new Gauge({
    name: 'exec_position_quantity',
    help: 'Net position per strategy and instrument (signed: > 0 long).',
    labelNames: ['strategy', 'instrument'],
    registers,
    collect() {
      this.reset();
      for (const p of engine().positions())
        this.set({ strategy: p.strategyId, instrument: `${p.instrument.venue}:${p.instrument.symbol}` }, p.quantity);
    },
  });
  new Gauge({
    name: 'exec_pnl',
    help: 'PnL per strategy and currency, realized (net of fees) and unrealized at the last price.',
    labelNames: ['strategy', 'currency', 'kind'],
    registers,
    collect() {
      this.reset();
      for (const { strategyId, lines } of engine().pnl().strategies) {
        for (const line of lines) {
          this.set({ strategy: strategyId, currency: line.currency, kind: 'realized' }, line.realized);
          this.set({ strategy: strategyId, currency: line.currency, kind: 'unrealized' }, line.unrealized);
        }
      }
    },
  });
  new Gauge({
    name: 'exec_trading_halted',
    help: '1 when trading is HALTED, 0.5 when REDUCING, 0 when ACTIVE.',
    registers,
    collect() {
      const state = engine().tradingState;
      this.set(state === 'HALTED' ? 1 : state === 'REDUCING' ? 0.5 : 0);
    },
  });
  return {
    events: service.events,
    signalSeen(meta) {
      latency.signalSeen(meta.eventId, meta.time);
    },
    intentSeen(intent, meta) {
      const signalId = meta.causationId ?? intent.causationId;
      latency.intentSeen({
        clientOrderId: intent.clientOrderId,
        orderType: intent.orderType,
        time: meta.time,
        ...(signalId ? { signalId } : {}),
      });
    },
    record(outputs) {
      const publishedAt = Date.now();
      for (const output of outputs) {
        if (output.kind === 'fill') {
          fills.inc({ asset_class: output.fill.instrument.assetClass, liquidity: output.fill.liquiditySide });
          const timing = latency.filled(output.fill.clientOrderId, publishedAt);
          if (timing) intentToFill.observe({ order_type: timing.orderType }, timing.intentToFillSeconds);
          if (timing?.signalToFillSeconds !== undefined) signalToFill.observe({ order_type: timing.orderType }, timing.signalToFillSeconds);
        } else {
          orders.inc({ status: output.update.status });
          if (output.update.status === 'rejected' && output.update.reasonCode) denials.inc({ reason: output.update.reasonCode });
        }
      }
    },
  };
}
