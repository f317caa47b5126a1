// The benchmark report: built from small fixture JSON files in the shapes the benches write,
// opened in real headless Chromium; every chart must be there and visible, with its bars or
// lines, the ceilings dashed, and nothing fetched from the network.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type Report } from '../bench/report.js';
import { launchChromium } from './support/chromium.js';

const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

function e2eRun(target: string, load: number | 'max', fillsPerSec: number, p50: number) {
  return {
    target,
    load,
    sent: 500,
    sentPerSec: load === 'max' ? 900 : load,
    accepted: 500,
    refused: {},
    filled: 500,
    rejected: {},
    missing: 0,
    fillsPerSec,
    latencyMs: { p50, p90: p50 * 2, p99: p50 * 4, max: p50 * 6 },
    latencyPercentiles: PERCENTILES.map((p) => [p, p50 * (0.5 + p / 50)]),
    segmentsMs:
      target === 'platform'
        ? { gateway: { p50: p50 / 4, p99: p50 }, 'agent-mcp': { p50: p50 / 4, p99: p50 }, 'exec-sim': { p50: p50 / 2, p99: p50 * 2 } }
        : { publish: { p50: 1, p99: 2 }, 'hop 1': { p50: 2, p99: 4 }, 'hop 2': { p50: 2, p99: 4 } },
    drainSeconds: 0.1,
    memoryKb:
      target === 'platform'
        ? {
            gateway: { rss: 120_000, peak: 130_000 },
            'agent-mcp': { rss: 125_000, peak: 140_000 },
            'nats-server': { rss: 20_000, peak: 30_000 },
          }
        : { 'relay-hop-1': { rss: 80_000, peak: 85_000 }, 'nats-server': { rss: 20_000, peak: 30_000 } },
  };
}

const FIXTURES: Record<string, unknown> = {
  'end-to-end.json': {
    settings: { seconds: 1 },
    runs: [
      e2eRun('relay', 50, 50, 4),
      e2eRun('platform', 50, 50, 30),
      e2eRun('relay', 'max', 1800, 300),
      e2eRun('platform', 'max', 420, 900),
    ],
  },
  'gateway.json': {
    summary: [
      { target: 'bare', connections: 16, reqPerSec: 4000, p50Ms: 3, p99Ms: 9, p999Ms: 20 },
      { target: 'gateway', connections: 16, reqPerSec: 1600, p50Ms: 8, p99Ms: 30, p999Ms: 58 },
    ],
  },
  'exec-sim.json': {
    summary: [
      { target: 'relay', inFlight: 256, intentsPerSec: 9000, p50Ms: 20, p99Ms: 40 },
      { target: 'exec-sim', inFlight: 256, intentsPerSec: 3000, p50Ms: 60, p99Ms: 120 },
    ],
  },
  'validators.json': { rows: [{ subject: 'signals.raw', standaloneOps: 2_200_000, runtimeOps: 1_500_000, ratio: 1.47 }] },
  'generate-scaling.json': {
    sizes: [10, 50, 100].map((channels) => ({
      channels,
      generateCliMs: 3000 + channels * 20,
      generateMs: channels * 40,
      compatCliMs: 1000 + channels * 10,
      compatMs: channels * 8,
    })),
  },
  'something-new.json': { figures: [1, 2, 3] },
};

/** Charts the fixtures must give: throughput, a latency chart per load, the split, memory; one bar and one latency chart per service bench. */
const EXPECTED_CHARTS = [
  'e2e-throughput',
  'e2e-latency-50',
  'e2e-latency-max',
  'e2e-segments',
  'e2e-memory',
  'gateway-throughput',
  'gateway-latency-16',
  'exec-sim-throughput',
  'exec-sim-latency-256',
  'validators',
  'generate-scaling',
];

describe('benchmark report', () => {
  let dir: string;
  let report: Report;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-report-test-'));
    for (const [file, data] of Object.entries(FIXTURES)) writeFileSync(path.join(dir, file), JSON.stringify(data));
    writeFileSync(path.join(dir, 'broken.json'), '{ "runs": [');
    report = buildReport(dir, new Date('2026-11-25T12:00:00Z'));
    writeFileSync(path.join(dir, 'index.html'), report.html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${path.join(dir, 'index.html')}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every known benchmark and names the file it could not read', () => {
    expect(report.sections).toEqual(['end-to-end', 'gateway', 'exec-sim', 'validators', 'generate-scaling']);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/^broken\.json: /);
  });

  it('renders each chart visible, with bars or lines in it', async () => {
    const ids = await page.locator('figure.chart').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-chart')));
    expect(ids).toEqual(EXPECTED_CHARTS);
    for (const id of EXPECTED_CHARTS) {
      const figure = page.locator(`figure.chart[data-chart="${id}"]`);
      const svg = figure.locator('svg');
      await expect.poll(() => svg.isVisible(), { message: `${id} visible` }).toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width, id).toBeGreaterThan(300);
      expect(box?.height, id).toBeGreaterThan(150);
      const marks = figure.locator('rect.bar, path.series');
      expect(await marks.count(), `${id} has marks`).toBeGreaterThan(0);
      const sizes = await marks.evaluateAll((nodes) =>
        nodes.map((n) => {
          const { width, height } = (n as unknown as { getBBox(): { width: number; height: number } }).getBBox();
          return { width, height };
        }),
      );
      expect(
        sizes.every((s) => s.width > 0 || s.height > 0),
        `${id}: every mark has a size`,
      ).toBe(true);
    }
  });

  it('draws the ceilings dashed beside the real targets, at the figures given', async () => {
    const relay = page.locator('figure[data-chart="e2e-latency-max"] path.series[data-series="relay (ceiling)"]');
    expect(await relay.getAttribute('stroke-dasharray')).toBeTruthy();
    const platform = page.locator('figure[data-chart="e2e-latency-max"] path.series[data-series="platform"]');
    expect(await platform.getAttribute('stroke-dasharray')).toBeNull();
    const bare = page.locator('figure[data-chart="gateway-latency-16"] path.series[data-series="bare (ceiling)"]');
    expect(await bare.getAttribute('stroke-dasharray')).toBeTruthy();
    const titles = await page.locator('figure[data-chart="e2e-throughput"] rect.bar title').allTextContents();
    expect(titles).toContain('platform, max: 420');
    expect(titles).toContain('relay (ceiling), max: 1,800');
  });

  it('shows unknown files as raw JSON and fetches nothing from the network', async () => {
    await expect.poll(() => page.locator('#something-new pre').textContent()).toContain('"figures"');
    expect(await page.locator('#broken .problem').textContent()).toContain('could not read');
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
  });
});
