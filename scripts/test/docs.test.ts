// The integrators' HTML docs: built from asyncapi.yaml by `make docs`, opened in real headless
// Chromium, and every subject of the registry must be listed on the page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../generated/registry.js';
import { buildDocs } from '../docs.js';
import { launchChromium } from './support/chromium.js';

describe('AsyncAPI HTML docs', () => {
  let outputDir: string;
  let browser: Browser;

  beforeAll(async () => {
    outputDir = mkdtempSync(path.join(tmpdir(), 'docs-test-'));
    await buildDocs(outputDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  });

  it('lists every channel, with its message and version', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${path.join(outputDir, 'index.html')}`);
    // The page renders client-side: wait until the operations list is there.
    await page.waitForFunction("document.body.innerText.includes('Operation ID')", undefined, { timeout: 30_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: the test reads what a person sees, as rendered
    const text = await page.locator('body').innerText();
    expect(REGISTRY.length).toBeGreaterThanOrEqual(6);
    for (const entry of REGISTRY) {
      // Each channel is listed as an operation ("SEND signals.raw") with its message id.
      expect(text, `send operation on ${entry.subject}`).toMatch(new RegExp(`send\\s+${entry.subject.replace('.', '\\.')}\\b`, 'i'));
      expect(text, `message ${entry.name}`).toMatch(new RegExp(`Message ID\\s*${entry.name}\\b`));
    }
    expect(await page.title()).toContain('Agentic Trading Platform events');
  });
});
