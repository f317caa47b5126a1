// Wires observability: NATS, the event tap on every subject of the platform stream, the
// JetStream watch (consumer lag, dead letters), alerts on alerts.fired, and /metrics, /health,
// /ready. main.ts runs it; tests start it on port 0.
import { type AlertFired, CONSUMERS, consumersOf, provisionStreams, STREAM_SUBJECTS } from '../../../generated/index.js';
import {
  connectNats,
  createMetrics,
  createServiceApp,
  deadLetterStreamName,
  type Logger,
  listen,
  type NatsRuntime,
  natsChecks,
  Readiness,
  registerNatsMetrics,
} from '../../core/src/index.js';
import { createAlertPublisher } from './alert-publisher.js';
import type { ObservabilityConfig } from './config.js';
import { contractIndex } from './contracts.js';
import { AlertBook } from './domain/alert-book.js';
import { DeadLetterGrowth } from './domain/jetstream-rules.js';
import { LatencyJoin } from './domain/latency.js';
import { ViolationAlerts } from './domain/violation-alerts.js';
import { createObservabilityMetrics } from './metrics.js';
import { createEventObserver } from './observer.js';
import { startTap } from './tap.js';
import { startWatch } from './watch.js';

export interface RunningObservability {
  port: number;
  url: string;
  nats: NatsRuntime;
  /** Alerts firing now, as last published on alerts.fired. */
  firingAlerts(): AlertFired[];
  /** Reads consumer lag and dead letters and evaluates the alerts now, instead of at the next interval. */
  watchNow(): Promise<void>;
  stop(): Promise<void>;
}

export async function startObservability(config: ObservabilityConfig, logger: Logger): Promise<RunningObservability> {
  const contracts = contractIndex();
  const nats = await connectNats({ servers: config.NATS_URL.split(','), name: config.SERVICE_NAME, logger });
  await provisionStreams(nats.jsm, { stream: config.NATS_STREAM, service: 'observability' });
  const tapDurables = consumersOf('observability');

  const serviceMetrics = createMetrics(config.SERVICE_NAME);
  const latency = new LatencyJoin({ maxEntries: config.OBSERVABILITY_LATENCY_MAX_ENTRIES, ttlMs: config.OBSERVABILITY_LATENCY_TTL_MS });
  const metrics = createObservabilityMetrics(serviceMetrics, () => latency.memory);
  registerNatsMetrics(
    serviceMetrics,
    () => nats,
    config.NATS_STREAM,
    tapDurables.map((d) => d.durable),
  );
  const book = new AlertBook(createAlertPublisher(() => nats.js, metrics, logger));
  const alertFailed = (err: unknown) => logger.warn({ err }, 'alert not published; retried on the next occurrence');
  const violations = new ViolationAlerts(book, config.OBSERVABILITY_VIOLATION_WINDOW_MS, alertFailed);

  const tap = await startTap({
    nats,
    stream: config.NATS_STREAM,
    subjects: STREAM_SUBJECTS,
    durables: tapDurables,
    onMessage: createEventObserver({ contracts, metrics, latency, violations, logger }),
    logger,
  });
  const watch = startWatch({
    nats,
    stream: config.NATS_STREAM,
    consumers: CONSUMERS,
    lagThreshold: config.OBSERVABILITY_LAG_ALERT_THRESHOLD,
    intervalMs: config.OBSERVABILITY_WATCH_INTERVAL_MS,
    book,
    deadLetters: new DeadLetterGrowth(deadLetterStreamName(config.NATS_STREAM), config.OBSERVABILITY_DEAD_LETTER_QUIET_MS),
    onTick: () => violations.sweep(),
    logger,
  });
  // The first read is the dead-letter baseline: what was there before the start is not "growing".
  await watch.tick();

  const readiness = natsChecks(
    new Readiness(),
    () => nats,
    config.NATS_STREAM,
    tapDurables.map((d) => d.durable),
  );
  readiness.add('tap', () => (tap.running ? { ok: true } : { ok: false, detail: 'the event tap stopped consuming' }));
  const app = createServiceApp({ logger, metrics: serviceMetrics, readiness });
  const listener = await listen(app, config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${listener.port}`;
  logger.info({ port: listener.port, subjects: STREAM_SUBJECTS.length, consumers: CONSUMERS.length }, 'observability listening');

  return {
    port: listener.port,
    url,
    nats,
    firingAlerts: () => book.firing(),
    watchNow: () => watch.tick(),
    async stop() {
      await listener.close();
      await watch.stop();
      await tap.stop();
      await nats.close();
    },
  };
}
