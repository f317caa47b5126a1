// The demo's HTML report: one self-contained file (inline CSS and SVG, no script, nothing
// fetched), so it opens from disk anywhere. An equity curve per strategy and the latency
// distributions with p50/p90/p99 marked.
import type { StrategyEquity } from './equity.js';
import { histogram, type LatencySummary, summarize } from './stats.js';

export interface StrategyRow {
  strategyId: string;
  orders: number;
  filled: number;
  rejected: number;
  fills: number;
  /** Realized + unrealized at the end of the feed, USD. */
  equity: number;
}

export interface ReportData {
  generatedAt: string;
  seed: number;
  alerts: number;
  bars: number;
  platform: string;
  rate: number;
  strategies: readonly StrategyRow[];
  rejections: readonly { reason: string; count: number }[];
  equity: readonly StrategyEquity[];
  /** Milliseconds. */
  latency: { webhookToFill: readonly number[]; webhookToAccepted: readonly number[] };
}

const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

const money = (value: number) => `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a');

/** Round steps for an axis from `low` to `high`. */
function ticks(low: number, high: number, count = 5): number[] {
  const span = high - low || Math.abs(high) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const values: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) values.push(Number(v.toFixed(10)));
  return values;
}

function equityChart(curve: StrategyEquity, color: string): string {
  const width = 520;
  const height = 240;
  const pad = { left: 72, right: 12, top: 28, bottom: 34 };
  const values = curve.points.map((p) => p.equity);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const span = high - low || 1;
  const x = (i: number) => pad.left + (i / Math.max(1, curve.points.length - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - low) / span) * (height - pad.top - pad.bottom);
  const path = curve.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.equity).toFixed(1)}`).join(' ');
  const grid = ticks(low, high)
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" class="${v === 0 ? 'zero' : 'grid'}"/>` +
        `<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${money(v)}</text>`,
    )
    .join('');
  const first = curve.points[0]?.time.slice(0, 16).replace('T', ' ') ?? '';
  const last = curve.points.at(-1)?.time.slice(0, 16).replace('T', ' ') ?? '';
  return `<figure class="chart">
<svg class="equity" data-strategy="${escapeHtml(curve.strategyId)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="equity of ${escapeHtml(curve.strategyId)}">
<text x="${pad.left}" y="16" class="title">${escapeHtml(curve.strategyId)}: ${money(curve.final)} after ${curve.fills} fills</text>
${grid}
<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8"/>
<text x="${pad.left}" y="${height - 10}">${first} UTC</text>
<text x="${width - pad.right}" y="${height - 10}" text-anchor="end">${last}</text>
</svg></figure>`;
}

function latencyChart(id: string, label: string, samples: readonly number[]): string {
  const width = 520;
  const height = 240;
  const pad = { left: 44, right: 12, top: 28, bottom: 34 };
  if (samples.length === 0)
    return `<figure class="chart"><p class="empty">${escapeHtml(label)}: no samples (the demo could not observe any)</p></figure>`;
  const stats: LatencySummary = summarize(samples);
  const bins = histogram(samples);
  const top = bins.width * bins.counts.length;
  const tallest = Math.max(...bins.counts, 1);
  const x = (v: number) => pad.left + (Math.min(v, top) / top) * (width - pad.left - pad.right);
  const y = (count: number) => height - pad.bottom - (count / tallest) * (height - pad.top - pad.bottom);
  const bars = bins.counts
    .map((count, i) => {
      const left = x(bins.edges[i] as number);
      const barWidth = Math.max(1, x((bins.edges[i] as number) + bins.width) - left - 1);
      return `<rect class="bar" x="${left.toFixed(1)}" y="${y(count).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(height - pad.bottom - y(count)).toFixed(1)}"><title>${ms(bins.edges[i] as number)}: ${count}</title></rect>`;
    })
    .join('');
  const marks = (['p50', 'p90', 'p99'] as const)
    .map(
      (name, i) =>
        `<line class="pct" x1="${x(stats[name])}" x2="${x(stats[name])}" y1="${pad.top}" y2="${height - pad.bottom}"/>` +
        // Labels near the right edge go to the left of their line, so none is cut off.
        `<text class="pct" x="${x(stats[name]) + (x(stats[name]) > width * 0.7 ? -3 : 3)}" y="${pad.top + 12 + i * 13}" text-anchor="${x(stats[name]) > width * 0.7 ? 'end' : 'start'}">${name} ${ms(stats[name])}</text>`,
    )
    .join('');
  const axis = ticks(0, top)
    .filter((v) => v <= top)
    .map((v) => `<text x="${x(v)}" y="${height - 16}" text-anchor="middle">${v}</text>`)
    .join('');
  return `<figure class="chart">
<svg class="latency" id="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">
<text x="${pad.left}" y="16" class="title">${escapeHtml(label)} (${stats.count} samples, ms)</text>
<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" class="grid"/>
${bars}${marks}${axis}
</svg></figure>`;
}

function latencyRow(label: string, samples: readonly number[]): string {
  const s = summarize(samples);
  return `<tr><td>${label}</td><td>${s.count}</td><td>${ms(s.p50)}</td><td>${ms(s.p90)}</td><td>${ms(s.p99)}</td><td>${ms(s.max)}</td></tr>`;
}

export function renderReport(data: ReportData): string {
  const strategyRows = data.strategies
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.strategyId)}</td><td>${s.orders}</td><td>${s.filled}</td><td>${s.rejected}</td><td>${s.fills}</td><td class="${s.equity < 0 ? 'neg' : 'pos'}">${money(s.equity)}</td></tr>`,
    )
    .join('\n');
  const rejectionRows = data.rejections.map((r) => `<li>${r.count} × ${escapeHtml(r.reason)}</li>`).join('');
  const curves = data.equity.map((curve, i) => equityChart(curve, PALETTE[i % PALETTE.length] as string)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo report: fills, PnL and latency</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #111827; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 12px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.neg { color: #b91c1c; } .pos { color: #047857; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure.chart { margin: 0; border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px; }
svg text { font-size: 11px; fill: #374151; } svg text.title { font-size: 13px; font-weight: 600; fill: #111827; }
line.grid { stroke: #e5e7eb; } line.zero { stroke: #9ca3af; stroke-dasharray: 4 3; }
rect.bar { fill: #60a5fa; } line.pct { stroke: #b91c1c; stroke-dasharray: 3 2; } text.pct { fill: #b91c1c; }
p.meta { color: #4b5563; }
</style></head>
<body>
<h1>Demo report</h1>
<p class="meta">${data.alerts} TradingView alerts (seed ${data.seed}, ${data.bars} five-minute bars) replayed at ${data.rate} alerts/s through the webhook endpoint of ${escapeHtml(data.platform)}; generated ${escapeHtml(data.generatedAt)}.</p>
<h2>Strategies</h2>
<table><thead><tr><th>strategy</th><th>orders</th><th>filled</th><th>rejected</th><th>fills</th><th>PnL (USD)</th></tr></thead>
<tbody>${strategyRows}</tbody></table>
${rejectionRows ? `<p>Rejections:</p><ul>${rejectionRows}</ul>` : ''}
<h2>Equity curves</h2>
<p class="meta">Realized + unrealized PnL of this run's fills, marked at the feed's prices after every alert, in USD (JPY converted at the feed's USDJPY, USDT taken as USD).</p>
<div class="charts">${curves || '<p>No fills: no equity to draw.</p>'}</div>
<h2>Latency</h2>
<table><thead><tr><th></th><th>samples</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>
${latencyRow('webhook sent → fill received', data.latency.webhookToFill)}
${latencyRow('webhook sent → 202 answered', data.latency.webhookToAccepted)}
</tbody></table>
<div class="charts">
${latencyChart('latency-fill', 'webhook sent → fill received', data.latency.webhookToFill)}
${latencyChart('latency-accepted', 'webhook sent → 202 answered', data.latency.webhookToAccepted)}
</div>
</body></html>
`;
}
