// The durable webhook spool, on temporary directories: order across reopen, flush failures and
// checkpoints, torn and damaged lines, the size bound, group commit, compaction and its crash points,
// and a child process killed with SIGKILL while it appends, flushes and compacts.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_FILE, listLogGenerations, logPath, readCheckpoint, writeCheckpoint } from '../src/spool/checkpoint.js';
import { commitGeneration, writeGenerationLog } from '../src/spool/compaction.js';
import {
  openSpool,
  type Spool,
  SpoolClosedError,
  SpoolCorruptError,
  type SpoolEntry,
  SpoolFullError,
  type SpoolOptions,
  SpoolWriteError,
} from '../src/spool/index.js';
import { encodeEntry } from '../src/spool/log-format.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const spoolModule = pathToFileURL(fileURLToPath(new URL('../src/spool/index.ts', import.meta.url))).href;
const MB = 1024 * 1024;

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'spool-test-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open_(options: Partial<SpoolOptions> & { dir: string }): Promise<Spool> {
  const spool = await openSpool({ maxBytes: MB, ...options });
  cleanup.push(() => spool.close());
  return spool;
}

function entry(n: number): SpoolEntry {
  const id = `wh-${String(n).padStart(6, '0')}`;
  return {
    id,
    receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, n)).toISOString(),
    record: { n, body: { ticker: 'BTCUSD', side: 'buy', note: 'line\nbreak' } },
  };
}

const ids = (entries: readonly SpoolEntry[]) => entries.map((e) => e.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const entryIds = (from: number, to: number) => range(from, to).map((n) => entry(n).id);

async function appendAll(spool: Spool, numbers: number[]): Promise<void> {
  for (const n of numbers) await spool.append(entry(n));
}

/** A publish callback that records what it published and fails on the listed ids. */
function recordingPublisher(failOn: ReadonlySet<string> = new Set()) {
  const published: string[] = [];
  const publish = async (e: SpoolEntry) => {
    if (failOn.has(e.id)) throw new Error(`NATS unavailable at ${e.id}`);
    published.push(e.id);
  };
  return { published, publish };
}

function recordingLogger() {
  const records: Array<{ level: string; obj: object; msg: string }> = [];
  const at = (level: string) => (obj: object, msg: string) => void records.push({ level, obj, msg });
  return { records, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

async function liveLogFile(dir: string): Promise<string> {
  const checkpoint = await readCheckpoint(dir);
  if (!checkpoint) throw new Error('no checkpoint');
  return logPath(dir, checkpoint.generation);
}

/** The prototype of fs/promises FileHandle, to count or fail datasync calls. */
async function fileHandlePrototype(dir: string): Promise<{ datasync: () => Promise<void> }> {
  const handle = await open(dir, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle);
}

describe('append and reopen', () => {
  it('keeps every entry, in order, for a fresh Spool on the same directory', async () => {
    const dir = await tempDir();
    const first = await open_({ dir });
    await appendAll(first, range(1, 25));
    expect(first.depth).toBe(25);
    expect(first.hasPending).toBe(true);
    expect(first.bytes).toBe((await stat(await liveLogFile(dir))).size);
    await first.close();

    const second = await open_({ dir });
    expect(second.pendingEntries()).toEqual(range(1, 25).map(entry));
    expect(second.depth).toBe(25);
  });

  it('creates a missing directory, and a new spool is empty', async () => {
    const dir = path.join(await tempDir(), 'nested', 'spool');
    const spool = await open_({ dir });
    expect([spool.depth, spool.bytes, spool.hasPending]).toEqual([0, 0, false]);
  });

  it('keeps what a reader of the log sees, and refuses a record it could not read back, writing nothing', async () => {
    const spool = await open_({ dir: await tempDir() });
    await spool.append({ id: 'a', receivedAt: 't', record: { at: new Date(0) } });
    expect(spool.pendingEntries()).toEqual([{ id: 'a', receivedAt: 't', record: { at: '1970-01-01T00:00:00.000Z' } }]);
    const bytes = spool.bytes;
    await expect(spool.append({ id: 'b', receivedAt: 't', record: undefined })).rejects.toThrow(TypeError);
    await expect(spool.append({ id: 'c', receivedAt: 't', record: { n: 1n } })).rejects.toThrow(TypeError);
    await expect(spool.append({ id: '', receivedAt: 't', record: 1 })).rejects.toThrow(TypeError);
    expect([spool.depth, spool.bytes]).toEqual([1, bytes]);
  });

  it('keeps the order of 1,000 concurrent append calls, sharing fsyncs (group commit)', async () => {
    const dir = await tempDir();
    const datasync = vi.spyOn(await fileHandlePrototype(dir), 'datasync');
    const spool = await open_({ dir });
    datasync.mockClear();
    await Promise.all(range(1, 1000).map((n) => spool.append(entry(n))));
    expect(ids(spool.pendingEntries())).toEqual(entryIds(1, 1000));
    // Measured, not timed: while one fsync runs, the rest queue up and share the next one.
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(10);
    await spool.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(1, 1000));
  });

  it('without group commit, gives each append its own fsync and still keeps the order', async () => {
    const dir = await tempDir();
    const datasync = vi.spyOn(await fileHandlePrototype(dir), 'datasync');
    const spool = await open_({ dir, groupCommit: false });
    datasync.mockClear();
    await Promise.all(range(1, 50).map((n) => spool.append(entry(n))));
    expect(datasync).toHaveBeenCalledTimes(50);
    expect(ids(spool.pendingEntries())).toEqual(entryIds(1, 50));
  });

  it('reports hasPending while an append is still being written, so later webhooks queue behind it', async () => {
    const spool = await open_({ dir: await tempDir() });
    const appended = spool.append(entry(1));
    expect([spool.hasPending, spool.depth]).toEqual([true, 0]);
    await appended;
    expect([spool.hasPending, spool.depth]).toEqual([true, 1]);
  });
});

describe('size bound', () => {
  it('rejects with SpoolFullError and writes nothing when the log would pass maxBytes', async () => {
    const dir = await tempDir();
    const lineBytes = encodeEntry(entry(1)).line.length;
    const spool = await open_({ dir, maxBytes: lineBytes * 3 + lineBytes / 2 });
    await appendAll(spool, [1, 2, 3]);
    const bytes = spool.bytes;
    const full = await spool.append(entry(4)).catch((error: unknown) => error);
    expect(full).toBeInstanceOf(SpoolFullError);
    expect((full as SpoolFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect([spool.bytes, spool.depth, (await stat(await liveLogFile(dir))).size]).toEqual([bytes, 3, bytes]);
    await spool.close();
    expect(ids((await open_({ dir, maxBytes: lineBytes * 4 })).pendingEntries())).toEqual(entryIds(1, 3));
  });

  it('in one group, refuses only the entries that do not fit; the rest keep their order', async () => {
    const lineBytes = encodeEntry(entry(1)).line.length;
    const spool = await open_({ dir: await tempDir(), maxBytes: lineBytes * 4 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => spool.append(entry(n))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(ids(spool.pendingEntries())).toEqual(entryIds(1, 4));
  });

  it('has room again after a full flush compacted the log', async () => {
    const lineBytes = encodeEntry(entry(1)).line.length;
    const spool = await open_({ dir: await tempDir(), maxBytes: lineBytes * 2 });
    await appendAll(spool, [1, 2]);
    await expect(spool.append(entry(3))).rejects.toBeInstanceOf(SpoolFullError);
    await spool.flush(recordingPublisher().publish);
    await spool.append(entry(3));
    expect(ids(spool.pendingEntries())).toEqual([entry(3).id]);
  });
});

describe('flush', () => {
  it('stops at the first failure (entry k): k-1 flushed, the rest flush later in order', async () => {
    const spool = await open_({ dir: await tempDir() });
    await appendAll(spool, range(1, 20));
    const failing = recordingPublisher(new Set([entry(7).id]));
    const result = await spool.flush(failing.publish);
    expect(result).toMatchObject({ flushed: 6, remaining: 14 });
    expect(result.error).toBeInstanceOf(Error);
    expect(failing.published).toEqual(entryIds(1, 6));
    expect(ids(spool.pendingEntries())).toEqual(entryIds(7, 20));

    const healthy = recordingPublisher();
    expect(await spool.flush(healthy.publish)).toEqual({ flushed: 14, remaining: 0 });
    expect(healthy.published).toEqual(entryIds(7, 20));
    expect(spool.hasPending).toBe(false);
  });

  it('after a partial flush, a reopened spool sees only the remainder', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir, checkpointEvery: 1000 });
    await appendAll(spool, range(1, 10));
    await spool.flush(recordingPublisher(new Set([entry(5).id])).publish);
    await spool.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(5, 10));
  });

  it('runs one flush at a time: a second call gets the running one', async () => {
    const spool = await open_({ dir: await tempDir() });
    await appendAll(spool, range(1, 5));
    const recorder = recordingPublisher();
    const first = spool.flush(recorder.publish);
    const second = spool.flush(recorder.publish);
    expect(second).toBe(first);
    await first;
    expect(recorder.published).toEqual(entryIds(1, 5));
  });

  it('publishes entries appended during the flush after the earlier ones', async () => {
    const spool = await open_({ dir: await tempDir() });
    await appendAll(spool, [1, 2]);
    const published: string[] = [];
    const result = await spool.flush(async (e) => {
      if (e.id === entry(1).id) await spool.append(entry(3));
      published.push(e.id);
    });
    expect(result).toEqual({ flushed: 3, remaining: 0 });
    expect(published).toEqual(entryIds(1, 3));
  });

  it('stops between entries when its signal aborts, and keeps the progress', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 8));
    const controller = new AbortController();
    const result = await spool.flush(
      async (e) => {
        if (e.id === entry(3).id) controller.abort();
      },
      { signal: controller.signal },
    );
    expect(result).toEqual({ flushed: 3, remaining: 5 });
    await spool.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(4, 8));
  });

  it('close() waits for the publish in progress, then stops the flush and refuses further calls', async () => {
    const spool = await open_({ dir: await tempDir() });
    await appendAll(spool, range(1, 3));
    let release: (() => void) | undefined;
    const flushing = spool.flush(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await vi.waitFor(() => expect(release).toBeDefined());
    const closing = spool.close();
    release?.();
    await closing;
    expect(await flushing).toEqual({ flushed: 1, remaining: 2 });
    await expect(spool.append(entry(4))).rejects.toBeInstanceOf(SpoolClosedError);
    await expect(spool.flush(async () => {})).rejects.toBeInstanceOf(SpoolClosedError);
  });
});

describe('recovery', () => {
  it('cuts off a torn last line with a warning and keeps every earlier entry', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 3));
    const goodBytes = spool.bytes;
    await spool.close();
    const torn = encodeEntry(entry(4)).line.subarray(0, 30);
    await appendFile(await liveLogFile(dir), torn);

    const { records, logger } = recordingLogger();
    const reopened = await open_({ dir, logger });
    expect(ids(reopened.pendingEntries())).toEqual(entryIds(1, 3));
    expect(records.filter((r) => r.level === 'warn').map((r) => r.msg)).toEqual(['spool: cutting off a torn last line']);
    expect((await stat(await liveLogFile(dir))).size).toBe(goodBytes);
    await reopened.append(entry(4));
    await reopened.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(1, 4));
  });

  it('skips a damaged line in the middle with an error log, counts and quarantines it, and keeps the good lines after it', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 5));
    await spool.close();
    const file = await liveLogFile(dir);
    const log = await readFile(file);
    const third = log.indexOf(entry(3).id);
    log[third + 3] = '9'.charCodeAt(0); // flip a digit of the id: the checksum no longer matches
    await writeFile(file, log);

    const { records, logger } = recordingLogger();
    const reopened = await open_({ dir, logger });
    expect(ids(reopened.pendingEntries())).toEqual([1, 2, 4, 5].map((n) => entry(n).id));
    expect(reopened.corrupted).toBe(1);
    expect(records.filter((r) => r.level === 'error')).toEqual([
      expect.objectContaining({ obj: expect.objectContaining({ reason: 'checksum mismatch' }) }),
    ]);
    const quarantined = (await readdir(dir)).filter((name) => name.startsWith('corrupt-'));
    expect(quarantined).toHaveLength(1);
    expect((await readFile(path.join(dir, quarantined[0] as string), 'utf8')).endsWith('\n')).toBe(true);

    const recorder = recordingPublisher();
    await reopened.flush(recorder.publish);
    expect(recorder.published).toEqual([1, 2, 4, 5].map((n) => entry(n).id));
  });

  it('refuses to guess when a log exists without a checkpoint, or the checkpoint points past the log', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, [1]);
    await spool.close();
    await writeCheckpoint(dir, { generation: 1, offset: spool.bytes + 10 });
    await expect(openSpool({ dir, maxBytes: MB })).rejects.toBeInstanceOf(SpoolCorruptError);
    await rm(path.join(dir, CHECKPOINT_FILE));
    await expect(openSpool({ dir, maxBytes: MB })).rejects.toBeInstanceOf(SpoolCorruptError);
  });

  it('after a failed fsync refuses every later append, while acknowledged entries still flush', async () => {
    const dir = await tempDir();
    const datasync = vi.spyOn(await fileHandlePrototype(dir), 'datasync');
    const spool = await open_({ dir });
    await appendAll(spool, [1, 2]);
    datasync.mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(spool.append(entry(3))).rejects.toBeInstanceOf(SpoolWriteError);
    await expect(spool.append(entry(4))).rejects.toBeInstanceOf(SpoolWriteError);
    const recorder = recordingPublisher();
    await spool.flush(recorder.publish);
    expect(recorder.published).toEqual(entryIds(1, 2));
  });
});

describe('compaction', () => {
  it('after a full flush leaves an empty log in a new generation, and a reopen sees nothing', async () => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 10));
    await spool.flush(recordingPublisher().publish);
    expect([spool.depth, spool.bytes, spool.hasPending]).toEqual([0, 0, false]);
    expect(await readCheckpoint(dir)).toEqual({ generation: 2, offset: 0 });
    expect(await listLogGenerations(dir)).toEqual([2]);
    expect((await stat(logPath(dir, 2))).size).toBe(0);
    await spool.append(entry(11));
    await spool.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual([entry(11).id]);
  });

  it('moves the pending tail to a new generation once a large share of the log is published', async () => {
    const dir = await tempDir();
    const fortyLines = range(1, 40).reduce((sum, n) => sum + encodeEntry(entry(n)).line.length, 0);
    const spool = await open_({ dir, maxBytes: fortyLines + 10, checkpointEvery: 5 });
    await appendAll(spool, range(1, 40));
    await expect(spool.append(entry(41))).rejects.toBeInstanceOf(SpoolFullError);
    const result = await spool.flush(recordingPublisher(new Set([entry(28).id])).publish);
    expect(result).toMatchObject({ flushed: 27, remaining: 13 });
    expect(spool.bytes).toBeLessThan(fortyLines / 2);
    expect((await readCheckpoint(dir))?.generation).toBeGreaterThan(1);
    await spool.append(entry(41)); // room again: the published prefix is gone
    await spool.close();
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(28, 41));
  });
});

describe('a crash during compaction', () => {
  /** A spool where 1..4 are published (checkpointed) and 5..10 pending, closed as if the process stopped there. */
  async function partlyFlushed(): Promise<{ dir: string; pendingLines: Buffer[] }> {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 10));
    await spool.flush(recordingPublisher(new Set([entry(5).id])).publish);
    await spool.close();
    return { dir, pendingLines: range(5, 10).map((n) => encodeEntry(entry(n)).line) };
  }

  it.each([
    ['after the new generation was written, before the commit', false],
    ['after the commit, before the old log was removed', true],
  ])('%s loses nothing and brings nothing published back', async (_, committed) => {
    const { dir, pendingLines } = await partlyFlushed();
    const handle = await writeGenerationLog(dir, 2, pendingLines);
    await handle.close();
    if (committed) await commitGeneration(dir, 2);
    expect(await listLogGenerations(dir)).toEqual([1, 2]);

    const reopened = await open_({ dir });
    expect(ids(reopened.pendingEntries())).toEqual(entryIds(5, 10));
    expect(await listLogGenerations(dir)).toEqual([committed ? 2 : 1]);
  });

  it('while the new checkpoint was only a temp file, the old checkpoint holds', async () => {
    const { dir } = await partlyFlushed();
    await writeFile(path.join(dir, `${CHECKPOINT_FILE}.tmp`), '{"generation":2,"off');
    expect(ids((await open_({ dir })).pendingEntries())).toEqual(entryIds(5, 10));
    expect((await readdir(dir)).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it.each([false, true])('after a full flush (commit done: %s) brings nothing back', async (committed) => {
    const dir = await tempDir();
    const spool = await open_({ dir });
    await appendAll(spool, range(1, 5));
    await spool.close();
    // The state a full flush reaches just before it compacts: everything published and checkpointed.
    await writeCheckpoint(dir, { generation: 1, offset: spool.bytes });
    await (await writeGenerationLog(dir, 2, [])).close();
    if (committed) await commitGeneration(dir, 2);
    const reopened = await open_({ dir });
    expect(reopened.depth).toBe(0);
    expect(await listLogGenerations(dir)).toEqual([committed ? 2 : 1]);
  });
});

describe('a process killed with SIGKILL while it appends, flushes and compacts', () => {
  const CHECKPOINT_EVERY = 4;
  const MAX_BYTES = 16 * 1024;
  // Appends bursts of 10 concurrently, then flushes with a publish failing 10% of the time, forever.
  // It journals an id as acknowledged once append() resolved (the gateway's 202) and as published
  // inside the publish callback; SIGKILL leaves both journals intact (they are in the page cache).
  const childScript = `
import { appendFileSync } from 'node:fs';
import { openSpool, SpoolFullError } from ${JSON.stringify(spoolModule)};
const [dir, journal, first] = process.argv.slice(2);
const spool = await openSpool({ dir, maxBytes: ${MAX_BYTES}, checkpointEvery: ${CHECKPOINT_EVERY} });
process.stdout.write('ready\\n');
let next = Number(first);
for (;;) {
  const ids = Array.from({ length: 10 }, () => 'e' + String(next++).padStart(9, '0'));
  await Promise.all(ids.map(async (id) => {
    try {
      await spool.append({ id, receivedAt: new Date().toISOString(), record: { id } });
      appendFileSync(journal + '/acked', id + '\\n');
    } catch (error) {
      if (!(error instanceof SpoolFullError)) throw error;
    }
  }));
  await spool.flush(async (entry) => {
    if (Math.random() < 0.1) throw new Error('NATS unavailable');
    appendFileSync(journal + '/published', entry.id + '\\n');
  });
}
`;

  async function runUntilKilled(script: string, args: string[], killAfterMs: number): Promise<void> {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      void exited.then(() => reject(new Error(`child exited before it was ready: ${stderr}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
    const { signal } = await exited;
    expect(signal, `the child stopped on its own: ${stderr}`).toBe('SIGKILL');
  }

  const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const increasing = (values: string[]) => values.every((value, i) => i === 0 || (values[i - 1] as string) < value);
  const firstOccurrences = (values: string[]) => [...new Set(values)];

  it('never loses an acknowledged entry, publishes in arrival order, and republishes at most checkpointEvery', async () => {
    const dir = await tempDir();
    const journal = await tempDir();
    const script = path.join(journal, 'child.mts');
    await writeFile(script, childScript);
    const acked = path.join(journal, 'acked');
    const published = path.join(journal, 'published');

    // SPOOL_CRASH_RUNS=50 for a longer drill; 6 kills keep the suite fast.
    for (let run = 0; run < Number(process.env.SPOOL_CRASH_RUNS ?? 6); run++) {
      await runUntilKilled(script, [dir, journal, String(run * 1_000_000)], 150 + ((run * 70) % 500));
      const spool = await openSpool({ dir, maxBytes: MAX_BYTES });
      const pending = ids(spool.pendingEntries());
      await spool.close();
      const publishedIds = await lines(published);
      const publishedSet = new Set(publishedIds);
      const pendingSet = new Set(pending);
      const ackedIds = await lines(acked);
      expect(ackedIds.filter((id) => !publishedSet.has(id) && !pendingSet.has(id))).toEqual([]);
      expect(increasing(pending)).toBe(true);
      expect(increasing(firstOccurrences(publishedIds))).toBe(true);
      expect(pending.filter((id) => publishedSet.has(id)).length).toBeLessThanOrEqual(CHECKPOINT_EVERY);
    }

    expect((await lines(acked)).length).toBeGreaterThan(0); // the children did work before they were killed
    // Compactions did happen under the kills (each one starts a new generation).
    expect((await readCheckpoint(dir))?.generation).toBeGreaterThan(3);
    const spool = await open_({ dir, maxBytes: MAX_BYTES });
    const rest = recordingPublisher();
    await spool.flush(rest.publish);
    const everything = new Set([...(await lines(published)), ...rest.published]);
    expect((await lines(acked)).filter((id) => !everything.has(id))).toEqual([]);
    await spool.close();
    expect((await open_({ dir, maxBytes: MAX_BYTES })).depth).toBe(0);
  }, 120_000);
});
