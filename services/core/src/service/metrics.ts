// Prometheus metrics: one registry per service with the default process metrics, the HTTP
// metrics and the event metrics every service shares; services register their own on the same registry.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { EventMetrics } from '../nats/event-metrics.js';
import { createEventMetrics } from './event-metrics.js';

export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Pass as `metrics` to publishEvent / consumeEvents (and the generated clients). */
  events: EventMetrics;
}

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges `*_total`, a counter suffix (promtool check metrics flags
  // them); the same numbers stay available per type as nodejs_active_handles / _requests / _resources.
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    events: createEventMetrics(registry),
  };
}
