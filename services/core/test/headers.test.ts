import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { buildEventHeaders, createEventMeta, EventHeader, eventHeaders, parseEventHeaders } from '../src/nats/headers.js';
import { childTraceparent, newTraceparent, parseTraceparent } from '../src/nats/trace-context.js';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;
const base = { eventId: 'evt-1', subject: 'orders.placed', schemaVersion: '1.2.0', source: 'exec-sim' };

describe('buildEventHeaders', () => {
  it('writes the CloudEvents NATS binding and uses the event id as Nats-Msg-Id', () => {
    const h = buildEventHeaders({ ...base, time: new Date('2025-01-02T03:04:05Z'), causationId: 'evt-0' });
    expect(h.get(EventHeader.MsgId)).toBe('evt-1');
    expect(h.get('ce-id')).toBe('evt-1');
    expect(h.get('ce-specversion')).toBe('1.0');
    expect(h.get('ce-type')).toBe('orders.placed');
    expect(h.get('ce-source')).toBe('exec-sim');
    expect(h.get('ce-time')).toBe('2025-01-02T03:04:05.000Z');
    expect(h.get('ce-schemaversion')).toBe('1.2.0');
    expect(h.get('ce-datacontenttype')).toBe('application/json');
    expect(h.get('ce-causationid')).toBe('evt-0');
    expect(h.get('traceparent')).toMatch(TRACEPARENT);
  });

  it('starts the correlation at the event id and omits an absent causation', () => {
    const h = buildEventHeaders(base);
    expect(h.get('ce-correlationid')).toBe('evt-1');
    expect(h.has('ce-causationid')).toBe(false);
  });

  it('continues the parent trace with a new span', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const meta = createEventMeta({ ...base, traceparent: parent });
    expect(meta.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(meta.traceparent).not.toBe(parent);
  });
});

describe('parseEventHeaders', () => {
  it('round-trips what was built', () => {
    const meta = createEventMeta({ ...base, correlationId: 'corr-9', causationId: 'evt-0' });
    expect(parseEventHeaders(eventHeaders(meta))).toEqual({ ok: true, value: meta });
  });

  it('reads header names case-insensitively, as other clients may canonicalise them', () => {
    const h = headers();
    for (const [name, value] of [
      ['Ce-Id', 'e'],
      ['Ce-Type', 's'],
      ['Ce-Source', 'x'],
      ['Ce-Time', '2025-01-01T00:00:00Z'],
      ['Ce-Schemaversion', '1.0.0'],
    ]) {
      h.set(name as string, value as string);
    }
    const parsed = parseEventHeaders(h);
    expect(parsed.ok && parsed.value).toMatchObject({ eventId: 'e', subject: 's', correlationId: 'e', schemaVersion: '1.0.0' });
  });

  it('names every missing header, and a bad time', () => {
    const h = headers();
    h.set('ce-id', 'e');
    h.set('ce-time', 'not a time');
    const parsed = parseEventHeaders(h);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path)).toEqual([
      '/headers/ce-type',
      '/headers/ce-source',
      '/headers/ce-schemaversion',
      '/headers/ce-time',
    ]);
    expect(parseEventHeaders(undefined).ok).toBe(false);
  });

  it('drops a malformed traceparent instead of rejecting the event', () => {
    const h = buildEventHeaders(base);
    h.set('traceparent', 'garbage');
    const parsed = parseEventHeaders(h);
    expect(parsed.ok && parsed.value.traceparent).toBe(undefined);
  });
});

describe('trace context', () => {
  it('creates valid, distinct traceparents', () => {
    const a = newTraceparent();
    expect(a).toMatch(TRACEPARENT);
    expect(a).not.toBe(newTraceparent());
  });

  it('rejects all-zero ids and the forbidden version', () => {
    expect(parseTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
    expect(parseTraceparent(`ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01`)).toBeUndefined();
    expect(childTraceparent('nonsense')).toMatch(TRACEPARENT);
  });

  it('keeps the sampling flags of the parent', () => {
    expect(childTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00')).toMatch(/-00$/);
  });
});
