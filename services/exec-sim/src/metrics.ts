// exec-sim's own metrics, on the service registry.
import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '../../core/src/index.js';
import type { ExecutionEngine } from './domain/engine.js';
import type { EngineOutput } from './domain/types.js';

export interface ExecSimMetrics {
  record(outputs: readonly EngineOutput[]): void;
}

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
    record(outputs) {
      for (const output of outputs) {
        if (output.kind === 'fill') fills.inc({ asset_class: output.fill.instrument.assetClass, liquidity: output.fill.liquiditySide });
        else {
          orders.inc({ status: output.update.status });
          if (output.update.status === 'rejected' && output.update.reasonCode) denials.inc({ reason: output.update.reasonCode });
        }
      }
    },
  };
}
