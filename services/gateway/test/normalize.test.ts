import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../../generated/registry.js';
import type { SignalNormalized, SignalRaw } from '../../../generated/types.js';
import { validateSignalNormalized } from '../../../generated/validators.js';
import { loadInstrumentCatalog } from '../../core/src/instruments/index.js';
import { normalizeTradingView, type TradingViewWebhookInput } from '../src/domain/normalize.js';
import { type ExpectedSignal, FAILING_SAMPLES, PASSING_SAMPLES, RECEIVED_AT } from './support/tradingview-corpus.js';

const catalog = loadInstrumentCatalog();

function webhook(body: string | Record<string, unknown>, contentType?: string, receivedAt = RECEIVED_AT): TradingViewWebhookInput {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    rawSignalId: 'ef3ed9d8-9de4-5759-ad45-e3d5eda35170',
    idempotencyKey: `tradingview:sha256:${text.length}`,
    source: 'tradingview',
    receivedAt,
    body: text,
    contentType: contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'),
  };
}

/** The fields a sample states; the always-compared ones are present even when undefined. */
function projection(signal: SignalNormalized, expected: ExpectedSignal): Record<string, unknown> {
  const keys = ['instrument', 'action', 'side', 'quantity', 'price', 'interval', 'eventTime', ...Object.keys(expected)] as const;
  return Object.fromEntries(keys.map((key) => [key, signal[key as keyof SignalNormalized]]));
}

describe('normalizeTradingView: the passing corpus', () => {
  it('has at least 40 samples', () => {
    expect(PASSING_SAMPLES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PASSING_SAMPLES)('$name', ({ body, contentType, receivedAt, expected }) => {
    const result = normalizeTradingView(webhook(body, contentType, receivedAt), catalog);
    if (!result.ok) throw new Error(`expected a signal, got: ${result.reason}`);
    expect(projection(result.signal, expected)).toEqual(expected);
    expect(result.signal.receivedAt).toBe(receivedAt ?? RECEIVED_AT);
    expect(validateSignalNormalized(result.signal)).toEqual({ ok: true, value: result.signal });
  });
});

describe('normalizeTradingView: the failing corpus', () => {
  it('has at least 15 samples', () => {
    expect(FAILING_SAMPLES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(FAILING_SAMPLES)('$name', ({ body, contentType, reason }) => {
    expect(normalizeTradingView(webhook(body, contentType), catalog)).toEqual({ ok: false, reason });
  });
});

describe('normalizeTradingView: ids and fields around the parse', () => {
  const body = { ticker: 'ES1!', action: 'buy', contracts: 1 };

  it('derives signalId deterministically from the idempotency key, as a version 5 UUID', () => {
    const first = normalizeTradingView(webhook(body), catalog);
    const again = normalizeTradingView(webhook(body), catalog);
    const other = normalizeTradingView({ ...webhook(body), idempotencyKey: 'tradingview:alert:other' }, catalog);
    if (!first.ok || !again.ok || !other.ok) throw new Error('expected signals');
    expect(first.signal.signalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.signal.signalId).toBe(first.signal.signalId);
    expect(other.signal.signalId).not.toBe(first.signal.signalId);
    expect(first.signal.signalId).not.toBe(first.signal.rawSignalId);
  });

  it('carries rawSignalId, idempotencyKey and source through', () => {
    const input = webhook(body);
    const result = normalizeTradingView(input, catalog);
    expect(result).toMatchObject({
      ok: true,
      signal: { rawSignalId: input.rawSignalId, idempotencyKey: input.idempotencyKey, source: 'tradingview' },
    });
  });

  it('resolves a one-digit year against the receipt time, not the clock', () => {
    const in2029 = normalizeTradingView(webhook({ ticker: 'ESH0', action: 'buy' }, undefined, '2029-06-01T00:00:00Z'), catalog);
    expect(in2029).toMatchObject({ ok: true, signal: { instrument: { symbol: 'ESH0', contractMonth: '2030-03' } } });
  });

  it('cuts strategy text to the contract limits instead of refusing the signal', () => {
    const result = normalizeTradingView(webhook({ ...body, comment: 'x'.repeat(5000), alert_message: 'y'.repeat(5000) }), catalog);
    if (!result.ok) throw new Error(result.reason);
    expect(result.signal.strategy?.comment).toHaveLength(1024);
    expect(result.signal.strategy?.alertMessage).toHaveLength(4000);
  });

  it('refuses a body that arrived as base64 (not UTF-8)', () => {
    const input = { ...webhook(''), body: Buffer.from([0xff, 0xfe]).toString('base64'), bodyEncoding: 'base64' as const };
    expect(normalizeTradingView(input, catalog)).toEqual({ ok: false, reason: 'the body is not UTF-8 text' });
  });

  it('refuses a receipt time that is not a timestamp', () => {
    expect(normalizeTradingView(webhook(body, undefined, 'soon'), catalog)).toEqual({
      ok: false,
      reason: 'receivedAt "soon" is not a timestamp',
    });
  });
});

describe("normalizeTradingView: the contract's examples", () => {
  const raw = REGISTRY.find((e) => e.subject === 'signals.raw')?.examples ?? [];
  const normalized = REGISTRY.find((e) => e.subject === 'signals.normalized')?.examples ?? [];
  // Where the examples and this normalizer knowingly differ: the examples' ids are illustrative;
  // the crypto example leaves out the order hint where this normalizer says "market" (nothing
  // suggested a limit or stop); the fx exit example states a closing side its body does not carry.
  const deviations: Record<string, Partial<SignalNormalized>> = {
    tradingviewJsonStrategyAlert: {},
    tradingviewPlainTextIndicatorAlert: { orderTypeHint: 'market' },
    tradingviewJsonAlertWithAlertId: { side: undefined },
  };

  it('pairs every raw example with a normalized one', () => {
    expect(raw.map((e) => e.name)).toEqual(Object.keys(deviations));
    expect(normalized).toHaveLength(raw.length);
  });

  it.each(
    raw.map((example, i) => ({
      name: example.name,
      payload: example.payload as SignalRaw,
      expected: normalized[i]?.payload as SignalNormalized,
    })),
  )('raw example $name normalizes to the matching normalized example', ({ name, payload, expected }) => {
    const result = normalizeTradingView(payload, catalog);
    if (!result.ok) throw new Error(result.reason);
    const { signalId: _ours, ...ours } = result.signal;
    const { signalId: _theirs, ...theirs } = { ...expected, ...deviations[name] };
    expect(ours).toEqual(JSON.parse(JSON.stringify(theirs)));
  });
});
