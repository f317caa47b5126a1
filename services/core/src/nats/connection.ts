// One NATS connection per process with its JetStream handles; reconnects forever and tracks health for /ready.
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { describeCause } from './errors.js';
import { type EventLogger, silentLogger } from './logger.js';

export interface ConnectNatsOptions {
  servers: string | string[];
  /** Connection name shown by the server (`nats server report connections`): use the service name. */
  name: string;
  onStatus?: (status: Status) => void;
  logger?: EventLogger;
  /** Pause between reconnect attempts; the client default (2 s) suits production. */
  reconnectTimeWaitMs?: number;
  /** Wait for a broker that is not up yet (default true: services outlive a late broker). False fails fast. */
  waitOnFirstConnect?: boolean;
}

export interface NatsStatusSnapshot {
  type: Status['type'];
  at: Date;
}

export interface NatsRuntime {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** False between a disconnect and the next reconnect, and after close. */
  readonly connected: boolean;
  readonly lastStatus: NatsStatusSnapshot | undefined;
  /** Drains subscriptions and pending publishes, then closes. Safe to call twice. */
  close(): Promise<void>;
}

export class NatsConnectError extends Error {
  override readonly name = 'NatsConnectError';

  constructor(
    readonly servers: string | string[],
    options?: ErrorOptions,
  ) {
    super(`could not connect to NATS at ${String(servers)}: ${describeCause(options?.cause)}`, options);
  }
}

// Pings arrive every few minutes and say nothing about health; they would only overwrite the useful status.
const QUIET_STATUSES = new Set<Status['type']>(['ping']);

export async function connectNats(options: ConnectNatsOptions): Promise<NatsRuntime> {
  const logger = options.logger ?? silentLogger;
  let nc: NatsConnection;
  try {
    // waitOnFirstConnect + unlimited attempts: a service started before the broker waits for it instead of exiting.
    nc = await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      // Capturing an async stack for every request/publish costs ~15% of a webhook's CPU (measured);
      // our errors name the subject and event id instead.
      noAsyncTraces: true,
      waitOnFirstConnect: options.waitOnFirstConnect ?? true,
      ...(options.reconnectTimeWaitMs !== undefined ? { reconnectTimeWait: options.reconnectTimeWaitMs } : {}),
    });
  } catch (cause) {
    throw new NatsConnectError(options.servers, { cause });
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (cause) {
    await nc.close();
    throw new NatsConnectError(options.servers, { cause });
  }
  const state = { connected: true, lastStatus: undefined as NatsStatusSnapshot | undefined };
  void watchStatus(nc, state, options.onStatus, logger);
  void nc.closed().then(() => {
    state.connected = false;
  });
  logger.info({ server: nc.getServer(), name: options.name }, 'nats connected');
  return {
    nc,
    js: jetstream(nc),
    jsm,
    get connected() {
      return state.connected && !nc.isClosed();
    },
    get lastStatus() {
      return state.lastStatus;
    },
    async close() {
      if (nc.isClosed() || nc.isDraining()) return nc.closed().then(() => undefined);
      // Draining needs the server; without one (an outage at shutdown) there is nothing to drain.
      if (!state.connected) return nc.close();
      try {
        await nc.drain();
      } catch (err) {
        logger.warn({ err }, 'nats drain failed; closing');
        await nc.close();
      }
    },
  };
}

async function watchStatus(
  nc: NatsConnection,
  state: { connected: boolean; lastStatus: NatsStatusSnapshot | undefined },
  onStatus: ((status: Status) => void) | undefined,
  logger: EventLogger,
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'disconnect' || status.type === 'close') state.connected = false;
    if (status.type === 'reconnect') state.connected = true;
    if (!QUIET_STATUSES.has(status.type)) state.lastStatus = { type: status.type, at: new Date() };
    if (status.type === 'disconnect') logger.warn({ server: status.server }, 'nats disconnected');
    if (status.type === 'reconnect') logger.info({ server: status.server }, 'nats reconnected');
    if (status.type === 'error') logger.error({ err: status.error }, 'nats error');
    try {
      onStatus?.(status);
    } catch (err) {
      logger.error({ err }, 'nats onStatus callback failed'); // a faulty listener must not stop status tracking
    }
  }
}
