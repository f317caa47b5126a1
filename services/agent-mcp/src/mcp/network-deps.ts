// The stdio MCP server's backends against the running platform (stdio-main.ts's default):
//   - signals: a SignalRing fed by an ordered (ephemeral) consumer on `signals.normalized`,
//     starting SIGNAL_BACKLOG stream sequences back so recent signals are there at once;
//   - submitter: NatsIntentSubmitter (publishes `decisions.order_intent` on NATS_URL);
//   - executions: exec-sim's API at EXEC_SIM_URL (EXEC_API_KEY for cancel);
//   - control: agent-mcp's REST API at AGENT_MCP_URL (default http://127.0.0.1:8002) with AGENT_API_KEY;
//   - catalog: INSTRUMENTS_FILE (or the default catalog); registry: the generated REGISTRY.
// Nothing here writes to stdout (it carries the protocol); problems go to stderr.
import { DeliverPolicy } from '@nats-io/jetstream';
import { REGISTRY, type SignalNormalized, signalNormalizedContract } from '../../../../generated/index.js';
import { connectNats, contractsByMajor, decodeEvent, loadInstrumentCatalog, type NatsRuntime } from '../../../core/src/index.js';
import { loadAgentMcpConfig } from '../config.js';
import { ExecSimClient } from '../runtime/execution-client.js';
import { NatsIntentSubmitter } from '../runtime/intent-submitter.js';
import { SignalRing } from '../runtime/signal-ring.js';
import { RemoteAgentControl } from './remote-agent-control.js';
import type { McpBackends } from './stdio.js';

export const DEFAULT_AGENT_MCP_URL = 'http://127.0.0.1:8002';
/** How many stream sequences back the signal consumer starts (the stream holds every subject). */
export const SIGNAL_BACKLOG = 5_000;
const SIGNAL_SUBJECT = signalNormalizedContract.subject;

export type NetworkMcpBackends = McpBackends & { close(): Promise<void> };

const warn = (message: string, error?: unknown) =>
  process.stderr.write(
    `at-agent-mcp stdio: ${message}${error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`}\n`,
  );

export async function createMcpDeps(env: Record<string, string | undefined> = process.env): Promise<NetworkMcpBackends> {
  const config = loadAgentMcpConfig(env);
  const catalog = loadInstrumentCatalog(config.INSTRUMENTS_FILE);
  // Fail fast: a desktop client shows the error instead of waiting on a silent server.
  const nats = await connectNats({ servers: config.NATS_URL.split(','), name: 'agent-mcp-stdio', waitOnFirstConnect: false });
  const control = new RemoteAgentControl({
    baseUrl: env.AGENT_MCP_URL || DEFAULT_AGENT_MCP_URL,
    ...(config.AGENT_API_KEY ? { apiKey: config.AGENT_API_KEY } : {}),
    onError: (error) => warn('reading agents failed', error),
  });
  let stopSignals: (() => Promise<void>) | undefined;
  try {
    const signals = new SignalRing();
    stopSignals = await followSignals(nats, config.NATS_STREAM, signals);
    await control.start();
    return {
      control,
      signals,
      submitter: new NatsIntentSubmitter(() => nats),
      executions: new ExecSimClient({ baseUrl: config.EXEC_SIM_URL, ...(config.EXEC_API_KEY ? { apiKey: config.EXEC_API_KEY } : {}) }),
      catalog,
      registry: REGISTRY,
      async close() {
        control.stop();
        await stopSignals?.();
        await nats.close();
      },
    };
  } catch (err) {
    control.stop();
    await stopSignals?.().catch(() => undefined);
    await nats.close().catch(() => undefined);
    throw err;
  }
}

/** Feeds the ring from an ordered consumer on signals.normalized; returns its stop. */
async function followSignals(nats: NatsRuntime, stream: string, ring: SignalRing): Promise<() => Promise<void>> {
  const info = await nats.jsm.streams.info(stream);
  const start = Math.max(info.state.first_seq, info.state.last_seq - SIGNAL_BACKLOG + 1, 1);
  // A single filter subject is sent as `filter_subject`, which nats-server 2.9 accepts.
  const consumer = await nats.js.consumers.get(stream, {
    filter_subjects: SIGNAL_SUBJECT,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: start,
  });
  const messages = await consumer.consume();
  const contracts = contractsByMajor(signalNormalizedContract);
  const done = (async () => {
    for await (const msg of messages) {
      if (msg.subject !== SIGNAL_SUBJECT) continue;
      const decoded = decodeEvent<SignalNormalized>(msg, contracts);
      if (decoded.ok) ring.push(decoded.payload);
    }
  })().catch((error: unknown) => warn('the signal consumer stopped', error));
  return async () => {
    await messages.close();
    await done;
  };
}
