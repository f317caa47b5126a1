// Child processes for the benchmarks: a TypeScript entry point started with tsx (as `make dev`
// starts the services), its last log lines kept for when it dies, and its memory read from
// /proc (Linux): resident now, and the peak since start or since the last reset.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { sleep } from './measure.js';

const LOG_LINES_KEPT = 40;
const started = new Set<ChildProcess>();

// A bench that fails or is interrupted must not leave services behind.
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export interface BenchProcess {
  name: string;
  readonly pid: number;
  /** The last lines it wrote (stdout and stderr). */
  logTail(): string;
  /** Why it is no longer running, or undefined while it runs. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

/** `node --import tsx <entry>` from `cwd` with `env`; stdout and stderr kept in a short ring. */
export function startTsxProcess(name: string, entry: string, cwd: string, env: Record<string, string | undefined>): BenchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const lines: string[] = [];
  let exit: string | undefined;
  for (const out of [child.stdout, child.stderr]) {
    out?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
    });
  }
  child.once('exit', (code, signal) => {
    exit = `exited (${signal ?? code})`;
    started.delete(child);
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${entry}`);
  const pid = child.pid;
  return {
    name,
    pid,
    logTail: () => lines.join('\n'),
    exited: () => exit,
    async stop() {
      if (exit !== undefined) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Polls http://127.0.0.1:<port><path> until it answers 200; fails early when the process dies. */
export async function waitHttpOk(proc: BenchProcess, port: number, path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const exit = proc.exited();
    if (exit !== undefined) throw new Error(`${proc.name} ${exit} before ${path} answered 200:\n${proc.logTail()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.ok) return;
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${proc.name}: ${path} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${proc.logTail()}`);
}

export interface MemoryKb {
  /** VmRSS: resident now. */
  rss: number;
  /** VmHWM: the resident peak since start or the last resetPeakMemory. */
  peak: number;
}

/** Resident and peak memory of a process (kB), from /proc/<pid>/status; NaN where there is none. */
export function memoryOf(pid: number | undefined): MemoryKb {
  try {
    if (pid === undefined) throw new Error('no pid');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

/** Resets VmHWM to the current RSS (Linux 4.0+, `echo 5 > clear_refs`); false where the kernel refuses. */
export function resetPeakMemory(pid: number | undefined): boolean {
  try {
    if (pid === undefined) return false;
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
