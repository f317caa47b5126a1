// The runtime's pure parts: deterministic ids, the agents file, the signal ring, exec-sim's client.
import { describe, expect, it } from 'vitest';
import type { SignalNormalized } from '../../../generated/index.js';
import { deterministicId } from '../../core/src/index.js';
import { AgentsConfigError, DEFAULT_AGENTS_CONFIG, loadAgentsConfig, parseAgentsConfig } from '../src/runtime/agents-file.js';
import { ExecSimClient } from '../src/runtime/execution-client.js';
import { agentClientOrderId, intentEventId } from '../src/runtime/ids.js';
import { SignalRing } from '../src/runtime/signal-ring.js';

describe('ids', () => {
  it('derives a short, venue-safe, deterministic clientOrderId per agent, signal and leg', () => {
    const id = agentClientOrderId('tv-follow', 'tradingview:alert:42');
    expect(id).toMatch(/^ag-[0-9a-f]{32}$/);
    expect(id.length).toBeLessThanOrEqual(36);
    expect(id).toMatch(/^[A-Za-z0-9._:/-]+$/);
    expect(agentClientOrderId('tv-follow', 'tradingview:alert:42')).toBe(id);
    expect(agentClientOrderId('momentum', 'tradingview:alert:42')).not.toBe(id);
    expect(agentClientOrderId('tv-follow', 'tradingview:alert:42', 1)).not.toBe(id);
    expect(intentEventId(id)).toBe(deterministicId('decisions.order_intent', id));
  });
});

describe('agents file', () => {
  it('loads the shipped agents.yaml: one tradingview-follow, one momentum', () => {
    const specs = loadAgentsConfig(DEFAULT_AGENTS_CONFIG);
    expect(specs.map((s) => s.kind).sort()).toEqual(['momentum', 'tradingview-follow']);
    expect(specs.every((s) => s.enabled)).toBe(true);
  });

  it('applies defaults and AGENTS_DISABLED', () => {
    const specs = parseAgentsConfig(
      { agents: [{ id: 'a', kind: 'momentum', config: { lookback: 3, threshold: 0, quantity: 1 } }] },
      'inline',
      ['a'],
    );
    expect(specs).toEqual([
      {
        id: 'a',
        kind: 'momentum',
        enabled: false,
        strategyId: 'a',
        config: expect.objectContaining({ lookback: 3, mode: 'momentum', allowShort: true }),
      },
    ]);
  });

  it('names the bad agent and field', () => {
    const bad = () =>
      parseAgentsConfig(
        {
          agents: [
            { id: 'ok', kind: 'tradingview-follow' },
            { id: 'ok', kind: 'momentum', config: { lookback: 0, threshold: 0, quantity: 1 } },
            { id: 'bad id', kind: 'x' },
          ],
        },
        'agents.yaml',
      );
    expect(bad).toThrow(AgentsConfigError);
    expect(bad).toThrow(/agents\.2\.id: must be 1-48/);
    try {
      parseAgentsConfig(
        {
          agents: [
            { id: 'ok', kind: 'tradingview-follow' },
            { id: 'ok', kind: 'momentum', config: { lookback: 0, threshold: 0, quantity: 1 } },
            { id: 'k', kind: 'nope' },
          ],
        },
        'agents.yaml',
      );
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('agents.1.id: duplicate agent id "ok"');
      expect(message).toContain('agents.1.config.lookback: must be at least 1');
      expect(message).toContain('agents.2.kind: unknown agent kind "nope"');
    }
  });
});

describe('SignalRing', () => {
  const sig = (i: number, symbol = 'ESZ6', assetClass: 'futures' | 'fx' = 'futures'): SignalNormalized => ({
    signalId: `id-${i}`,
    rawSignalId: `raw-${i}`,
    idempotencyKey: `k-${i}`,
    source: 'tradingview',
    instrument: { symbol, assetClass, venue: assetClass === 'fx' ? 'OANDA' : 'CME' },
    action: 'buy',
    eventTime: '2026-01-01T00:00:00Z',
    receivedAt: '2026-01-01T00:00:00Z',
  });

  it('keeps the last N, newest first, without duplicates, filtered by symbol and asset class', () => {
    const ring = new SignalRing(3);
    for (let i = 1; i <= 4; i++) ring.push(sig(i, i % 2 ? 'ESZ6' : 'EURUSD', i % 2 ? 'futures' : 'fx'));
    ring.push(sig(4, 'EURUSD', 'fx'));
    expect(ring.recent().map((s) => s.signalId)).toEqual(['id-4', 'id-3', 'id-2']);
    expect(ring.recent({ symbol: 'esz6' }).map((s) => s.signalId)).toEqual(['id-3']);
    expect(ring.recent({ assetClass: 'fx', limit: 1 }).map((s) => s.signalId)).toEqual(['id-4']);
  });
});

describe('ExecSimClient', () => {
  it('reads the trade API and cancels with the bearer key', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (url.includes('/cancel')) return Response.json({ error: 'no order' }, { status: 404 });
      if (url.includes('/orders')) return Response.json({ orders: [{ clientOrderId: 'a' }] });
      if (url.includes('/fills')) return Response.json({ fills: [] });
      if (url.includes('/positions')) return Response.json({ positions: [{ quantity: 1 }] });
      return Response.json({ realized: 0 });
    }) as typeof fetch;
    const client = new ExecSimClient({ baseUrl: 'http://exec:8004/', apiKey: 'k'.repeat(16), fetch: fakeFetch });
    expect(await client.orders({ status: 'open', strategyId: 'tv' })).toEqual([{ clientOrderId: 'a' }]);
    expect(calls[0]?.url).toBe('http://exec:8004/orders?status=open&strategyId=tv');
    expect(await client.fills({ limit: 5 })).toEqual([]);
    expect(await client.positions()).toEqual([{ quantity: 1 }]);
    expect(await client.pnl()).toEqual({ realized: 0 });
    expect(await client.cancel('ag-1')).toEqual({ ok: false, status: 404, body: { error: 'no order' } });
    const cancel = calls.at(-1);
    expect(cancel?.url).toBe('http://exec:8004/orders/ag-1/cancel');
    expect((cancel?.init?.headers as Record<string, string> | undefined)?.authorization).toBe(`Bearer ${'k'.repeat(16)}`);
  });
});
