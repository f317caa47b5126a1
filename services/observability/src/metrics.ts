// observability's own metrics, on the service registry. Throughput is rate() of the event
// counter; latency histograms come from event timestamps, not from when the tap saw the events.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '../../core/src/index.js';
import { LatencyKind } from './domain/latency.js';

export interface ObservabilityMetrics {
  events: Counter<'subject' | 'schema_version'>;
  violations: Counter<'subject' | 'schema_version'>;
  latency: Record<LatencyKind, Histogram>;
  alerts: Counter<'rule' | 'status'>;
}

// From a few milliseconds (an agent reacting in-process) to a minute (a resting order filled later).
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createObservabilityMetrics(
  service: ServiceMetrics,
  memory: () => { signals: number; waiting: number },
): ObservabilityMetrics {
  const registers = [service.registry];
  const histogram = (name: string, help: string) => new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers });
  new Gauge({
    name: 'observability_latency_join_entries',
    help: 'Entries the latency join holds (bounded): signals remembered, and correlations with intents or fills waiting for their signal.',
    labelNames: ['kind'],
    registers,
    collect() {
      const { signals, waiting } = memory();
      this.set({ kind: 'signals' }, signals);
      this.set({ kind: 'waiting' }, waiting);
    },
  });
  return {
    events: new Counter({
      name: 'observability_events_total',
      help: 'Events seen on the platform stream, by subject and schema version (ce-schemaversion).',
      labelNames: ['subject', 'schema_version'],
      registers,
    }),
    violations: new Counter({
      name: 'observability_contract_violations_total',
      help: 'Events that break their contract (bad headers, unknown subject or major version, invalid payload), by subject and schema version.',
      labelNames: ['subject', 'schema_version'],
      registers,
    }),
    latency: {
      [LatencyKind.SignalToIntent]: histogram(
        'observability_signal_to_intent_seconds',
        'Time from a normalized signal to an order intent it caused (ce-time to ce-time).',
      ),
      [LatencyKind.SignalToFill]: histogram(
        'observability_signal_to_fill_seconds',
        'Time from a normalized signal to a fill in the same correlation (ce-time to ce-time).',
      ),
    },
    alerts: new Counter({
      name: 'observability_alerts_published_total',
      help: 'Alerts published on alerts.fired, by rule and status (firing, resolved).',
      labelNames: ['rule', 'status'],
      registers,
    }),
  };
}
