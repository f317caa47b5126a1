// The gateway's own metrics, on the service registry.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '../../core/src/index.js';

export type WebhookOutcome = 'published' | 'queued' | 'duplicate' | 'unauthorized' | 'forbidden' | 'invalid' | 'throttled' | 'unavailable';

export interface GatewayMetrics {
  webhooks: Counter<'source' | 'outcome'>;
  normalizationFailures: Counter<'source'>;
  ingestDuration: Histogram<'source' | 'outcome'>;
}

export function createGatewayMetrics(service: ServiceMetrics, spool: { depth: number; bytes: number }): GatewayMetrics {
  const registers = [service.registry];
  new Gauge({
    name: 'gateway_spool_depth',
    help: 'Webhooks accepted while NATS could not take them, waiting in the disk spool.',
    registers,
    collect() {
      this.set(spool.depth);
    },
  });
  new Gauge({
    name: 'gateway_spool_bytes',
    help: 'Size of the disk spool in bytes.',
    registers,
    collect() {
      this.set(spool.bytes);
    },
  });
  return {
    webhooks: new Counter({
      name: 'gateway_webhooks_total',
      help: 'Webhooks received, by source and outcome.',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    normalizationFailures: new Counter({
      name: 'gateway_normalization_failures_total',
      help: 'Raw signals kept but not normalized, by source.',
      labelNames: ['source'],
      registers,
    }),
    ingestDuration: new Histogram({
      name: 'gateway_ingest_duration_seconds',
      help: 'Time from request to answer for accepted webhooks (JetStream ack or spool fsync included), by source and outcome.',
      labelNames: ['source', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
