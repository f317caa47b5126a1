// `make demo` end to end: the demo starts a platform of its own (nats-server from the harness,
// every service on free ports), replays the whole feed through the webhook endpoint, and the
// agents' orders are filled for several strategies. Then the HTML report is opened in headless
// Chromium: the equity curves and the latency charts must have rendered.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInstrumentCatalog, tradableInstrument } from '../../../services/core/src/index.js';
import { type DemoResult, runDemo } from '../demo.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const catalog = loadInstrumentCatalog();

describe('make demo', () => {
  let outputDir: string;
  let result: DemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    outputDir = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
    result = await runDemo({ platform: 'own', rate: 30, reportPath: path.join(outputDir, 'report.html'), log: (line) => lines.push(line) });
  }, 150_000);

  afterAll(() => {
    if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  });

  it('replays every alert through the webhook endpoint and says what it is doing', () => {
    expect(result.sent).toHaveLength(result.feed.alerts.length);
    expect(result.sent.filter((s) => s.status !== 202 || !s.signalId)).toEqual([]);
    expect(lines.some((line) => line.startsWith(`[demo] sent ${result.feed.alerts.length}/${result.feed.alerts.length} alerts`))).toBe(
      true,
    );
    expect(lines.some((line) => /^strategy\s+orders\s+filled\s+rejected\s+fills\s+PnL USD$/.test(line.split('\n')[0] ?? ''))).toBe(true);
  });

  it('gets fills for several strategies, tied to the alerts that caused them', () => {
    const filled = result.strategies.filter((s) => s.fills > 0).map((s) => s.strategyId);
    expect(filled.length).toBeGreaterThanOrEqual(3);
    expect(filled).toContain('tv-follow');
    // tv-follow follows every alert: one order per alert.
    expect(result.strategies.find((s) => s.strategyId === 'tv-follow')?.orders).toBe(result.feed.alerts.length);
    for (const { fill, seq } of result.fills) {
      const alert = result.feed.alerts[seq];
      const spec = result.feed.instruments.find((i) => i.key === alert?.instrument);
      const signalInstrument = {
        symbol: spec?.rules.symbol as string,
        assetClass: spec?.rules.assetClass ?? 'futures',
        venue: fill.instrument.venue,
      };
      // The futures alerts name ES1! and NQ1!: orders and fills name the dated contract of the alert's time.
      const sentAt = new Date(result.sent.find((s) => s.alert.seq === seq)?.sentAt as number);
      expect(fill.instrument.symbol).toBe(tradableInstrument(catalog, signalInstrument, sentAt).symbol);
    }
    // Every asset class trades, the futures included.
    const filledFutures = new Set(
      result.fills.filter(({ fill }) => fill.instrument.assetClass === 'futures').map(({ fill }) => fill.instrument.root),
    );
    expect([...filledFutures].sort()).toEqual(['ES', 'NQ']);
    expect(new Set(result.fills.map(({ fill }) => fill.instrument.assetClass))).toEqual(new Set(['futures', 'fx', 'crypto']));
    expect(result.latency.webhookToFill.length).toBe(result.fills.length);
    expect(result.latency.webhookToFill.every((ms) => ms > 0)).toBe(true);
    for (const curve of result.equity) expect(curve.points).toHaveLength(result.feed.alerts.length);
  });

  it('writes a report that renders in headless Chromium: an equity curve per strategy and the latency charts', async () => {
    expect(existsSync(result.reportPath)).toBe(true);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) errors.push(`fetched ${request.url()}`);
      });
      await page.goto(`file://${result.reportPath}`);

      const withFills = result.strategies.filter((s) => s.fills > 0).map((s) => s.strategyId);
      const curves = page.locator('svg.equity');
      expect(await curves.count()).toBe(withFills.length);
      for (const strategyId of withFills) {
        const curve = page.locator(`svg.equity[data-strategy="${strategyId}"]`);
        const box = await curve.boundingBox();
        expect(box?.width, strategyId).toBeGreaterThan(100);
        expect(box?.height, strategyId).toBeGreaterThan(100);
        const line = await curve.locator('path').boundingBox();
        expect(line?.width, `${strategyId} curve`).toBeGreaterThan(50);
      }
      for (const id of ['latency-fill', 'latency-accepted']) {
        const chart = page.locator(`svg#${id}`);
        const box = await chart.boundingBox();
        expect(box?.width, id).toBeGreaterThan(100);
        expect(box?.height, id).toBeGreaterThan(100);
        expect(await chart.locator('line.pct').count(), `${id} p50/p90/p99`).toBe(3);
        const heights = await chart.locator('rect.bar').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('height'))));
        // The tallest bar, as laid out on the page.
        const tallest = await chart
          .locator('rect.bar')
          .nth(heights.indexOf(Math.max(...heights)))
          .boundingBox();
        expect(tallest?.height, `${id} tallest bar`).toBeGreaterThan(10);
      }
      // biome-ignore lint/performance/useDomNodeTextContent: the test reads what a person sees, as rendered
      const text = await page.locator('body').innerText();
      for (const name of ['p50', 'p90', 'p99']) expect(text).toContain(name);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
