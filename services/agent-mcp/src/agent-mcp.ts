// Wires agent-mcp: NATS, the agent runtime (one durable per agent), the recent-signals view, the
// intent submitter, exec-sim's API client, the REST routes and, when given, the MCP server.
// main.ts runs it; tests start it on port 0.
import type { Hono } from 'hono';
import { consumersOf, consumeSignalNormalized, provisionStreams } from '../../../generated/index.js';
import {
  type AppEnv,
  connectNats,
  createMetrics,
  createServiceApp,
  type EventConsumerHandle,
  type InstrumentCatalog,
  type Logger,
  listen,
  loadInstrumentCatalog,
  type NatsRuntime,
  natsChecks,
  Readiness,
  registerNatsMetrics,
} from '../../core/src/index.js';
import type { AgentMcpConfig } from './config.js';
import { agentsApiRoutes } from './handlers/agents-api.js';
import { type AgentMcpMetrics, createAgentMcpMetrics } from './metrics.js';
import { AgentRuntime } from './runtime/agent-runtime.js';
import { loadAgentsConfig } from './runtime/agents-file.js';
import { ExecSimClient } from './runtime/execution-client.js';
import { NatsIntentSubmitter } from './runtime/intent-submitter.js';
import { SignalRing } from './runtime/signal-ring.js';

/** What the MCP server module gets to build its tools on. */
export interface AgentMcpDeps {
  control: AgentRuntime;
  signals: SignalRing;
  submitter: NatsIntentSubmitter;
  executions: ExecSimClient;
  catalog: InstrumentCatalog;
  config: AgentMcpConfig;
  logger: Logger;
  nats: NatsRuntime;
  metrics: AgentMcpMetrics;
}

export interface StartAgentMcpOptions {
  mountMcp?: (app: Hono<AppEnv>, deps: AgentMcpDeps) => void | Promise<void>;
  /** Clock for intents' createdAt (tests). */
  now?: () => Date;
}

export interface RunningAgentMcp {
  port: number;
  control: AgentRuntime;
  signals: SignalRing;
  submitter: NatsIntentSubmitter;
  executions: ExecSimClient;
  nats: NatsRuntime;
  stop(): Promise<void>;
}

const SIGNALS_DURABLE = 'agent-mcp-signals';

export async function startAgentMcp(config: AgentMcpConfig, logger: Logger, options: StartAgentMcpOptions = {}): Promise<RunningAgentMcp> {
  const specs = loadAgentsConfig(config.AGENTS_CONFIG, config.AGENTS_DISABLED ?? []);
  const catalog = loadInstrumentCatalog(config.INSTRUMENTS_FILE);
  const nats = await connectNats({ servers: config.NATS_URL.split(','), name: config.SERVICE_NAME, logger });
  const consumers: EventConsumerHandle[] = [];
  try {
    await provisionStreams(nats.jsm, { stream: config.NATS_STREAM, service: 'agent-mcp' });

    const serviceMetrics = createMetrics(config.SERVICE_NAME);
    const metrics = createAgentMcpMetrics(serviceMetrics, () => control.list());
    const submitter = new NatsIntentSubmitter(() => nats, metrics);
    const control = new AgentRuntime({
      specs,
      nats,
      stream: config.NATS_STREAM,
      submitter,
      catalog,
      logger,
      metrics,
      ...(options.now ? { now: options.now } : {}),
    });
    const signals = new SignalRing();
    consumers.push(
      await consumeSignalNormalized(nats, {
        stream: config.NATS_STREAM,
        durable: SIGNALS_DURABLE,
        logger,
        metrics: metrics.events,
        handler: async ({ payload }) => signals.push(payload),
      }),
    );
    await control.start();
    const executions = new ExecSimClient({ baseUrl: config.EXEC_SIM_URL, ...(config.EXEC_API_KEY ? { apiKey: config.EXEC_API_KEY } : {}) });

    const durables = [...consumersOf('agent-mcp').map((c) => c.durable), ...control.durables];
    const readiness = natsChecks(new Readiness(), () => nats, config.NATS_STREAM, durables);
    registerNatsMetrics(serviceMetrics, () => nats, config.NATS_STREAM, durables);
    const app = createServiceApp({ logger, metrics: serviceMetrics, readiness });
    app.route('/', agentsApiRoutes(control, config.AGENT_API_KEY));
    await options.mountMcp?.(app, { control, signals, submitter, executions, catalog, config, logger, nats, metrics });
    // The MCP endpoint drives trading: loopback unless MCP_HOST says otherwise (HOST is not used here).
    const listener = await listen(app, config.PORT, config.MCP_HOST, { requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS });
    logger.info({ port: listener.port, agents: specs.map((s) => s.id) }, 'agent-mcp listening');

    return {
      port: listener.port,
      control,
      signals,
      submitter,
      executions,
      nats,
      async stop() {
        await listener.close();
        await control.stop();
        for (const consumer of consumers) await consumer.stop();
        await nats.close();
      },
    };
  } catch (err) {
    for (const consumer of consumers) await consumer.stop().catch(() => undefined);
    await nats.close().catch(() => undefined);
    throw err;
  }
}
