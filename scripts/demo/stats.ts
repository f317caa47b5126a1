// Percentiles and a histogram of latency samples, for the demo's table and its report.

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of ascending `sorted` (q in [0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export interface Histogram {
  /** Lower edge of each bin; bins are `width` wide, the last one also holds everything above. */
  edges: number[];
  width: number;
  counts: number[];
}

/** `bins` equal bins from 0 to a little past the 99th percentile; the few beyond land in the last. */
export function histogram(samples: readonly number[], bins = 30): Histogram {
  const sorted = [...samples].sort((a, b) => a - b);
  const top = Math.max(percentile(sorted, 0.99) * 1.15, sorted[0] ?? 0, 1e-3);
  const width = top / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const sample of sorted) {
    const bin = Math.min(bins - 1, Math.floor(sample / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { edges: counts.map((_, i) => i * width), width, counts };
}
