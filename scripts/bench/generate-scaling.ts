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
  compatCliMs: number;
  compatMs: number;
  generatedBytes: number;
  breakingSubjects: number;
  findings: number;
}

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

async function timedAsync(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
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

async function measureSize(work: string, channels: number): Promise<SizeRecord> {
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
  const times: number[] = [];
  let generatedBytes = 0;
  for (let i = 0; i < settings.runs; i++) {
    emptyOut();
    times.push(
      await timedAsync(async () => {
        const files = await generateAll({ rootDir: outDir, contractsDir });
        writeGenerated(outDir, files);
        generatedBytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
      }),
    );
  }
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
  const compatTimes = Array.from({ length: settings.runs }, () =>
    timed(() => {
      const run = runCompat(compatArgs, { cwd: rootDir, defaultRoot: rootDir });
      answer = checkGateAnswer(run.stdout, channels);
    }),
  );
  return {
    channels,
    generateCliMs: median(cliTimes),
    generateMs: median(times),
    compatCliMs: median(compatCliTimes),
    compatMs: median(compatTimes),
    generatedBytes,
    breakingSubjects: 1,
    findings: answer?.findings.length ?? 0,
  };
}

function printTable(records: SizeRecord[]): void {
  const base = records[0] as SizeRecord;
  const cells = [
    ['channels', 8],
    ['gen CLI ms', 11],
    ['gen ms', 9],
    ['gen ms/ch', 10],
    ['x gen', 6],
    ['compat CLI ms', 14],
    ['compat ms', 10],
    ['compat ms/ch', 13],
    ['x compat', 9],
    ['generated kB', 13],
  ] as const;
  console.log(
    `\nmedians; ms/ch: per channel; x: time over the ${base.channels}-channel set's (channels grew ${records.map((r) => `${(r.channels / base.channels).toFixed(0)}x`).join(', ')})`,
  );
  console.log(cells.map(([label, width]) => label.padStart(width)).join(' '));
  for (const r of records) {
    const row = [
      String(r.channels),
      r.generateCliMs.toFixed(0),
      r.generateMs.toFixed(0),
      (r.generateMs / r.channels).toFixed(1),
      (r.generateMs / base.generateMs).toFixed(1),
      r.compatCliMs.toFixed(0),
      r.compatMs.toFixed(1),
      (r.compatMs / r.channels).toFixed(2),
      (r.compatMs / base.compatMs).toFixed(1),
      (r.generatedBytes / 1024).toFixed(0),
    ];
    console.log(row.map((cell, i) => cell.padStart(cells[i]?.[1] ?? 0)).join(' '));
  }
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
  for (const channels of [...settings.channels].sort((a, b) => a - b)) records.push(await measureSize(work, channels));
  printTable(records);
  const outDir = path.join(rootDir, 'dist', 'bench');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'generate-scaling.json');
  writeFileSync(file, `${JSON.stringify({ node: process.version, settings, sizes: records }, null, 2)}\n`);
  console.log(`written ${path.relative(rootDir, file)}`);
}

await main();
