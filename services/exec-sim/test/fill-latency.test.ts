// The bookkeeping behind exec_intent_to_fill_seconds and exec_signal_to_fill_seconds.
import { describe, expect, it } from 'vitest';
import { FillLatency } from '../src/fill-latency.js';

const at = (iso: string) => Date.parse(iso);

describe('FillLatency', () => {
  it('times every fill of an order from its intent and from the signal behind it, however late', () => {
    const latency = new FillLatency();
    latency.signalSeen('sig-1', '2026-11-24T14:30:00.000Z');
    latency.intentSeen({ clientOrderId: 'o-1', orderType: 'limit', time: '2026-11-24T14:30:00.250Z', signalId: 'sig-1' });
    expect(latency.filled('o-1', at('2026-11-24T14:30:00.300Z'))).toEqual({
      orderType: 'limit',
      intentToFillSeconds: 0.05,
      signalToFillSeconds: 0.3,
    });
    // A second partial fill an hour later, on a later price.
    expect(latency.filled('o-1', at('2026-11-24T15:30:00.250Z'))).toMatchObject({
      intentToFillSeconds: 3600,
      signalToFillSeconds: 3600.25,
    });
  });

  it('leaves the signal time out when the signal is unknown, and an unknown order untimed', () => {
    const latency = new FillLatency();
    latency.intentSeen({ clientOrderId: 'manual', orderType: 'market', time: '2026-11-24T14:30:00Z' });
    latency.intentSeen({ clientOrderId: 'unseen-signal', orderType: 'market', time: '2026-11-24T14:30:00Z', signalId: 'nope' });
    expect(latency.filled('manual', at('2026-11-24T14:30:01Z'))).toEqual({ orderType: 'market', intentToFillSeconds: 1 });
    expect(latency.filled('unseen-signal', at('2026-11-24T14:30:01Z'))).toEqual({ orderType: 'market', intentToFillSeconds: 1 });
    expect(latency.filled('never-seen', at('2026-11-24T14:30:01Z'))).toBeUndefined();
  });

  it('forgets the oldest orders and signals beyond its capacity, and ignores unparseable times', () => {
    const latency = new FillLatency(2);
    latency.signalSeen('bad', 'not a time');
    for (const id of ['a', 'b', 'c']) {
      latency.signalSeen(`sig-${id}`, '2026-11-24T14:30:00Z');
      latency.intentSeen({ clientOrderId: id, orderType: 'market', time: '2026-11-24T14:30:00Z', signalId: `sig-${id}` });
    }
    const now = at('2026-11-24T14:30:02Z');
    expect(latency.filled('a', now)).toBeUndefined();
    expect(latency.filled('b', now)).toEqual({ orderType: 'market', intentToFillSeconds: 2, signalToFillSeconds: 2 });
    latency.intentSeen({ clientOrderId: 'd', orderType: 'market', time: 'garbage' });
    expect(latency.filled('d', now)).toBeUndefined();
  });
});
