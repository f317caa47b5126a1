// Wires exec-sim: NATS, the journal, the engine rebuilt from it, the consumers of intents and
// prices, periodic reconciliation, and the trade API. main.ts runs it; tests start it on port 0.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  consumeOrderIntent,
  consumersOf,
  consumeSignalNormalized,
  type OrderIntent,
  type PositionReconciled,
  provisionStreams,
  publishPositionReconciled,
  validateOrderIntent,
} from '../../../generated/index.js';
import {
  connectNats,
  createMetrics,
  createServiceApp,
  deterministicId,
  type EventConsumerHandle,
  type EventMeta,
  type Logger,
  listen,
  loadInstrumentCatalog,
  type NatsRuntime,
  natsChecks,
  Readiness,
  registerNatsMetrics,
  tradableInstrument,
} from '../../core/src/index.js';
import type { ExecSimConfig } from './config.js';
import { parseEngineConfig } from './domain/config.js';
import { ExecutionEngine } from './domain/engine.js';
import { tradeApiRoutes } from './handlers/trade-api.js';
import { sweepInFlight } from './in-flight.js';
import { Journal } from './journal.js';
import { createExecSimMetrics } from './metrics.js';
import { EXEC_SIM_SOURCE } from './publish-outputs.js';
import { parseSessionEnd, scheduleSessionEnds } from './session.js';
import { Simulator, type SimulatorInput } from './simulator.js';

export interface RunningExecSim {
  port: number;
  simulator: Simulator;
  nats: NatsRuntime;
  stop(): Promise<void>;
}

function engineConfig(config: ExecSimConfig) {
  const file = config.EXEC_SIM_CONFIG ? (parseYaml(readFileSync(config.EXEC_SIM_CONFIG, 'utf8')) as Record<string, unknown>) : {};
  return parseEngineConfig(config.EXEC_SIM_SEED === undefined ? file : { ...file, seed: config.EXEC_SIM_SEED });
}

export async function startExecSim(config: ExecSimConfig, logger: Logger): Promise<RunningExecSim> {
  const catalog = loadInstrumentCatalog(config.INSTRUMENTS_FILE);
  const engine = new ExecutionEngine(engineConfig(config), catalog);
  const nats = await connectNats({ servers: config.NATS_URL.split(','), name: config.SERVICE_NAME, logger });
  await provisionStreams(nats.jsm, { stream: config.NATS_STREAM, service: 'exec-sim' });
  const journal = await Journal.open<SimulatorInput>(nats, config.EXEC_JOURNAL_STREAM);

  const serviceMetrics = createMetrics(config.SERVICE_NAME);
  const metrics = createExecSimMetrics(serviceMetrics, () => simulator.engine);
  const simulator = new Simulator(engine, journal, nats.js, logger, metrics);
  await simulator.recover();

  const reconcile = async (): Promise<PositionReconciled[]> => {
    const snapshots = simulator.engine.reconcile(new Date().toISOString());
    for (const snapshot of snapshots) {
      await publishPositionReconciled(nats.js, snapshot, {
        source: EXEC_SIM_SOURCE,
        eventId: deterministicId('executions.reconcile', snapshot.snapshotId),
        metrics: metrics.events,
      });
    }
    return snapshots;
  };

  const applyIntent = (intent: OrderIntent, meta: EventMeta) => {
    metrics.intentSeen(intent, meta);
    return simulator.submit(
      meta.eventId,
      { kind: 'intent', intent, eventId: meta.eventId, at: meta.time },
      { causationId: meta.eventId, correlationId: meta.correlationId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
    );
  };
  const swept = await sweepInFlight(
    nats.jsm,
    config.NATS_STREAM,
    'exec-sim-intents',
    'decisions.order_intent',
    async ({ payload, meta }) => {
      const checked = validateOrderIntent(payload);
      if (checked.ok) await applyIntent(checked.value, meta);
    },
  );
  if (swept.applied > 0) logger.info(swept, 'intents in flight at the last stop applied in stream order');

  const consumers: EventConsumerHandle[] = [
    await consumeOrderIntent(nats, {
      stream: config.NATS_STREAM,
      durable: 'exec-sim-intents',
      logger,
      metrics: metrics.events,
      handler: async ({ payload, meta }) => {
        await applyIntent(payload, meta);
      },
    }),
    await consumeSignalNormalized(nats, {
      stream: config.NATS_STREAM,
      durable: 'exec-sim-prices',
      logger,
      metrics: metrics.events,
      handler: async ({ payload, meta }) => {
        metrics.signalSeen(meta);
        if (payload.price === undefined) return;
        await simulator.submit(
          meta.eventId,
          // A continuous series' price is its dated contract's, the one the agents order (ES1! -> ESZ6).
          {
            kind: 'price',
            instrument: tradableInstrument(catalog, payload.instrument, new Date(payload.eventTime)),
            price: payload.price,
            at: payload.eventTime,
          },
          { causationId: meta.eventId, correlationId: meta.correlationId },
        );
      },
    }),
  ];

  const durables = consumersOf('exec-sim').map((c) => c.durable);
  const readiness = natsChecks(new Readiness(), () => nats, config.NATS_STREAM, durables);
  registerNatsMetrics(serviceMetrics, () => nats, config.NATS_STREAM, durables);
  const app = createServiceApp({ logger, metrics: serviceMetrics, readiness });
  app.route('/', tradeApiRoutes({ simulator, nats: () => nats, apiKey: config.EXEC_API_KEY, reconcile, events: metrics.events }));
  const listener = await listen(app, config.PORT, config.HOST, { requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS });
  const stopSessions = scheduleSessionEnds(parseSessionEnd(config.EXEC_SESSION_END_UTC), (at) => {
    const day = at.toISOString().slice(0, 10);
    void simulator
      .submit(`session-end:${day}`, { kind: 'session-end', at: at.toISOString() })
      .catch((err: unknown) => logger.error({ err }, 'session end failed'));
  });
  const reconciler = setInterval(
    () => void reconcile().catch((err: unknown) => logger.warn({ err }, 'reconcile failed')),
    config.EXEC_RECONCILE_INTERVAL_MS,
  );
  reconciler.unref();
  logger.info({ port: listener.port, orders: engine.orders().length }, 'exec-sim listening');

  return {
    port: listener.port,
    simulator,
    nats,
    async stop() {
      clearInterval(reconciler);
      stopSessions();
      await listener.close();
      for (const consumer of consumers) await consumer.stop();
      await nats.close();
    },
  };
}
