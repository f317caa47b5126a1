// observability against a real nats-server: the tap counts every subject's events by version,
// judges them against their contracts (violations counted and alerted once per subject and
// version, never for alerts.fired itself), measures signal -> intent -> fill latency from event
// headers, alerts on consumer lag and dead letters through the JetStream API, and answers
// /health, /ready and /metrics over real HTTP; the process itself starts and stops on SIGTERM.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertFired, provisionStreams, REGISTRY, STREAM_SUBJECTS, validateAlertFired } from '../../../generated/index.js';
import * as clients from '../../../generated/nats.js';
import {
  buildEventHeaders,
  connectNats,
  createLogger,
  type EventContract,
  type NatsRuntime,
  type PublishEventOptions,
  publishEvent,
} from '../../core/src/index.js';
import { eventsOn, waitFor } from '../../core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { spawnServiceProcess } from '../../core/src/testing/service-process.js';
import { loadObservabilityConfig } from '../src/config.js';
import { type RunningObservability, startObservability } from '../src/observability.js';
import { sampleValue } from './support/exposition.js';

const STREAM = 'trading-events';
const LAG_THRESHOLD = 3;
const logger = createLogger({ service: 'observability-test', env: 'test', level: 'silent' });

const contracts = (Object.values(clients) as unknown[]).filter(
  (value): value is EventContract<unknown> => typeof value === 'object' && value !== null && 'subject' in value && 'validate' in value,
);
const contractOf = (subject: string) => {
  const contract = contracts.find((c) => c.subject === subject);
  if (!contract) throw new Error(`no generated contract for ${subject}`);
  return contract;
};
const exampleOf = (subject: string) => structuredClone(REGISTRY.find((e) => e.subject === subject)?.examples[0]?.payload);

let server: NatsServerHandle;
let client: NatsRuntime;
let obs: RunningObservability;

const scrape = async () => (await fetch(`${obs.url}/metrics`)).text();
const metric = async (name: string, labels: Record<string, string> = {}) => sampleValue(await scrape(), name, labels) ?? 0;
const waitForMetric = (name: string, labels: Record<string, string>, atLeast: number) =>
  waitFor(async () => (await metric(name, labels)) >= atLeast, `${name}${JSON.stringify(labels)} >= ${atLeast}`);
const alertsPublished = () => eventsOn<AlertFired>(client.jsm, STREAM, 'alerts.fired');
const publish = (subject: string, payload: unknown, options: Partial<PublishEventOptions> = {}) =>
  publishEvent(client.js, contractOf(subject), payload, { source: 'observability-test', ...options });

/** Bytes on a subject with hand-made headers: what a producer that skips the generated client could send. */
async function publishRaw(subject: string, body: string, schemaVersion = '1.0.0'): Promise<void> {
  const eventId = randomUUID();
  const headers = buildEventHeaders({ eventId, subject, schemaVersion, source: 'rogue-producer' });
  await client.js.publish(subject, body, { headers, msgID: eventId });
}

beforeAll(async () => {
  server = await startNatsServer();
  client = await connectNats({ servers: server.url, name: 'observability-test', reconnectTimeWaitMs: 100 });
  // Every service's consumers, as `make dev` provisions them: nobody consumes here, so they lag.
  await provisionStreams(client.jsm, { stream: STREAM });
  obs = await startObservability(
    loadObservabilityConfig({
      NATS_URL: server.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      OBSERVABILITY_LAG_ALERT_THRESHOLD: String(LAG_THRESHOLD),
      OBSERVABILITY_WATCH_INTERVAL_MS: '200',
    }),
    logger,
  );
});

afterAll(async () => {
  await obs?.stop();
  await client?.close();
  await server?.stop();
});

describe('event tap', () => {
  it('counts a valid event of every subject by subject and schema version', async () => {
    expect(REGISTRY.map((e) => e.subject).sort()).toEqual([...STREAM_SUBJECTS].sort());
    for (const entry of REGISTRY) await publish(entry.subject, exampleOf(entry.subject));
    for (const entry of REGISTRY) {
      await waitForMetric('observability_events_total', { subject: entry.subject, schema_version: entry.version }, 1);
    }
    const text = await scrape();
    for (const entry of REGISTRY) {
      expect(sampleValue(text, 'observability_contract_violations_total', { subject: entry.subject }), entry.subject).toBeUndefined();
    }
  });

  it('counts a rogue payload as a violation of its subject and version, and alerts once per subject and version', async () => {
    await publishRaw('signals.raw', '{"rogue":true}');
    await waitForMetric('observability_contract_violations_total', { subject: 'signals.raw', schema_version: '1.0.0' }, 1);
    const isRawViolation = (a: AlertFired) =>
      a.rule === 'ContractViolation' && a.labels.subject === 'signals.raw' && a.labels.schema_version === '1.0.0';
    await waitFor(async () => (await alertsPublished()).some(isRawViolation), 'the ContractViolation alert on alerts.fired');

    const [alert] = (await alertsPublished()).filter(isRawViolation);
    expect(validateAlertFired(alert)).toMatchObject({ ok: true });
    expect(alert).toMatchObject({ severity: 'warning', status: 'firing', labels: { subject: 'signals.raw', schema_version: '1.0.0' } });
    expect(alert?.summary).toContain('validation_failed');
    expect(alert?.description).toContain('unexpected field "rogue"');

    // A flood of the same violation keeps the one alert open instead of raising more.
    await publishRaw('signals.raw', '{"rogue":2}');
    await publishRaw('signals.raw', 'not json');
    await waitForMetric('observability_contract_violations_total', { subject: 'signals.raw', schema_version: '1.0.0' }, 3);
    expect((await alertsPublished()).filter(isRawViolation)).toHaveLength(1);
    expect(await metric('observability_alerts_published_total', { rule: 'ContractViolation', status: 'firing' })).toBe(1);
  });

  it('counts an unknown major version as a violation under that version, with its own alert', async () => {
    await publishRaw('signals.normalized', JSON.stringify(exampleOf('signals.normalized')), '9.0.0');
    await waitForMetric('observability_contract_violations_total', { subject: 'signals.normalized', schema_version: '9.0.0' }, 1);
    await waitFor(
      async () => (await alertsPublished()).some((a) => a.labels.schema_version === '9.0.0' && a.summary.includes('unknown_major_version')),
      'the unknown-major alert',
    );
    expect(await metric('observability_events_total', { subject: 'signals.normalized', schema_version: '9.0.0' })).toBe(1);
  });

  it('counts violations on alerts.fired but never alerts on them (no alert loop)', async () => {
    const before = (await alertsPublished()).length;
    await publishRaw('alerts.fired', '{"alertId":""}');
    await waitForMetric('observability_contract_violations_total', { subject: 'alerts.fired', schema_version: '1.0.0' }, 1);
    // The tap decides when it counts: once the count shows, any alert for it would already be firing.
    expect(obs.firingAlerts().filter((a) => a.labels.subject === 'alerts.fired')).toEqual([]);
    // Its own alerts are events like any other: counted, valid.
    expect(await metric('observability_events_total', { subject: 'alerts.fired', schema_version: '1.0.0' })).toBeGreaterThanOrEqual(before);
  });
});

describe('end-to-end latency', () => {
  const T0 = Date.parse('2026-11-24T14:30:00.000Z');
  const at = (ms: number) => new Date(T0 + ms);

  async function chain(options: { intentFirst: boolean }): Promise<void> {
    const correlationId = randomUUID();
    const signalId = randomUUID();
    const intentId = randomUUID();
    const sendSignal = () =>
      publish('signals.normalized', exampleOf('signals.normalized'), { eventId: signalId, correlationId, time: at(0) });
    const sendIntentAndFill = async () => {
      await publish('decisions.order_intent', exampleOf('decisions.order_intent'), {
        eventId: intentId,
        causationId: signalId,
        correlationId,
        time: at(250),
      });
      await publish('executions.fill', exampleOf('executions.fill'), { causationId: intentId, correlationId, time: at(1500) });
    };
    if (!options.intentFirst) return sendSignal().then(sendIntentAndFill);
    const intents = await metric('observability_events_total', { subject: 'executions.fill' });
    await sendIntentAndFill();
    // The intent and fill are seen (and wait) before their signal exists.
    await waitForMetric('observability_events_total', { subject: 'executions.fill', schema_version: '1.0.0' }, intents + 1);
    await sendSignal();
  }

  it('observes signal -> intent and signal -> fill from ce-time, in either order of arrival', async () => {
    await chain({ intentFirst: false });
    await waitForMetric('observability_signal_to_fill_seconds_count', {}, 1);
    await waitForMetric('observability_signal_to_intent_seconds_count', {}, 1);
    let text = await scrape();
    expect(sampleValue(text, 'observability_signal_to_intent_seconds_sum')).toBeCloseTo(0.25, 6);
    expect(sampleValue(text, 'observability_signal_to_intent_seconds_bucket', { le: '0.1' })).toBe(0);
    expect(sampleValue(text, 'observability_signal_to_intent_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(sampleValue(text, 'observability_signal_to_fill_seconds_sum')).toBeCloseTo(1.5, 6);
    expect(sampleValue(text, 'observability_signal_to_fill_seconds_bucket', { le: '1' })).toBe(0);
    expect(sampleValue(text, 'observability_signal_to_fill_seconds_bucket', { le: '2.5' })).toBe(1);

    await chain({ intentFirst: true });
    await waitForMetric('observability_signal_to_fill_seconds_count', {}, 2);
    await waitForMetric('observability_signal_to_intent_seconds_count', {}, 2);
    text = await scrape();
    expect(sampleValue(text, 'observability_signal_to_intent_seconds_sum')).toBeCloseTo(0.5, 6);
    expect(sampleValue(text, 'observability_signal_to_fill_seconds_sum')).toBeCloseTo(3, 6);
  });
});

describe('JetStream watch', () => {
  const lagAlerts = async (durable: string, status: AlertFired['status']) =>
    (await alertsPublished()).filter((a) => a.rule === 'ConsumerLagHigh' && a.labels.durable === durable && a.status === status);

  it('alerts when a consumer falls more than the threshold behind, and resolves when it catches up', async () => {
    for (let i = 0; i <= LAG_THRESHOLD; i++) await publish('signals.normalized', exampleOf('signals.normalized'));
    const info = await client.jsm.consumers.info(STREAM, 'agent-mcp-signals');
    expect(info.num_pending).toBeGreaterThan(LAG_THRESHOLD);
    await waitFor(async () => (await lagAlerts('agent-mcp-signals', 'firing')).length === 1, 'ConsumerLagHigh for agent-mcp-signals');
    const [firing] = await lagAlerts('agent-mcp-signals', 'firing');
    expect(validateAlertFired(firing)).toMatchObject({ ok: true });
    expect(firing).toMatchObject({
      labels: { service: 'agent-mcp', stream: STREAM, durable: 'agent-mcp-signals', subject: 'signals.normalized' },
    });

    // agent-mcp catches up: everything delivered and acked.
    const consumer = await client.js.consumers.get(STREAM, 'agent-mcp-signals');
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    for await (const msg of batch) msg.ack();
    await waitFor(async () => (await lagAlerts('agent-mcp-signals', 'resolved')).length === 1, 'the resolved ConsumerLagHigh');
    const [resolved] = await lagAlerts('agent-mcp-signals', 'resolved');
    expect(resolved).toMatchObject({ alertId: firing?.alertId, startsAt: firing?.startsAt, endsAt: expect.any(String) });
    expect(validateAlertFired(resolved)).toMatchObject({ ok: true });
  });

  it('alerts when dead letters arrive for a subject', async () => {
    await client.js.publish('dlq.executions.order', '{"broken":true}', {
      headers: buildEventHeaders({ eventId: randomUUID(), subject: 'executions.order', schemaVersion: '1.0.0', source: 'test' }),
    });
    await waitFor(
      async () => (await alertsPublished()).some((a) => a.rule === 'DeadLettersGrowing' && a.labels.subject === 'executions.order'),
      'DeadLettersGrowing for executions.order',
    );
    const alert = (await alertsPublished()).find((a) => a.rule === 'DeadLettersGrowing');
    expect(alert).toMatchObject({ labels: { stream: `${STREAM}-dlq`, subject: 'executions.order' }, status: 'firing' });
    expect(alert?.summary).toContain('1 messages from executions.order');
  });
});

describe('HTTP', () => {
  it('answers /health, and /ready with NATS, the stream and every tap consumer', async () => {
    const health = await fetch(`${obs.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${obs.url}/ready`);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(ready.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(
      [
        'nats',
        'stream',
        'tap',
        ...[
          'decisions-order-intent',
          'executions-fill',
          'executions-order',
          'executions-reconcile',
          'signals-normalized',
          'signals-raw',
        ].map((s) => `consumer:observability-${s}`),
      ].sort(),
    );
  });

  it('is not ready, and says why, when a tap consumer is gone', async () => {
    await client.jsm.consumers.delete(STREAM, 'observability-executions-reconcile');
    const ready = await fetch(`${obs.url}/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks['consumer:observability-executions-reconcile']).toEqual({
      ok: false,
      detail: `consumer observability-executions-reconcile not bound on ${STREAM}`,
    });
  });
});

describe('the process', () => {
  it('starts from main.ts, becomes ready, and exits 0 on SIGTERM', async () => {
    // Its own broker: the process provisions the stream and its consumers on an empty server.
    const broker = await startNatsServer();
    const child = await spawnServiceProcess({
      name: 'observability',
      main: 'services/observability/src/main.ts',
      env: { NATS_URL: broker.url },
    });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${child.port}/ready`)).status === 200, 'the child ready');
      expect(await child.stop()).toBe(0);
      expect(child.output()).toContain('"msg":"stopped"');
    } finally {
      child.child.kill('SIGKILL');
      await broker.stop();
    }
  });

  it('refuses a bad threshold with a message naming the variable', () => {
    expect(() => loadObservabilityConfig({ OBSERVABILITY_LAG_ALERT_THRESHOLD: 'lots' })).toThrow(/OBSERVABILITY_LAG_ALERT_THRESHOLD/);
  });
});
