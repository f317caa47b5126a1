// Inline SVG charts for the benchmark report: grouped bars and lines, no script and no CDN, so
// the page renders from a file anywhere. Every chart is a <figure class="chart"> with a caption,
// an accessible label, and a <title> on each bar or point that tells its exact value.

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A round upper bound for an axis and its tick step (1, 2 or 5 times a power of ten). */
function niceScale(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  return { max: Math.ceil(max / step) * step, step };
}

interface Scale {
  at(value: number): number;
  ticks: number[];
}

function linearScale(maxValue: number): Scale {
  const { max, step } = niceScale(maxValue);
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { at: (v) => MARGIN.top + PLOT_H - (Math.max(0, v) / max) * PLOT_H, ticks };
}

function logScale(minValue: number, maxValue: number): Scale {
  const lo = Math.floor(Math.log10(Math.max(minValue, 1e-3)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(maxValue, 1e-3))));
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  return {
    at: (v) => MARGIN.top + PLOT_H - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * PLOT_H,
    ticks,
  };
}

function frame(id: string, title: string, body: string, legend: { name: string; color: string; dashed?: boolean }[]): string {
  const items = legend
    .map((item, i) => {
      // Three items a row, two rows above the plot.
      const x = MARGIN.left + (i % 3) * 185;
      const y = 8 + Math.floor(i / 3) * 13;
      const line = `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${item.color}" stroke-width="5"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
      return `<g class="legend-item">${line}<text x="${x + 24}" y="${y + 4}">${escapeHtml(item.name)}</text></g>`;
    })
    .join('');
  return (
    `<figure class="chart" data-chart="${escapeHtml(id)}"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">` +
    `<g class="legend">${items}</g>${body}</svg></figure>`
  );
}

function yAxis(scale: Scale, label: string): string {
  const lines = scale.ticks
    .map((t) => {
      const y = scale.at(t).toFixed(1);
      return `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/><text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatNumber(t)}</text>`;
    })
    .join('');
  const mid = MARGIN.top + PLOT_H / 2;
  return `${lines}<text class="axis-label" transform="translate(14 ${mid}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text>`;
}

function xLabels(labels: string[], axisLabel: string): string {
  const step = PLOT_W / Math.max(1, labels.length);
  const texts = labels
    .map(
      (l, i) =>
        `<text class="tick" x="${(MARGIN.left + step * (i + 0.5)).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(l)}</text>`,
    )
    .join('');
  return `${texts}<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(axisLabel)}</text>`;
}

function numericXAxis(nice: { max: number; step: number }, xAt: (x: number) => number, axisLabel: string): string {
  const ticks: string[] = [];
  for (let t = 0; t <= nice.max + nice.step / 2; t += nice.step) {
    ticks.push(
      `<text class="tick" x="${xAt(t).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${formatNumber(t)}</text>`,
    );
  }
  return `${ticks.join('')}<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(axisLabel)}</text>`;
}

export interface BarChart {
  id: string;
  title: string;
  /** What the value axis measures, with its unit. */
  yLabel: string;
  xLabel: string;
  series: string[];
  groups: { label: string; values: (number | undefined)[] }[];
}

/** Bars side by side per group, one colour per series; a missing value leaves a gap. */
export function barChart(chart: BarChart): string {
  const values = chart.groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const scale = linearScale(Math.max(0, ...values));
  const groupW = PLOT_W / Math.max(1, chart.groups.length);
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length);
  const bars = chart.groups
    .flatMap((group, gi) =>
      group.values.map((value, si) => {
        if (value === undefined || !Number.isFinite(value)) return '';
        const x = MARGIN.left + gi * groupW + groupW * 0.1 + si * barW;
        const y = scale.at(value);
        const h = MARGIN.top + PLOT_H - y;
        const name = chart.series[si] ?? '';
        return (
          `<rect class="bar" data-series="${escapeHtml(name)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${Math.max(1, h).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}">` +
          `<title>${escapeHtml(`${name}, ${group.label}: ${formatNumber(value)}`)}</title></rect>` +
          `<text class="value" x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${formatNumber(value)}</text>`
        );
      }),
    )
    .join('');
  const legend = chart.series.map((name, i) => ({ name, color: PALETTE[i % PALETTE.length] as string }));
  return frame(
    chart.id,
    chart.title,
    `${yAxis(scale, chart.yLabel)}${bars}${xLabels(
      chart.groups.map((g) => g.label),
      chart.xLabel,
    )}`,
    legend,
  );
}

export interface LineSeries {
  name: string;
  /** y by x index (categories) or by x value (numeric axis); undefined or NaN points are skipped. */
  points: [number, number | undefined][];
  /** Drawn dashed: a ceiling or baseline to read the others against. */
  dashed?: boolean;
}

export interface LineChart {
  id: string;
  title: string;
  yLabel: string;
  xLabel: string;
  /** Category labels (points' x are indexes into them), or a numeric x axis when absent. */
  categories?: string[];
  logY?: boolean;
  series: LineSeries[];
}

/** Lines with a marker per point; categorical or numeric x, linear or log y. */
export function lineChart(chart: LineChart): string {
  const ys = chart.series.flatMap((s) => s.points.map(([, y]) => y).filter((y): y is number => y !== undefined && Number.isFinite(y)));
  const scale = chart.logY ? logScale(Math.min(...ys), Math.max(...ys)) : linearScale(Math.max(0, ...ys));
  const xs = chart.series.flatMap((s) => s.points.map(([x]) => x));
  const categories = chart.categories;
  const xNice = niceScale(Math.max(1, ...xs));
  const xMax = categories ? categories.length : xNice.max;
  const xAt = (x: number) =>
    categories ? MARGIN.left + (PLOT_W / Math.max(1, categories.length)) * (x + 0.5) : MARGIN.left + (x / xMax) * PLOT_W;
  const lines = chart.series
    .map((series, i) => {
      const color = PALETTE[i % PALETTE.length] as string;
      const points = series.points.filter((p): p is [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
      if (points.length === 0) return '';
      const d = points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${xAt(x).toFixed(1)},${scale.at(y).toFixed(1)}`).join(' ');
      const markers = points
        .map(([x, y]) => {
          const where = categories ? (categories[x] ?? String(x)) : formatNumber(x);
          return `<circle class="point" cx="${xAt(x).toFixed(1)}" cy="${scale.at(y).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeHtml(`${series.name}, ${where}: ${formatNumber(y)}`)}</title></circle>`;
        })
        .join('');
      return `<path class="series" data-series="${escapeHtml(series.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>${markers}`;
    })
    .join('');
  const xAxis = categories ? xLabels(categories, chart.xLabel) : numericXAxis(xNice, xAt, chart.xLabel);
  const legend = chart.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] as string, dashed: s.dashed === true }));
  return frame(chart.id, chart.title, `${yAxis(scale, chart.yLabel + (chart.logY ? ' (log scale)' : ''))}${lines}${xAxis}`, legend);
}

export const CHART_CSS = `
figure.chart { margin: 1rem 0; display: inline-block; vertical-align: top; }
figure.chart figcaption { font-weight: 600; margin-bottom: .25rem; }
figure.chart svg { background: #fff; border: 1px solid #ddd; font: 11px system-ui, sans-serif; }
figure.chart .grid { stroke: #eee; }
figure.chart .tick, figure.chart .value { fill: #444; }
figure.chart .value { font-size: 9px; }
figure.chart .axis-label { fill: #222; font-size: 12px; }
`;
