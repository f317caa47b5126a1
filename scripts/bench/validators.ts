// Validator throughput: the generated standalone validators against ajv compiling the same
// schemas at run time, side by side in one process (the machines are shared: compare ratios).
// Prints a table and writes dist/bench/validators.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { REGISTRY } from '../../generated/registry.js';
import * as compiled from '../../generated/validators/standalone.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION_MS = Number(process.env.BENCH_MS ?? 400);
const ROUNDS = 3;

type Check = (data: unknown) => boolean;

/** Calls per second over the examples, best of ROUNDS (less noise from a busy neighbour). */
function opsPerSecond(check: Check, inputs: unknown[]): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < DURATION_MS) {
      for (let i = 0; i < 1_000; i++) if (!check(inputs[i % inputs.length])) throw new Error('an example failed validation');
      calls += 1_000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (calls / elapsed) * 1_000);
  }
  return best;
}

const runtimeAjv = new Ajv.default({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats.default(runtimeAjv);

const rows = REGISTRY.map((entry) => {
  const inputs = entry.examples.map((e) => e.payload);
  const standalone = (compiled as unknown as Record<string, Check>)[entry.typeName] as Check;
  const compileStart = performance.now();
  const runtime = runtimeAjv.compile(entry.payloadSchema);
  const compileMs = performance.now() - compileStart;
  const standaloneOps = opsPerSecond(standalone, inputs);
  const runtimeOps = opsPerSecond(runtime, inputs);
  return { subject: entry.subject, standaloneOps, runtimeOps, ratio: standaloneOps / runtimeOps, runtimeCompileMs: compileMs };
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`validators: ${DURATION_MS} ms x ${ROUNDS} rounds per cell, valid examples, node ${process.version}`);
console.log(
  `${'subject'.padEnd(24)} ${'standalone ops/s'.padStart(17)} ${'ajv runtime ops/s'.padStart(18)} ${'ratio'.padStart(6)} ${'compile ms'.padStart(11)}`,
);
for (const r of rows) {
  console.log(
    `${r.subject.padEnd(24)} ${fmt(r.standaloneOps).padStart(17)} ${fmt(r.runtimeOps).padStart(18)} ${r.ratio.toFixed(2).padStart(6)} ${r.runtimeCompileMs.toFixed(1).padStart(11)}`,
  );
}
const outDir = path.join(rootDir, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'validators.json'),
  `${JSON.stringify({ node: process.version, durationMs: DURATION_MS, rows }, null, 2)}\n`,
);
console.log(`written ${path.relative(rootDir, path.join(outDir, 'validators.json'))}`);
