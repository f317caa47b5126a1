// How `make generate` and the compatibility check grow with the number of channels: synthetic
// contract sets of BENCH_CHANNELS channels (10, 50, 100 by default), each made of renamed copies
// of the platform's own contracts (support/synthetic-contracts.ts), in a temp directory.
//   generate, CLI         scripts/generate.ts --contracts <set> --out <dir> as a child process, as
//                         `make generate` runs it (tsx start-up included); into an empty directory
//   generate, in-process  generateAll + writeGenerated, the same work without process start-up
//   compat, CLI           scripts/compat/cli.ts --old <set's asyncapi.yaml> --new <a changed copy's>
//   compat, in-process    runCompat with the same arguments
// The changed copy adds an optional field to every payload and a required one to the first, so
// the gate must answer "incompatible" with exactly one breaking subject (checked every run).
// Times are medians of BENCH_RUNS runs (3) in-process, BENCH_CLI_RUNS (1) for the CLIs. Prints a
// table (ms and ms per channel) and writes dist/bench/generate-scaling.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAsyncApi } from '../codegen/bundle.js';
import { generateAll } from '../codegen/generate-all.js';
import { loadContracts } from '../codegen/load.js';
import { writeGenerated } from '../codegen/write-files.js';
import { runCompat } from '../compat/command.js';
import { median } from './support/measure.js';
import { writeChangedContracts, writeSyntheticContracts } from './support/synthetic-contracts.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const settings = {
  channels: (process.env.BENCH_CHANNELS ?? '10,50,100').split(',').map(Number),
  runs: Number(process.env.BENCH_RUNS ?? 3),
  cliRuns: Number(process.env.BENCH_CLI_RUNS ?? 1),
};

interface SizeRecord {
  channels: number;
  generateCliMs: number;
  generateMs: number;
  /** CPU time of this process (user + system) for the in-process generate: steadier than wall time on a busy machine. */
  generateCpuMs: number;
  compatCliMs: number;
  compatMs: number;
  compatCpuMs: number;
  generatedBytes: number;
  breakingSubjects: number;
  findings: number;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall and CPU time of `run`, `times` times over, after `warmUp` untimed runs (the first size pays for JIT and module caches). */
async function timeRuns(times: number, warmUp: number, run: () => unknown): Promise<{ wallMs: number; cpuMs: number }> {
  for (let i = 0; i < warmUp; i++) await run();
  const timings: Timing[] = [];
  for (let i = 0; i < times; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    const used = process.cpuUsage(cpu);
    timings.push({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
  }
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

/** A tsx script as a child process: wall time, and its exit status must be one of `expected`. */
function runScript(script: string, args: string[], expected: number[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: rootDir, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (!expected.includes(result.status ?? -1)) {
    throw new Error(`${script} ${args.join(' ')} exited ${result.status}:\n${result.stderr || result.stdout}`);
  }
  return ms;
}

interface GateAnswer {
  compatible: boolean;
  findings: { subject: string; rule: string }[];
}

function checkGateAnswer(stdout: string, channels: number): GateAnswer {
  const answer = JSON.parse(stdout) as GateAnswer;
  const breaking = new Set(answer.findings.filter((f) => f.rule === 'required-added').map((f) => f.subject));
  const changed = new Set(answer.findings.map((f) => f.subject));
  if (answer.compatible || breaking.size !== 1 || changed.size !== channels) {
    throw new Error(
      `${channels} channels: the gate should find one breaking subject among ${channels} changed, found ${breaking.size} among ${changed.size}`,
    );
  }
  return answer;
}

async function measureSize(work: string, channels: number, warmUp: number): Promise<SizeRecord> {
  const set = path.join(work, `set-${channels}`);
  const changed = path.join(work, `changed-${channels}`);
  writeSyntheticContracts(path.join(rootDir, 'contracts'), set, channels);
  writeChangedContracts(path.join(set, 'contracts'), changed);
  const contractsDir = path.join(set, 'contracts');
  const outDir = path.join(work, `out-${channels}`);
  const emptyOut = () => rmSync(outDir, { recursive: true, force: true });

  console.log(`  ${channels} channels: make generate's generator as a child process (${settings.cliRuns} run(s))`);
  const cliTimes: number[] = [];
  for (let i = 0; i < settings.cliRuns; i++) {
    emptyOut();
    cliTimes.push(runScript('scripts/generate.ts', ['--contracts', contractsDir, '--out', outDir], [0]));
  }
  console.log(`  ${channels} channels: generateAll + writeGenerated in-process (${settings.runs} runs)`);
  let generatedBytes = 0;
  const generate = await timeRuns(settings.runs, warmUp, async () => {
    emptyOut();
    const files = await generateAll({ rootDir: outDir, contractsDir });
    writeGenerated(outDir, files);
    generatedBytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  });
  const oldDoc = path.join(outDir, 'asyncapi.yaml');
  const changedContracts = path.join(changed, 'contracts');
  const newDoc = path.join(changed, 'asyncapi.yaml');
  writeFileSync(
    newDoc,
    bundleAsyncApi(
      loadContracts(changed, changedContracts),
      path.join(changedContracts, 'platform.yaml'),
      path.join(changedContracts, 'common'),
    ),
  );
  const compatArgs = ['--old', oldDoc, '--new', newDoc, '--format', 'json'];
  console.log(`  ${channels} channels: the compatibility check, set against its changed copy`);
  const compatCliTimes = Array.from({ length: settings.cliRuns }, () => runScript('scripts/compat/cli.ts', compatArgs, [1]));
  let answer: GateAnswer | undefined;
  const compat = await timeRuns(settings.runs, warmUp, () => {
    const run = runCompat(compatArgs, { cwd: rootDir, defaultRoot: rootDir });
    answer = checkGateAnswer(run.stdout, channels);
  });
  return {
    channels,
    generateCliMs: median(cliTimes),
    generateMs: generate.wallMs,
    generateCpuMs: generate.cpuMs,
    compatCliMs: median(compatCliTimes),
    compatMs: compat.wallMs,
    compatCpuMs: compat.cpuMs,
    generatedBytes,
    breakingSubjects: 1,
    findings: answer?.findings.length ?? 0,
  };
}

function printTable(records: SizeRecord[]): void {
  const base = records[0] as SizeRecord;
  const columns: [string, (r: SizeRecord) => string][] = [
    ['channels', (r) => String(r.channels)],
    ['gen CLI ms', (r) => r.generateCliMs.toFixed(0)],
    ['gen ms', (r) => r.generateMs.toFixed(0)],
    ['gen ms/ch', (r) => (r.generateMs / r.channels).toFixed(1)],
    ['gen cpu ms', (r) => r.generateCpuMs.toFixed(0)],
    ['x gen cpu', (r) => (r.generateCpuMs / base.generateCpuMs).toFixed(1)],
    ['compat CLI ms', (r) => r.compatCliMs.toFixed(0)],
    ['compat ms', (r) => r.compatMs.toFixed(0)],
    ['compat ms/ch', (r) => (r.compatMs / r.channels).toFixed(2)],
    ['compat cpu ms', (r) => r.compatCpuMs.toFixed(0)],
    ['x compat cpu', (r) => (r.compatCpuMs / base.compatCpuMs).toFixed(1)],
    ['generated kB', (r) => (r.generatedBytes / 1024).toFixed(0)],
  ];
  const grew = records.map((r) => `${(r.channels / base.channels).toFixed(0)}x`).join(', ');
  console.log(
    `\nmedians; ms: wall time, cpu ms: this process's CPU time (steadier on a busy machine); ms/ch: per channel; ` +
      `x: over the ${base.channels}-channel set (channels grew ${grew})`,
  );
  console.log(columns.map(([label]) => label.padStart(label.length + 1)).join(' '));
  for (const r of records) console.log(columns.map(([label, cell]) => cell(r).padStart(label.length + 1)).join(' '));
}

async function main(): Promise<void> {
  if (!settings.channels.every((n) => Number.isInteger(n) && n > 0)) throw new Error('BENCH_CHANNELS must list positive whole numbers');
  if (!(Number.isInteger(settings.runs) && settings.runs > 0 && Number.isInteger(settings.cliRuns) && settings.cliRuns > 0)) {
    throw new Error('BENCH_RUNS and BENCH_CLI_RUNS must be positive whole numbers');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'bench-generate-'));
  process.once('exit', () => rmSync(work, { recursive: true, force: true }));
  console.log(
    `generate-scaling bench: ${settings.channels.join(', ')} synthetic channels; ${settings.runs} in-process and ${settings.cliRuns} CLI run(s) each; node ${process.version}`,
  );
  const records: SizeRecord[] = [];
  for (const channels of [...settings.channels].sort((a, b) => a - b)) {
    records.push(await measureSize(work, channels, records.length === 0 ? 1 : 0));
  }
  printTable(records);
  const outDir = path.join(rootDir, 'dist', 'bench');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'generate-scaling.json');
  writeFileSync(file, `${JSON.stringify({ node: process.version, settings, sizes: records }, null, 2)}\n`);
  console.log(`written ${path.relative(rootDir, file)}`);
}

await main();
