// The compatibility gate against `asyncapi diff` on the same pair of documents, side by side:
// the platform's asyncapi.yaml (old) and a copy with four real changes (new). Prints wall
// times and what each tool says about the changes; writes dist/bench/compat-vs-diff.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCompat } from '../compat/command.js';
import { median } from './support/measure.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const IN_PROCESS_RUNS = 21;

/** Two breaking changes (an enum value removed, a field made required), one additive (an enum value added) and a description edit. */
function changedDocument(text: string): string {
  const edits: [string, string][] = [
    ['enum:\n        - buy\n        - sell\n', 'enum:\n        - buy\n'],
    ['required:\n        - clientOrderId\n', 'required:\n        - clientOrderId\n        - rationale\n'],
    [
      'enum:\n        - futures\n        - fx\n        - crypto\n',
      'enum:\n        - futures\n        - fx\n        - crypto\n        - equity\n',
    ],
  ];
  let out = text;
  for (const [from, to] of edits) {
    if (!out.includes(from)) throw new Error(`bench edit no longer applies: ${JSON.stringify(from.slice(0, 40))}`);
    out = out.replace(from, to);
  }
  return out.replace(/description: Unique id of this event/g, 'description: The unique id of this event');
}

function timeCommand(command: string, args: string[]): { ms: number; stdout: string; status: number | null } {
  const times: number[] = [];
  let last = { stdout: '', status: 0 as number | null };
  for (let i = 0; i < CLI_RUNS; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, {
      cwd: rootDir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', SUPPRESS_NO_CONFIG_WARNING: '1' },
    });
    times.push(performance.now() - start);
    last = { stdout: result.stdout, status: result.status };
  }
  return { ms: median(times), ...last };
}

const dir = mkdtempSync(path.join(tmpdir(), 'compat-vs-diff-'));
const oldFile = path.join(dir, 'old.yaml');
const newFile = path.join(dir, 'new.yaml');
const original = readFileSync(path.join(rootDir, 'asyncapi.yaml'), 'utf8');
writeFileSync(oldFile, original);
writeFileSync(newFile, changedDocument(original));

const inProcessTimes: number[] = [];
let gate = runCompat(['--old', oldFile, '--new', newFile, '--format', 'json'], { cwd: rootDir, defaultRoot: rootDir });
for (let i = 0; i < IN_PROCESS_RUNS; i++) {
  const start = performance.now();
  gate = runCompat(['--old', oldFile, '--new', newFile, '--format', 'json'], { cwd: rootDir, defaultRoot: rootDir });
  inProcessTimes.push(performance.now() - start);
}
const gateReport = JSON.parse(gate.stdout) as { compatible: boolean; findings: { rule: string; breaks: string[] }[] };
const gateCli = timeCommand(path.join(rootDir, 'node_modules/.bin/tsx'), [
  'scripts/compat/cli.ts',
  '--old',
  oldFile,
  '--new',
  newFile,
  '--format',
  'json',
]);
const diffCli = timeCommand(path.join(rootDir, 'node_modules/.bin/asyncapi'), ['diff', oldFile, newFile, '-f', 'json', '--no-error']);
const diffReport = JSON.parse(diffCli.stdout.slice(diffCli.stdout.indexOf('{'))) as { changes?: { type: string }[] };
rmSync(dir, { recursive: true, force: true });

const classified = (type: string) => (diffReport.changes ?? []).filter((change) => change.type === type).length;
const rows = [
  {
    tool: 'compat gate, in-process',
    ms: median(inProcessTimes),
    verdict: gateReport.compatible ? 'compatible' : 'incompatible (exit 1)',
    detail: `${gateReport.findings.length} findings, ${gateReport.findings.filter((f) => f.breaks.length > 0).length} breaking`,
  },
  { tool: 'compat gate, CLI (tsx)', ms: gateCli.ms, verdict: `exit ${gateCli.status}`, detail: 'same findings' },
  {
    tool: 'asyncapi diff, CLI',
    ms: diffCli.ms,
    verdict: `exit ${diffCli.status}`,
    detail: `${classified('breaking')} breaking, ${classified('non-breaking')} non-breaking, ${classified('unclassified')} unclassified`,
  },
];
console.log(
  `same pair: asyncapi.yaml and a copy with 2 breaking, 1 additive and 1 docs-only change; medians of ${IN_PROCESS_RUNS} (in-process) / ${CLI_RUNS} (CLI) runs`,
);
console.log(`${'tool'.padEnd(26)} ${'ms'.padStart(9)}  ${'verdict'.padEnd(22)} detail`);
for (const row of rows) console.log(`${row.tool.padEnd(26)} ${row.ms.toFixed(1).padStart(9)}  ${row.verdict.padEnd(22)} ${row.detail}`);
console.log(`gate findings: ${gateReport.findings.map((f) => `${f.rule}[${f.breaks.join('+') || 'none'}]`).join(', ')}`);
mkdirSync(path.join(rootDir, 'dist/bench'), { recursive: true });
writeFileSync(
  path.join(rootDir, 'dist/bench/compat-vs-diff.json'),
  `${JSON.stringify({ rows, gateFindings: gateReport.findings }, null, 2)}\n`,
);
