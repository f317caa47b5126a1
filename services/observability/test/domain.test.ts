// The tap's pure parts: the bounded memory, the latency join, the alert book's state machine,
// the violation window, dead-letter growth and the version-label cap.
import { describe, expect, it } from 'vitest';
import type { AlertFired } from '../../../generated/index.js';
import { VersionLabels } from '../src/contracts.js';
import { AlertBook, alertFingerprint } from '../src/domain/alert-book.js';
import { ExpiringMap } from '../src/domain/expiring-map.js';
import { DeadLetterGrowth } from '../src/domain/jetstream-rules.js';
import { LatencyJoin, type TimedEvent } from '../src/domain/latency.js';
import { ViolationAlerts } from '../src/domain/violation-alerts.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ExpiringMap', () => {
  it('drops the oldest entries past its size and entries past their time to live', () => {
    const time = clock();
    const map = new ExpiringMap<string, number>({ maxEntries: 2, ttlMs: 100, now: time.now });
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([undefined, 2, 3, 2]);
    time.advance(60);
    map.set('b', 20); // re-set: a fresh time to live
    time.advance(60);
    expect([map.get('b'), map.get('c')]).toEqual([20, undefined]);
    map.set('d', 4);
    expect(map.size).toBe(2);
  });

  it('refuses bounds that would not bound anything', () => {
    expect(() => new ExpiringMap({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
  });
});

describe('LatencyJoin', () => {
  const event = (subject: string, timeMs: number, ids: Partial<TimedEvent> = {}): TimedEvent => ({
    subject,
    eventId: `${subject}-${timeMs}`,
    correlationId: 'flow-1',
    timeMs,
    ...ids,
  });

  it('measures intent by causation and fill by correlation, from the signal time', () => {
    const join = new LatencyJoin({ maxEntries: 100, ttlMs: 60_000 });
    expect(join.record(event('signals.normalized', 1_000, { eventId: 'sig-1' }))).toEqual([]);
    expect(join.record(event('decisions.order_intent', 1_200, { causationId: 'sig-1', correlationId: 'other' }))).toEqual([
      { kind: 'signal_to_intent', seconds: 0.2 },
    ]);
    expect(join.record(event('executions.fill', 3_000))).toEqual([{ kind: 'signal_to_fill', seconds: 2 }]);
    expect(join.record(event('executions.order', 3_000))).toEqual([]);
  });

  it('holds intents and fills seen before their signal until it arrives', () => {
    const join = new LatencyJoin({ maxEntries: 100, ttlMs: 60_000 });
    expect(join.record(event('executions.fill', 1_500))).toEqual([]);
    expect(join.record(event('decisions.order_intent', 1_100))).toEqual([]);
    expect(join.memory.waiting).toBe(1);
    expect(join.record(event('signals.normalized', 1_000))).toEqual([
      { kind: 'signal_to_fill', seconds: 0.5 },
      { kind: 'signal_to_intent', seconds: 0.1 },
    ]);
    expect(join.memory.waiting).toBe(0);
  });

  it('keeps the first signal of a correlation and skips negative spans (skewed clocks)', () => {
    const join = new LatencyJoin({ maxEntries: 100, ttlMs: 60_000 });
    join.record(event('signals.normalized', 1_000));
    join.record(event('signals.normalized', 2_000));
    expect(join.record(event('executions.fill', 2_500))).toEqual([{ kind: 'signal_to_fill', seconds: 1.5 }]);
    expect(join.record(event('executions.fill', 500))).toEqual([]);
  });

  it('stays within its bounds under a flood of unrelated events', () => {
    const join = new LatencyJoin({ maxEntries: 50, ttlMs: 60_000 });
    for (let i = 0; i < 10_000; i++) {
      join.record(event('signals.normalized', i, { eventId: `s${i}`, correlationId: `c${i}` }));
      join.record(event('executions.fill', i, { correlationId: `orphan${i}` }));
    }
    expect(join.memory.signals).toBeLessThanOrEqual(50);
    expect(join.memory.waiting).toBeLessThanOrEqual(50);
  });
});

describe('AlertBook', () => {
  const spec = { rule: 'ConsumerLagHigh', severity: 'warning' as const, labels: { durable: 'd', stream: 's' }, summary: 'behind' };

  it('fires once, resolves once, with a stable alertId from rule and labels', async () => {
    const published: AlertFired[] = [];
    const book = new AlertBook(
      async (a) => void published.push(a),
      () => new Date('2026-11-24T14:00:00Z'),
    );
    expect(await book.fire(spec)).toBe(true);
    expect(await book.fire(spec)).toBe(false);
    expect(await book.resolve(spec.rule, { stream: 's', durable: 'd' })).toBe(true);
    expect(await book.resolve(spec.rule, spec.labels)).toBe(false);
    expect(published.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(published[0]?.alertId).toBe(alertFingerprint('ConsumerLagHigh', { stream: 's', durable: 'd' }));
    expect(published[1]).toMatchObject({
      alertId: published[0]?.alertId,
      startsAt: '2026-11-24T14:00:00.000Z',
      endsAt: expect.any(String),
    });
  });

  it('publishes one alert for a burst, and tries again after a failed publish', async () => {
    let fail = true;
    const published: AlertFired[] = [];
    const book = new AlertBook(async (a) => {
      if (fail) throw new Error('NATS down');
      published.push(a);
    });
    const burst = [book.fire(spec), book.fire(spec), book.fire(spec)];
    expect(await Promise.allSettled(burst)).toMatchObject([
      { status: 'rejected' },
      { status: 'fulfilled', value: false },
      { status: 'fulfilled', value: false },
    ]);
    expect(book.firing()).toEqual([]);
    fail = false;
    expect(await book.fire(spec)).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('clips summaries to the contract limit', async () => {
    const published: AlertFired[] = [];
    const book = new AlertBook(async (a) => void published.push(a));
    await book.fire({ ...spec, summary: 'x'.repeat(5_000), description: 'y'.repeat(5_000) });
    expect(published[0]?.summary).toHaveLength(1024);
    expect(published[0]?.description).toHaveLength(4000);
  });
});

describe('ViolationAlerts', () => {
  it('raises one alert per subject and version, and resolves it after a quiet window', async () => {
    const time = clock();
    const published: AlertFired[] = [];
    const book = new AlertBook(async (a) => void published.push(a));
    const violations = new ViolationAlerts(
      book,
      1_000,
      (err) => {
        throw err;
      },
      time.now,
    );
    const violation = { subject: 'signals.raw', schemaVersion: '1.0.0', reason: 'validation_failed', detail: '/: bad' };
    violations.record(violation);
    violations.record(violation);
    violations.record({ ...violation, schemaVersion: '2.0.0' });
    time.advance(600);
    violations.record(violation);
    time.advance(600);
    await violations.sweep();
    expect(published.map((a) => `${a.labels.schema_version} ${a.status}`)).toEqual(['1.0.0 firing', '2.0.0 firing', '2.0.0 resolved']);
    time.advance(1_000);
    await violations.sweep();
    expect(published.map((a) => `${a.labels.schema_version} ${a.status}`).at(-1)).toBe('1.0.0 resolved');
  });
});

describe('DeadLetterGrowth', () => {
  it('takes the first read as the baseline, fires on growth per subject, and resolves after a quiet period', () => {
    const time = clock();
    const growth = new DeadLetterGrowth('events-dlq', 1_000, time.now);
    expect(growth.observe(new Map([['signals.raw', 5]]))).toEqual({ fire: [], resolve: [] });
    const grown = growth.observe(
      new Map([
        ['signals.raw', 7],
        ['executions.fill', 1],
      ]),
    );
    expect(grown.fire.map((f) => [f.labels, f.summary])).toEqual([
      [{ stream: 'events-dlq', subject: 'signals.raw' }, '2 messages from signals.raw went to the dead-letter stream events-dlq (7 there)'],
      [
        { stream: 'events-dlq', subject: 'executions.fill' },
        '1 messages from executions.fill went to the dead-letter stream events-dlq (1 there)',
      ],
    ]);
    time.advance(500);
    expect(
      growth.observe(
        new Map([
          ['signals.raw', 7],
          ['executions.fill', 1],
        ]),
      ).resolve,
    ).toEqual([]);
    time.advance(600);
    expect(
      growth.observe(
        new Map([
          ['signals.raw', 3],
          ['executions.fill', 1],
        ]),
      ),
    ).toEqual({
      fire: [],
      resolve: [
        { stream: 'events-dlq', subject: 'signals.raw' },
        { stream: 'events-dlq', subject: 'executions.fill' },
      ],
    });
  });
});

describe('VersionLabels', () => {
  it('labels versions as sent, up to a cap per subject, then "other"', () => {
    const labels = new VersionLabels(2);
    expect(['1.0.0', '2.0.0', '3.0.0', '1.0.0'].map((v) => labels.label('signals.raw', v))).toEqual(['1.0.0', '2.0.0', 'other', '1.0.0']);
    expect(labels.label('executions.fill', '3.0.0')).toBe('3.0.0');
  });
});
