// Starts a local nats-server with JetStream: on a free port with a temp store for integration tests,
// or on a fixed port with a kept store for `make dev` when no NATS answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerHandle {
  url: string;
  port: number;
  /** JetStream store directory (a fresh temp dir). */
  storeDir: string;
  /** The running server's process id (benchmarks read its CPU time); changes on restart/resume. */
  readonly pid: number | undefined;
  /** Kills the server and removes its store directory (unless the caller gave one). */
  stop(): Promise<void>;
  /** Kills and restarts on the same port and store: JetStream state survives, clients see a disconnect. */
  restart(): Promise<void>;
  /** Kills the server but keeps its store (an outage); `resume()` brings it back on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface StartNatsServerOptions {
  /** Path of the server binary; defaults to $NATS_SERVER_BIN, then `nats-server` on PATH (e.g. to try a 2.10+ build). */
  binary?: string;
  /** A fixed port (the dev runner uses 4222); a free one when absent. */
  port?: number;
  /** A store kept across runs (the dev runner); a temp dir, removed on stop, when absent. */
  storeDir?: string;
  /** More command-line arguments, e.g. a cluster's `--server_name`, `--cluster` and `--routes`. */
  args?: readonly string[];
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
const running = new Set<ChildProcess>();

// A test runner killed mid-run must not leave brokers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? 'nats-server';
  const port = options.port ?? (await freePort());
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'nats-test-')));
  const removeStore = () => (ownStore ? rm(storeDir, { recursive: true, force: true }) : Promise.resolve());
  const args = ['-js', '-a', HOST, '-p', String(port), '-sd', storeDir, ...(options.args ?? [])];
  let child: ChildProcess;
  try {
    child = await launch(binary, port, args);
  } catch (err) {
    await removeStore();
    throw err;
  }
  return {
    url: `nats://${HOST}:${port}`,
    port,
    storeDir,
    get pid() {
      return child.pid;
    },
    async stop() {
      await kill(child);
      await removeStore();
    },
    async restart() {
      await kill(child);
      child = await launch(binary, port, args);
    },
    async pause() {
      await kill(child);
    },
    async resume() {
      child = await launch(binary, port, args);
    },
  };
}

async function launch(binary: string, port: number, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      running.delete(child);
      reject(
        err.code === 'ENOENT'
          ? new Error(`${binary} is not installed or not on PATH: install nats-server (apt-get install nats-server) or set NATS_SERVER_BIN`)
          : err,
      );
    });
    child.once('exit', (code) => {
      running.delete(child);
      reject(new Error(`nats-server exited with code ${code} before accepting connections:\n${output}`));
    });
  });
  failed.catch(() => {}); // exits after a successful start are expected (stop/restart)
  try {
    await Promise.race([waitForPort(port), failed]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

/** A TCP port free on the loopback right now (the launcher gives each test platform its own ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server did not accept connections on ${HOST}:${port} within ${START_TIMEOUT_MS} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
