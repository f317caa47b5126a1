// `make dev`: runs the platform on one machine, without Docker, in the original design's run
// order: 1. NATS (the one at NATS_URL, or a local nats-server started here), 2. core (stream,
// dead-letter stream and consumers provisioned from the contracts), then the services that
// exist so far. Ctrl-C stops what it started.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMERS, provisionStreams, REGISTRY, STREAM_SUBJECTS } from '../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME, type NatsRuntime } from '../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../services/core/src/nats/local-server.js';
import { dotenv } from './platform/dotenv.js';
import { launchPlatform } from './platform/launcher.js';
import { type Step, startStep } from './support/progress.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const stream = process.env.NATS_STREAM ?? DEFAULT_STREAM_NAME;

async function connectOrStartNats(): Promise<{ nats: NatsRuntime; server?: NatsServerHandle }> {
  try {
    return { nats: await connectNats({ servers: natsUrl, name: 'dev-runner', waitOnFirstConnect: false }) };
  } catch {
    const url = new URL(natsUrl.replace(/^nats:/, 'http:'));
    if (!['127.0.0.1', 'localhost'].includes(url.hostname)) throw new Error(`NATS is not reachable at ${natsUrl}`);
    const storeDir = path.join(rootDir, '.tmp', 'nats-dev');
    mkdirSync(storeDir, { recursive: true });
    console.log(`[dev] no NATS at ${natsUrl}: starting nats-server with JetStream (store ${path.relative(rootDir, storeDir)})`);
    const server = await startNatsServer({ port: Number(url.port || 4222), storeDir });
    return { nats: await connectNats({ servers: server.url, name: 'dev-runner' }), server };
  }
}

async function main(): Promise<void> {
  const { nats, server } = await connectOrStartNats();
  console.log(`[dev] 1. NATS       ${nats.nc.getServer()} (JetStream)`);
  const report = await provisionStreams(nats.jsm, { stream });
  console.log(
    `[dev] 2. core       stream ${stream} (${STREAM_SUBJECTS.length} subjects) and ${CONSUMERS.length} durable consumers provisioned`,
  );
  for (const [name, action] of Object.entries({ ...report.streams, ...report.consumers }))
    console.log(`[dev]      ${action.padEnd(9)} ${name}`);
  console.log('[dev]    contracts:');
  for (const entry of REGISTRY)
    console.log(`[dev]      ${entry.subject.padEnd(24)} v${entry.version}  ${entry.compatibility}  (owner ${entry.owner})`);
  const env: Record<string, string | undefined> = { ...dotenv(), ...process.env };
  const generated = ['TRADINGVIEW_WEBHOOK_TOKEN', 'AGENT_API_KEY', 'MCP_AUTH_TOKEN', 'EXEC_API_KEY'].filter((key) => !env[key]);
  if (generated.length > 0) console.log(`[dev]    not set, so fresh for this run: ${generated.join(', ')}`);
  let step = 3;
  let starting: Step | undefined;
  const platform = await launchPlatform({
    natsUrl: `nats://${nats.nc.getServer()}`,
    stream,
    env,
    ports: 'design',
    dataDir: path.join(rootDir, '.tmp'),
    onLine: (service, line) => console.log(`${`[${service}]`.padEnd(16)}${line}`),
    onStarting: (spec, url) => {
      starting = startStep(`${step++}. ${spec.name.padEnd(13)} ${url}: /health`, { prefix: '[dev] ' });
    },
    onStarted: (_service, healthy) => starting?.done(healthy ? 'healthy' : 'NOT healthy: see its log lines'),
  });
  const secrets = platform.env;
  console.log(`[dev] TradingView alerts: POST ${platform.url('gateway')}/webhooks/tradingview/${secrets.TRADINGVIEW_WEBHOOK_TOKEN}`);
  console.log(`[dev] Trade API writes: Authorization: Bearer ${secrets.EXEC_API_KEY}`);
  console.log(
    `[dev] MCP: ${platform.url('agent-mcp')}/mcp with Authorization: Bearer ${secrets.MCP_AUTH_TOKEN}; agents API key ${secrets.AGENT_API_KEY}`,
  );
  console.log('[dev] Ctrl-C to stop.');

  const stop = async (signal: string) => {
    console.log(`[dev] ${signal}: stopping`);
    await platform.stop();
    await nats.close();
    await server?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  if (process.argv.includes('--once')) await stop('--once');
}

main().catch((error: unknown) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
