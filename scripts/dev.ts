// `make dev`: runs the platform on one machine, without Docker, in the original design's run
// order: 1. NATS (the one at NATS_URL, or a local nats-server started here), 2. core (stream,
// dead-letter stream and consumers provisioned from the contracts), then the services that
// exist so far. Ctrl-C stops what it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMERS, provisionStreams, REGISTRY, STREAM_SUBJECTS } from '../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME, type NatsRuntime } from '../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../services/core/src/nats/local-server.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The services, in the original design's run order. */
const SERVICES = [
  { name: 'gateway', main: 'services/gateway/src/main.ts', port: 8001 },
  { name: 'agent-mcp', main: 'services/agent-mcp/src/main.ts', port: 8002 },
  { name: 'exec-sim', main: 'services/exec-sim/src/main.ts', port: 8004 },
];

/** `.env` when there is one: KEY=value lines, comments and blanks skipped; the real environment wins. */
function dotenv(): Record<string, string> {
  const file = path.join(rootDir, '.env');
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== '')
    .map((m) => [m[1] as string, m[2] as string]);
  return Object.fromEntries(entries);
}

function startService(service: (typeof SERVICES)[number], env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', service.main], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${service.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`${prefix}${line}`);
    });
  }
  child.on('exit', (code, signal) => console.log(`${prefix}exited (${signal ?? code})`));
  return child;
}

async function waitHealthy(port: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
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
  const env: Record<string, string | undefined> = {
    ...dotenv(),
    ...process.env,
    NATS_URL: `nats://${nats.nc.getServer()}`,
    NATS_STREAM: stream,
  };
  if (!env.TRADINGVIEW_WEBHOOK_TOKEN) {
    env.TRADINGVIEW_WEBHOOK_TOKEN = randomBytes(18).toString('base64url');
    console.log('[dev]    TRADINGVIEW_WEBHOOK_TOKEN was not set: using a fresh one for this run');
  }
  for (const key of ['AGENT_API_KEY', 'MCP_AUTH_TOKEN']) {
    if (!env[key]) {
      env[key] = randomBytes(18).toString('base64url');
      console.log(`[dev]    ${key} was not set: using a fresh one for this run`);
    }
  }
  if (!env.EXEC_API_KEY) {
    env.EXEC_API_KEY = randomBytes(18).toString('base64url');
    console.log('[dev]    EXEC_API_KEY was not set: using a fresh one for this run');
  }
  const children: ChildProcess[] = [];
  let step = 3;
  for (const service of SERVICES) {
    // PORT is per service: a global one would make every service bind the same port.
    children.push(startService(service, { ...env, PORT: String(service.port) }));
    const healthy = await waitHealthy(service.port);
    console.log(
      `[dev] ${step++}. ${service.name.padEnd(10)} http://127.0.0.1:${service.port} ${healthy ? '(healthy)' : '(NOT healthy: see its log lines)'}`,
    );
  }
  console.log(`[dev] TradingView alerts: POST http://127.0.0.1:8001/webhooks/tradingview/${env.TRADINGVIEW_WEBHOOK_TOKEN}`);
  console.log(`[dev] Trade API writes: Authorization: Bearer ${env.EXEC_API_KEY}`);
  console.log(`[dev] MCP: http://127.0.0.1:8002/mcp with Authorization: Bearer ${env.MCP_AUTH_TOKEN}; agents API key ${env.AGENT_API_KEY}`);
  console.log('[dev] Ctrl-C to stop.');

  const stop = async (signal: string) => {
    console.log(`[dev] ${signal}: stopping`);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
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
