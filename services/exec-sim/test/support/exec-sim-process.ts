// Runs exec-sim as a real child process (so a test can kill -9 it), reading its port from its log.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface ExecSimProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  /** SIGKILL: no shutdown, no drain, no ack: a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnExecSim(env: Record<string, string>): Promise<ExecSimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/exec-sim/src/main.ts'], {
    cwd: rootDir,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a process that never started must not outlive the caller
      reject(new Error(`exec-sim did not start:\n${output}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"exec-sim listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exec-sim exited with ${code}:\n${output}`));
    });
  });
  const exited = () =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
  return {
    child,
    port,
    output: () => output,
    async crash() {
      child.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
    },
  };
}
