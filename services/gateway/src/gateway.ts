// Wires the gateway from its configuration: spool, NATS (connected in the background, so
// webhooks are accepted into the spool before NATS is reachable), delivery, backpressure,
// readiness and the app. main.ts runs it; tests start it on port 0.

import { consumersOf, provisionStreams } from '../../../generated/index.js';
import {
  connectNats,
  createMetrics,
  type Logger,
  listen,
  type NatsRuntime,
  natsChecks,
  Readiness,
  registerNatsMetrics,
} from '../../core/src/index.js';
import { loadInstrumentCatalog } from '../../core/src/instruments/index.js';
import { buildGatewayApp } from './app.js';
import { AddressSet } from './auth/client-address.js';
import type { GatewayConfig } from './config.js';
import { Backpressure } from './ingest/backpressure.js';
import { SignalDelivery } from './ingest/delivery.js';
import { createGatewayMetrics } from './metrics.js';
import { openSpool } from './spool/index.js';

export interface RunningGateway {
  port: number;
  delivery: SignalDelivery;
  nats(): NatsRuntime | undefined;
  stop(): Promise<void>;
}

const FLUSH_INTERVAL_MS = 500;

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const catalog = loadInstrumentCatalog(config.INSTRUMENTS_FILE);
  const spool = await openSpool({ dir: config.GATEWAY_SPOOL_DIR, maxBytes: config.GATEWAY_SPOOL_MAX_BYTES, logger });
  let nats: NatsRuntime | undefined;
  const serviceMetrics = createMetrics(config.SERVICE_NAME);
  const delivery = new SignalDelivery(() => nats, spool, {
    publishTimeoutMs: config.GATEWAY_PUBLISH_TIMEOUT_MS,
    logger,
    events: serviceMetrics.events,
  });

  // Backlog watched for backpressure: the consumers of the signals this gateway produces.
  const signalDurables = [...consumersOf('agent-mcp'), ...consumersOf('exec-sim')]
    .filter((c) => c.subject.startsWith('signals.'))
    .map((c) => c.durable);
  const backpressure = new Backpressure({
    spool,
    maxSpoolDepth: config.GATEWAY_MAX_SPOOL_DEPTH,
    maxConsumerPending: config.GATEWAY_MAX_CONSUMER_PENDING,
    nats: () => nats,
    stream: config.NATS_STREAM,
    durables: signalDurables,
  });
  const readiness = natsChecks(new Readiness(), () => nats, config.NATS_STREAM, [], { critical: false });
  registerNatsMetrics(serviceMetrics, () => nats, config.NATS_STREAM, signalDurables);
  readiness.add('spool', () => ({
    ok: true,
    detail: spool.hasPending ? `${spool.depth} webhooks spooled, flushing when NATS is back` : 'empty',
  }));

  const app = buildGatewayApp({
    logger,
    serviceMetrics,
    readiness,
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    delivery,
    catalog,
    backpressure,
    metrics: createGatewayMetrics(serviceMetrics, spool),
    tradingViewTokens: config.TRADINGVIEW_WEBHOOK_TOKEN ?? [],
    tradingViewAllowlist: config.TRADINGVIEW_IP_ALLOWLIST?.length ? new AddressSet(config.TRADINGVIEW_IP_ALLOWLIST) : undefined,
    trustedProxies: new AddressSet(config.TRUSTED_PROXIES ?? []),
    hmacSecrets: config.API_KEY_HMAC_SECRET ?? [],
    timestampToleranceSeconds: config.WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
  });
  const listener = await listen(app, config.PORT, config.HOST, { requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS });
  logger.info({ port: listener.port, spooled: spool.depth }, 'gateway listening');

  const connecting = connectNats({
    servers: config.NATS_URL.split(','),
    name: config.SERVICE_NAME,
    logger,
    onStatus: (status) => {
      if (status.type === 'reconnect') void delivery.flush();
    },
  }).then(async (runtime) => {
    await provisionStreams(runtime.jsm, { stream: config.NATS_STREAM, service: 'gateway' });
    nats = runtime;
    void delivery.flush();
    return runtime;
  });
  connecting.catch((err: unknown) => logger.error({ err }, 'NATS connection failed'));
  backpressure.start();
  const flusher = setInterval(() => void delivery.flush(), FLUSH_INTERVAL_MS);
  flusher.unref();

  return {
    port: listener.port,
    delivery,
    nats: () => nats,
    async stop() {
      clearInterval(flusher);
      backpressure.stop();
      await listener.close();
      await delivery.flush();
      await nats?.close();
      await spool.close();
    },
  };
}
