// Runs a service as a real child process (its main.ts under tsx, as `npm run start:<name>`
// does), on a free port, and reads the port from its "<name> listening" log line.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const START_TIMEOUT_MS = 30_000;

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  /** SIGKILL: no shutdown, no drain, no ack: a crash. */
  crash(): Promise<void>;
  /** SIGTERM; resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

export interface SpawnServiceOptions {
  /** The service's name, as in its "<name> listening" log line. */
  name: string;
  /** Entry point, relative to the repository root. */
  main: string;
  env: Record<string, string>;
}

export async function spawnServiceProcess({ name, main, env }: SpawnServiceOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: rootDir,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new RegExp(`"port":(\\d+)[^\\n]*"msg":"${name} listening"`);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    port,
    output: () => output,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
