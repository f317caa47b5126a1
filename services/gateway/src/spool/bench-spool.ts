// Spool append throughput with a real fdatasync per commit: group commit off (one fsync per append)
// against on (appends waiting together share one), at several numbers of appends in flight, side by
// side in one process (the machines are shared: compare the ratio, not the absolute figures).
// Run: npx tsx services/gateway/src/spool/bench-spool.ts   (BENCH_MS per cell, SPOOL_BENCH_DIR on a real disk)
// Prints a table and writes dist/bench/spool.json.
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSpool } from './spool.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DURATION_MS = Number(process.env.BENCH_MS ?? 1_000);
const ROUNDS = 2;
const IN_FLIGHT = [1, 16, 64, 256];
const TMPFS_MAGIC = 0x01021994;
const record = {
  source: 'tradingview',
  alertId: 'a-123',
  body: { ticker: 'BTCUSD', action: 'buy', contracts: 0.5, price: 64_123.5, note: 'x'.repeat(200) },
};

// Counting fsyncs shows what group commit does; the spool's file handles share this prototype.
const probe = await open(tmpdir(), 'r');
const handlePrototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
await probe.close();
const datasync = handlePrototype.datasync;
let fsyncs = 0;
handlePrototype.datasync = function countedDatasync(this: unknown) {
  fsyncs++;
  return datasync.call(this);
};

interface Cell {
  appendsPerSecond: number;
  appendsPerFsync: number;
}

/** `inFlight` workers append back to back for DURATION_MS; each awaits its append like a request handler. */
async function measure(baseDir: string, inFlight: number, groupCommit: boolean): Promise<Cell> {
  const dir = await mkdtemp(path.join(baseDir, 'cell-'));
  const spool = await openSpool({ dir, maxBytes: 2 ** 40, groupCommit });
  let appends = 0;
  fsyncs = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      while (performance.now() < deadline) {
        await spool.append({ id: `w${worker}-${appends}`, receivedAt: new Date().toISOString(), record });
        appends++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1_000;
  const appendsPerFsync = appends / Math.max(1, fsyncs);
  await spool.close();
  await rm(dir, { recursive: true, force: true });
  return { appendsPerSecond: appends / seconds, appendsPerFsync };
}

const best = (a: Cell | undefined, b: Cell): Cell => (a && a.appendsPerSecond >= b.appendsPerSecond ? a : b);

const baseDir = await mkdtemp(path.join(process.env.SPOOL_BENCH_DIR ?? tmpdir(), 'spool-bench-'));
const onTmpfs = statfsSync(baseDir).type === TMPFS_MAGIC;
const rows: Array<{ inFlight: number; off: Cell; on: Cell; ratio: number }> = [];
for (const inFlight of IN_FLIGHT) {
  let off: Cell | undefined;
  let on: Cell | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    off = best(off, await measure(baseDir, inFlight, false));
    on = best(on, await measure(baseDir, inFlight, true));
  }
  if (!off || !on) throw new Error('no measurement');
  rows.push({ inFlight, off, on, ratio: on.appendsPerSecond / off.appendsPerSecond });
}
await rm(baseDir, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`spool appends with fdatasync: ${DURATION_MS} ms x best of ${ROUNDS} per cell, node ${process.version}, dir ${baseDir}`);
if (onTmpfs) console.log('warning: tmpfs, where fsync costs nothing; set SPOOL_BENCH_DIR to a directory on a real disk');
console.log(
  `${'in flight'.padStart(9)} ${'no group commit/s'.padStart(18)} ${'group commit/s'.padStart(15)} ${'ratio'.padStart(7)} ${'appends/fsync'.padStart(14)}`,
);
for (const r of rows) {
  console.log(
    `${String(r.inFlight).padStart(9)} ${fmt(r.off.appendsPerSecond).padStart(18)} ${fmt(r.on.appendsPerSecond).padStart(15)} ${r.ratio.toFixed(2).padStart(7)} ${r.on.appendsPerFsync.toFixed(1).padStart(14)}`,
  );
}
const outDir = path.join(rootDir, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'spool.json'),
  `${JSON.stringify({ node: process.version, durationMs: DURATION_MS, onTmpfs, rows }, null, 2)}\n`,
);
console.log(`written ${path.relative(rootDir, path.join(outDir, 'spool.json'))}`);
