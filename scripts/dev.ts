// `make dev`: runs the platform on one machine, without Docker, in the original design's run
// order: 1. NATS (the one at NATS_URL, or a local nats-server started here), 2. core (stream,
// dead-letter stream and consumers provisioned from the contracts), then the services that
// exist so far. Ctrl-C stops what it started.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMERS, provisionStreams, REGISTRY, STREAM_SUBJECTS } from '../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME, type NatsRuntime } from '../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../services/core/src/testing/nats-harness.js';

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
  console.log('[dev] services come up here as they are built (gateway :8001, agent-mcp :8002, exec-sim :8004). Ctrl-C to stop.');

  const stop = async (signal: string) => {
    console.log(`[dev] ${signal}: stopping`);
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
