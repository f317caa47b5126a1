// Starts the platform's services as child processes, in run order, each on its port, and waits
// for each to be healthy. `make dev` runs it on the original design's ports; the demo, the drills
// and the end-to-end tests run it on free ports against their own nats-server, and kill or restart
// single services through the handle.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../services/core/src/nats/local-server.js';
import { SERVICES, type ServiceSpec } from './services.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEALTH_TIMEOUT_MS = 45_000;

/** Secrets the services refuse to start without; a fresh one per run unless the environment has one. */
const GENERATED_SECRETS = ['TRADINGVIEW_WEBHOOK_TOKEN', 'AGENT_API_KEY', 'MCP_AUTH_TOKEN', 'EXEC_API_KEY'] as const;

export interface LaunchOptions {
  natsUrl: string;
  stream: string;
  /** Environment every service gets (secrets, thresholds); the launcher adds NATS, ports, URLs. */
  env?: Record<string, string | undefined>;
  /** Which services, in order; all of SERVICES by default. */
  services?: readonly ServiceSpec[];
  /** 'design' = the original design's ports (make dev); 'free' = free ports (tests, drills). */
  ports?: 'design' | 'free';
  /** Per-run state (the gateway's spool) goes under it. */
  dataDir: string;
  /** Each log line of each service; default: dropped. */
  onLine?: (service: string, line: string) => void;
  /** Told when a service is spawned, before its health is awaited (progress output). */
  onStarting?: (spec: ServiceSpec, url: string) => void;
  /** Told when a service has been started and is healthy (or not), for progress output. */
  onStarted?: (service: RunningService, healthy: boolean) => void;
}

export interface RunningService {
  spec: ServiceSpec;
  port: number;
  url: string;
  child: ChildProcess;
}

export interface Platform {
  env: Record<string, string | undefined>;
  services: ReadonlyMap<string, RunningService>;
  url(name: string): string;
  /** kill -9 (or another signal) and wait for the exit. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service again on the same port and waits until it is healthy. */
  restart(name: string): Promise<void>;
  /** Peak resident memory (VmHWM) of a running service in bytes, from /proc. */
  peakRssBytes(name: string): number | undefined;
  /** SIGTERM to every service, in reverse run order; resolves when all exited. */
  stop(): Promise<void>;
  /** The last log lines of a service (for failure messages). */
  recentLines(name: string): string[];
}

export async function launchPlatform(options: LaunchOptions): Promise<Platform> {
  const specs = options.services ?? SERVICES;
  const ports = new Map<string, number>();
  for (const spec of specs) ports.set(spec.name, options.ports === 'free' ? await freePort() : spec.port);
  const env = platformEnv(options, ports);
  const running = new Map<string, RunningService>();
  const logs = new Map<string, string[]>();

  const start = async (spec: ServiceSpec): Promise<void> => {
    const port = ports.get(spec.name) as number;
    const lines = logs.get(spec.name) ?? [];
    logs.set(spec.name, lines);
    options.onStarting?.(spec, `http://127.0.0.1:${port}`);
    const child = spawnService(spec, { ...env, PORT: String(port) }, (line) => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      options.onLine?.(spec.name, line);
    });
    const service: RunningService = { spec, port, url: `http://127.0.0.1:${port}`, child };
    running.set(spec.name, service);
    const healthy = await waitHealthy(service);
    options.onStarted?.(service, healthy);
    if (!healthy) throw new Error(`${spec.name} did not become healthy on ${service.url}:\n${lines.slice(-20).join('\n')}`);
  };

  const platform: Platform = {
    env,
    services: running,
    url: (name) => serviceOf(running, name).url,
    async kill(name, signal = 'SIGKILL') {
      await stopChild(serviceOf(running, name).child, signal);
    },
    async restart(name) {
      const service = serviceOf(running, name);
      await stopChild(service.child, 'SIGTERM');
      await start(service.spec);
    },
    peakRssBytes: (name) => peakRssOfPid(serviceOf(running, name).child.pid),
    async stop() {
      for (const service of [...running.values()].reverse()) await stopChild(service.child, 'SIGTERM');
    },
    recentLines: (name) => [...(logs.get(name) ?? [])],
  };
  try {
    for (const spec of specs) await start(spec);
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

/** Peak resident memory (VmHWM) of any process in bytes, from /proc (e.g. nats-server's). */
export function peakRssOfPid(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // exited, or not Linux
  }
}

function platformEnv(options: LaunchOptions, ports: Map<string, number>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...options.env,
    NATS_URL: options.natsUrl,
    NATS_STREAM: options.stream,
    GATEWAY_SPOOL_DIR: options.env?.GATEWAY_SPOOL_DIR ?? path.join(options.dataDir, 'gateway-spool'),
  };
  for (const key of GENERATED_SECRETS) env[key] ||= randomBytes(18).toString('base64url');
  const execSimPort = ports.get('exec-sim');
  if (execSimPort !== undefined) env.EXEC_SIM_URL = `http://127.0.0.1:${execSimPort}`;
  return env;
}

function spawnService(spec: ServiceSpec, env: Record<string, string | undefined>, onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.main], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
  }
  return child;
}

async function waitHealthy(service: RunningService): Promise<boolean> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && service.child.exitCode === null && service.child.signalCode === null) {
    try {
      if ((await fetch(`${service.url}/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return false;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  // A service that does not finish its graceful shutdown in time is killed: stop() must end.
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function serviceOf(running: ReadonlyMap<string, RunningService>, name: string): RunningService {
  const service = running.get(name);
  if (!service) throw new Error(`no service named ${name} (running: ${[...running.keys()].join(', ')})`);
  return service;
}
