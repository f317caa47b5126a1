// The broker metrics every service exports: connection state, consumer backlog, dead letters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams } from '../../../generated/index.js';
import { connectNats, createMetrics, type NatsRuntime, registerNatsMetrics } from '../src/index.js';
import { type NatsServerHandle, startNatsServer } from '../src/testing/nats-harness.js';

let server: NatsServerHandle;
let nats: NatsRuntime;

beforeAll(async () => {
  server = await startNatsServer();
  nats = await connectNats({ servers: server.url, name: 'metrics-test' });
  await provisionStreams(nats.jsm, { stream: 'trading-events' });
});

afterAll(async () => {
  await nats?.close();
  await server?.stop();
});

describe('registerNatsMetrics', () => {
  it('reports the connection, a consumer backlog and the dead-letter depth at scrape time', async () => {
    const metrics = createMetrics('test');
    registerNatsMetrics(metrics, () => nats, 'trading-events', ['exec-sim-intents']);
    await nats.js.publish('decisions.order_intent', '{}', { msgID: 'a' });
    await nats.js.publish('decisions.order_intent', '{}', { msgID: 'b' });
    await nats.js.publish('dlq.decisions.order_intent', '{}', { msgID: 'c' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^nats_connected\{service="test"\} 1$/m);
    expect(text).toMatch(/^jetstream_consumer_pending_messages\{consumer="exec-sim-intents",service="test"\} 2$/m);
    expect(text).toMatch(/^jetstream_consumer_ack_pending_messages\{consumer="exec-sim-intents",service="test"\} 0$/m);
    expect(text).toMatch(/^jetstream_dead_letter_messages\{stream="trading-events-dlq",service="test"\} 1$/m);
  });

  it('reports 0 while there is no connection', async () => {
    const metrics = createMetrics('test');
    registerNatsMetrics(metrics, () => undefined, 'trading-events');
    expect(await metrics.registry.metrics()).toMatch(/^nats_connected\{service="test"\} 0$/m);
  });
});
