// dist/bench/*.json -> dist/bench/index.html: every benchmark's figures as inline SVG charts
// (throughput per load, latency distributions against the ceilings they are measured with) and
// tables. One self-contained page, no script, no CDN. A file this script does not know is shown
// as raw JSON; one it cannot read is named with the reason, and the rest of the page still renders.
//   tsx scripts/bench/report.ts [--in <dir>] [--out <file>]   (defaults: dist/bench, <in>/index.html)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { barChart, CHART_CSS, escapeHtml, formatNumber, type LineSeries, lineChart } from './report/svg-charts.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Targets that are the bare ceiling a real one is measured against: drawn dashed, named so. */
const CEILINGS = new Set(['relay', 'bare', 'bare2', 'relay4', 'relay4p']);

type Json = Record<string, unknown>;
const asArray = (value: unknown, what: string): Json[] => {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value as Json[];
};
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const label = (target: string) => (CEILINGS.has(target) ? `${target} (ceiling)` : target);
const unique = <T>(values: T[]): T[] => [...new Set(values)];

function table(head: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => `<td>${escapeHtml(typeof v === 'number' ? formatNumber(v) : v)}</td>`;
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Latency by percentile for each target at one load: the real one solid, its ceiling dashed. */
function latencyLines(id: string, title: string, categories: string[], byTarget: [string, (number | undefined)[]][]): string {
  const series: LineSeries[] = byTarget.map(([target, values]) => ({
    name: label(target),
    dashed: CEILINGS.has(target),
    points: values.map((v, i) => [i, v]),
  }));
  return lineChart({ id, title, categories, xLabel: 'percentile', yLabel: 'latency, ms', logY: true, series });
}

// ---------------------------------------------------------------------------------------------
// One section per benchmark.

/** One group of bars per run (its load), one bar per key of the run's `field` record (a service, a process); empty without keys. */
function perRunBars(
  runs: Json[],
  field: string,
  value: (entry: Json | undefined) => number,
  chart: { id: string; title: string; yLabel: string },
): string {
  const records = runs.map((r) => (r[field] as Record<string, Json> | undefined) ?? {});
  const keys = unique(records.flatMap((record) => Object.keys(record)));
  if (keys.length === 0) return '';
  return barChart({
    ...chart,
    xLabel: 'offered load',
    series: keys,
    groups: runs.map((r, i) => ({ label: String(r.load), values: keys.map((k) => value(records[i]?.[k])) })),
  });
}

function endToEnd(data: Json): string {
  const runs = asArray(data.runs, 'runs');
  const loads = unique(runs.map((r) => String(r.load)));
  const targets = unique(runs.map((r) => String(r.target)));
  const run = (target: string, load: string) => runs.find((r) => String(r.target) === target && String(r.load) === load);
  const parts = [
    barChart({
      id: 'e2e-throughput',
      title: 'End to end: sustained fills/s per offered load',
      xLabel: 'offered load (webhooks/s; max = closed loop)',
      yLabel: 'fills/s',
      series: [...targets.map(label), 'sent/s (platform)'],
      groups: loads.map((load) => ({
        label: load,
        values: [...targets.map((t) => num(run(t, load)?.fillsPerSec)), num(run('platform', load)?.sentPerSec)],
      })),
    }),
  ];
  for (const load of loads) {
    const percentiles = (run(targets[0] as string, load)?.latencyPercentiles as [number, number][] | undefined) ?? [];
    const categories = percentiles.map(([p]) => (p === 100 ? 'max' : `p${p}`));
    parts.push(
      latencyLines(
        `e2e-latency-${load}`,
        `End to end: signal-to-fill latency at ${load}${load === 'max' ? '' : '/s'}`,
        categories,
        targets.map((t) => [t, ((run(t, load)?.latencyPercentiles as [number, number][] | undefined) ?? []).map(([, ms]) => ms)]),
      ),
    );
  }
  const platformRuns = runs.filter((r) => r.target === 'platform');
  parts.push(
    perRunBars(platformRuns, 'segmentsMs', (v) => num(v?.p50), {
      id: 'e2e-segments',
      title: 'End to end: where the platform spends the time (p50 per service)',
      yLabel: 'ms (p50)',
    }),
    perRunBars(platformRuns, 'memoryKb', (v) => num(v?.peak) / 1024, {
      id: 'e2e-memory',
      title: 'Peak resident memory (VmHWM) of each process under each load',
      yLabel: 'MB',
    }),
  );
  parts.push(
    table(
      ['load', 'target', 'sent/s', 'accepted', 'filled', 'fills/s', 'p50 ms', 'p99 ms', 'max ms', 'drain s'],
      runs.map((r) => {
        const l = r.latencyMs as Json;
        return [
          String(r.load),
          String(r.target),
          num(r.sentPerSec),
          num(r.accepted),
          num(r.filled),
          num(r.fillsPerSec),
          num(l.p50),
          num(l.p99),
          num(l.max),
          num(r.drainSeconds),
        ];
      }),
    ),
  );
  return parts.join('\n');
}

/** gateway.json and exec-sim.json: a summary row per target and load level. */
function serviceVsCeiling(
  prefix: string,
  name: string,
  rows: Json[],
  levelKey: string,
  levelLabel: string,
  rateKey: string,
  rateLabel: string,
  percentiles: [string, string][],
): string {
  const levels = unique(rows.map((r) => String(r[levelKey])));
  const targets = unique(rows.map((r) => String(r.target)));
  const row = (target: string, level: string) => rows.find((r) => String(r.target) === target && String(r[levelKey]) === level);
  const parts = [
    barChart({
      id: `${prefix}-throughput`,
      title: `${name}: ${rateLabel} per ${levelLabel}`,
      xLabel: levelLabel,
      yLabel: rateLabel,
      series: targets.map(label),
      groups: levels.map((level) => ({ label: level, values: targets.map((t) => num(row(t, level)?.[rateKey])) })),
    }),
  ];
  for (const level of levels) {
    parts.push(
      latencyLines(
        `${prefix}-latency-${level}`,
        `${name}: latency at ${level} ${levelLabel}`,
        percentiles.map(([, l]) => l),
        targets.map((t) => [t, percentiles.map(([key]) => num(row(t, level)?.[key]))]),
      ),
    );
  }
  parts.push(
    table(
      ['target', levelLabel, rateLabel, ...percentiles.map(([, l]) => `${l} ms`)],
      rows.map((r) => [String(r.target), String(r[levelKey]), num(r[rateKey]), ...percentiles.map(([key]) => num(r[key]))]),
    ),
  );
  return parts.join('\n');
}

function gateway(data: Json): string {
  const rows = asArray(data.summary, 'summary');
  return serviceVsCeiling('gateway', 'Gateway ingest', rows, 'connections', 'connections', 'reqPerSec', 'req/s', [
    ['p50Ms', 'p50'],
    ['p99Ms', 'p99'],
    ['p999Ms', 'p99.9'],
  ]);
}

function execSim(data: Json): string {
  const rows = asArray(data.summary, 'summary');
  return serviceVsCeiling('exec-sim', 'exec-sim', rows, 'inFlight', 'in flight', 'intentsPerSec', 'intents/s', [
    ['p50Ms', 'p50'],
    ['p99Ms', 'p99'],
  ]);
}

function validators(data: Json): string {
  const rows = asArray(data.rows, 'rows');
  return [
    barChart({
      id: 'validators',
      title: 'Validators: generated standalone against ajv compiled at run time',
      xLabel: 'subject',
      yLabel: 'validations/s',
      series: ['standalone', 'ajv runtime'],
      groups: rows.map((r) => ({ label: String(r.subject), values: [num(r.standaloneOps), num(r.runtimeOps)] })),
    }),
    table(
      ['subject', 'standalone ops/s', 'ajv runtime ops/s', 'ratio'],
      rows.map((r) => [String(r.subject), num(r.standaloneOps), num(r.runtimeOps), num(r.ratio)]),
    ),
  ].join('\n');
}

function generateScaling(data: Json): string {
  const sizes = asArray(data.sizes, 'sizes');
  const series: [string, string][] = [
    ['generateMs', 'generate, in-process'],
    ['generateCpuMs', 'generate, in-process CPU'],
    ['generateCliMs', 'generate, CLI'],
    ['compatMs', 'compat, in-process'],
    ['compatCpuMs', 'compat, in-process CPU'],
    ['compatCliMs', 'compat, CLI'],
  ];
  return [
    lineChart({
      id: 'generate-scaling',
      title: '`make generate` and the compatibility check against the number of channels',
      xLabel: 'channels',
      yLabel: 'ms',
      series: series.map(([key, name]) => ({ name, points: sizes.map((s) => [num(s.channels), num(s[key])]) })),
    }),
    table(
      ['channels', ...series.map(([, name]) => `${name} ms`), 'generate ms/channel', 'compat ms/channel'],
      sizes.map((s) => [
        num(s.channels),
        ...series.map(([key]) => num(s[key])),
        num(s.generateMs) / num(s.channels),
        num(s.compatMs) / num(s.channels),
      ]),
    ),
  ].join('\n');
}

function compat(data: Json): string {
  return table(
    ['case', 'ms (median)'],
    Object.entries(data)
      .filter(([key]) => key.endsWith('Ms'))
      .map(([key, value]) => [key.replace(/Ms$/, ''), num(value)]),
  );
}

function compatVsDiff(data: Json): string {
  const rows = asArray(data.rows, 'rows');
  return table(
    ['tool', 'ms', 'verdict', 'detail'],
    rows.map((r) => [String(r.tool), num(r.ms), String(r.verdict), String(r.detail)]),
  );
}

const SECTIONS: Record<string, { title: string; render: (data: Json) => string }> = {
  'end-to-end': { title: 'End to end: signal to fill', render: endToEnd },
  gateway: { title: 'Gateway ingest against node:http + JetStream', render: gateway },
  'exec-sim': { title: 'exec-sim against a bare relay', render: execSim },
  validators: { title: 'Validators', render: validators },
  'generate-scaling': { title: 'Generator and compatibility check scaling', render: generateScaling },
  compat: { title: 'Compatibility gate, working tree', render: compat },
  'compat-vs-diff': { title: 'Compatibility gate against asyncapi diff', render: compatVsDiff },
};

// ---------------------------------------------------------------------------------------------
// The page.

export interface Report {
  html: string;
  /** Benchmarks drawn, by file name without .json. */
  sections: string[];
  /** Files that could not be read or had an unexpected shape, with the reason. */
  problems: string[];
}

export function buildReport(inputDir: string, now = new Date()): Report {
  const files = readdirSync(inputDir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => {
      const order = Object.keys(SECTIONS);
      const rank = (f: string) => (order.includes(f.slice(0, -5)) ? order.indexOf(f.slice(0, -5)) : order.length);
      return rank(a) - rank(b) || a.localeCompare(b);
    });
  const sections: string[] = [];
  const problems: string[] = [];
  const bodies = files.map((file) => {
    const name = file.slice(0, -'.json'.length);
    const known = SECTIONS[name];
    let data: Json;
    try {
      data = JSON.parse(readFileSync(path.join(inputDir, file), 'utf8')) as Json;
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      return `<section id="${escapeHtml(name)}"><h2>${escapeHtml(file)}</h2><p class="problem">could not read: ${escapeHtml((err as Error).message)}</p></section>`;
    }
    const raw = `<details><summary>${escapeHtml(file)}</summary><pre>${escapeHtml(JSON.stringify(data, null, 2))}</pre></details>`;
    if (!known) return `<section id="${escapeHtml(name)}"><h2>${escapeHtml(file)}</h2>${raw}</section>`;
    try {
      const body = known.render(data);
      sections.push(name);
      return `<section id="${escapeHtml(name)}"><h2>${escapeHtml(known.title)}</h2>${body}${raw}</section>`;
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      return `<section id="${escapeHtml(name)}"><h2>${escapeHtml(known.title)}</h2><p class="problem">unexpected shape: ${escapeHtml((err as Error).message)}</p>${raw}</section>`;
    }
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmarks</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; max-width: 1400px; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .25rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.problem { color: #b00; }
pre { max-height: 20rem; overflow: auto; background: #f6f6f6; padding: .5rem; }
${CHART_CSS}
</style></head><body>
<h1>Benchmarks</h1>
<p>From ${files.length} file(s) in <code>${escapeHtml(path.relative(rootDir, inputDir) || inputDir)}</code>, ${escapeHtml(now.toISOString())}.
Measured on a shared machine: read each figure against the ceiling measured beside it in the same run (dashed), not as an absolute.</p>
<nav>${files.map((f) => `<a href="#${escapeHtml(f.slice(0, -5))}">${escapeHtml(f.slice(0, -5))}</a>`).join(' · ')}</nav>
${bodies.join('\n')}
</body></html>
`;
  return { html, sections, problems };
}

function main(): void {
  const { values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const inputDir = path.resolve(values.in ?? path.join(rootDir, 'dist', 'bench'));
  const outFile = path.resolve(values.out ?? path.join(inputDir, 'index.html'));
  const report = buildReport(inputDir);
  writeFileSync(outFile, report.html);
  console.log(`written ${path.relative(process.cwd(), outFile)}: ${report.sections.join(', ') || 'no known benchmark'}`);
  for (const problem of report.problems) console.error(`report: ${problem}`);
  if (report.problems.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (err) {
    console.error(`report: ${(err as Error).message}`);
    process.exit(1);
  }
}
