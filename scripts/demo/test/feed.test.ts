// The demo's feed: reproducible from its seed, big and varied enough, prices that behave like
// markets, and bodies the gateway's real parser turns into the signals the feed intends.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadInstrumentCatalog } from '../../../services/core/src/instruments/index.js';
import { normalizeTradingView } from '../../../services/gateway/src/domain/normalize.js';
import { FEED_INSTRUMENTS, generateFeed, seedFrom, webhookBody } from '../feed.js';

const catalog = loadInstrumentCatalog();
const feed = generateFeed(catalog, { seed: 7 });
const fingerprint = (seed: number) =>
  createHash('sha256')
    .update(JSON.stringify(generateFeed(catalog, { seed }).alerts))
    .digest('hex');

describe('the demo feed', () => {
  it('is the same for the same seed and different for another seed', () => {
    expect(generateFeed(catalog, { seed: 7 })).toEqual(feed);
    // Pinned: the same seed gives the same feed in every process and on every machine. A change
    // to the generator or the instrument catalog changes it on purpose; then pin the new value.
    expect(fingerprint(7)).toBe('4bbd17642ad28a2e119defd02f5eaf291e2e8389a4cb99ea9add967f1835bf61');
    expect(fingerprint(8)).not.toBe(fingerprint(7));
  });

  it('has at least 200 alerts across ES, NQ, EURUSD, USDJPY, BTCUSDT and ETHUSDT', () => {
    expect(feed.alerts.length).toBeGreaterThanOrEqual(200);
    const counts = new Map<string, number>();
    for (const alert of feed.alerts) counts.set(alert.instrument, (counts.get(alert.instrument) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['BTCUSDT', 'ES', 'ETHUSDT', 'EURUSD', 'NQ', 'USDJPY']);
    for (const [instrument, count] of counts) expect(count, instrument).toBeGreaterThanOrEqual(15);
    expect(feed.alerts.map((a) => a.seq)).toEqual(feed.alerts.map((_, i) => i));
  });

  it('keeps at least 200 alerts for other seeds', () => {
    for (const seed of [1, 2, 3, 99, 12345]) expect(generateFeed(catalog, { seed }).alerts.length).toBeGreaterThanOrEqual(200);
  });

  it('moves prices like a market: positive, on the tick grid, near their level, with returns of the right size', () => {
    for (const spec of feed.instruments) {
      const prices = feed.alerts.filter((a) => a.instrument === spec.key).map((a) => a.price);
      expect(prices.every((p) => p > 0)).toBe(true);
      for (const price of prices)
        expect(Math.abs(price / spec.rules.tickSize - Math.round(price / spec.rules.tickSize))).toBeLessThan(1e-6);
      expect(new Set(prices).size, `${spec.key} distinct prices`).toBeGreaterThan(prices.length / 2);
      // A few days of 5-minute bars: within ±30 % of the start level even for crypto.
      for (const price of prices) expect(Math.abs(Math.log(price / spec.startPrice))).toBeLessThan(0.3);
    }
    // Crypto moves more than FX: the per-instrument volatility shows in the prices.
    const spread = (key: string) => {
      const prices = feed.alerts.filter((a) => a.instrument === key).map((a) => a.price);
      return Math.log(Math.max(...prices) / Math.min(...prices));
    };
    expect(spread('ETHUSDT')).toBeGreaterThan(spread('EURUSD'));
  });

  it('opens and closes positions: every exit closes what the previous entry opened', () => {
    for (const spec of FEED_INSTRUMENTS) {
      let position = 0;
      for (const alert of feed.alerts.filter((a) => a.instrument === spec.key)) {
        const signed = (alert.action === 'buy' ? 1 : -1) * alert.quantity;
        if (alert.purpose === 'exit') expect(signed).toBeCloseTo(-position, 9);
        else expect(position).toBe(0);
        position = alert.positionAfter;
        expect(spec.quantities.includes(Math.abs(position)) || position === 0).toBe(true);
      }
    }
    const purposes = new Set(feed.alerts.map((a) => `${a.purpose} ${a.action}`));
    expect(purposes).toEqual(new Set(['entry buy', 'entry sell', 'exit buy', 'exit sell']));
  });

  it('sends bodies the gateway normalizes into the intended signals', () => {
    const firedAt = new Date('2025-03-05T10:00:00Z');
    for (const alert of feed.alerts) {
      const body = webhookBody(alert, firedAt);
      const result = normalizeTradingView(
        {
          rawSignalId: `raw-${alert.seq}`,
          idempotencyKey: `demo-${alert.seq}`,
          source: 'tradingview',
          receivedAt: firedAt.toISOString(),
          body,
          contentType: 'application/json',
        },
        catalog,
      );
      if (!result.ok) throw new Error(`alert ${alert.seq} (${body}) was not normalized: ${result.reason}`);
      const { signal } = result;
      const spec = feed.instruments.find((i) => i.key === alert.instrument);
      expect(signal.instrument.symbol).toBe(spec?.rules.symbol);
      expect(signal.action).toBe(alert.purpose === 'exit' ? 'exit' : alert.action);
      expect(signal.side).toBe(alert.action);
      expect(signal.quantity).toBe(alert.quantity);
      expect(signal.price).toBe(alert.price);
      expect(signal.eventTime).toBe(firedAt.toISOString());
    }
  });
});

describe('seedFrom (DEMO_SEED)', () => {
  it('takes an integer, defaults when unset and refuses anything else', () => {
    expect(seedFrom('42')).toBe(42);
    expect(seedFrom(undefined)).toBe(7);
    expect(seedFrom('')).toBe(7);
    expect(() => seedFrom('abc')).toThrow('DEMO_SEED must be an integer, got "abc"');
    expect(() => seedFrom('1.5')).toThrow('DEMO_SEED must be an integer');
  });
});
