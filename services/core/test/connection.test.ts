import type { Status } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type NatsRuntime } from '../src/nats/connection.js';
import { consumeEvents } from '../src/nats/consume.js';
import { publishEvent } from '../src/nats/publish.js';
import { ensureConsumer, ensureStream } from '../src/nats/streams.js';
import { type NatsServerHandle, startNatsServer } from '../src/testing/nats-harness.js';
import { makeContract, type OrderPlaced, order, orderSchema, waitFor } from './support/fixtures.js';

let server: NatsServerHandle;

beforeAll(async () => {
  server = await startNatsServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('connectNats', () => {
  it('connects with JetStream handles, survives a broker restart, and keeps consuming', async () => {
    const statuses: Status['type'][] = [];
    const nats: NatsRuntime = await connectNats({
      servers: server.url,
      name: 'core-test',
      reconnectTimeWaitMs: 100,
      onStatus: (status) => statuses.push(status.type),
    });
    expect(nats.connected).toBe(true);
    await ensureStream(nats.jsm, { name: 'events', subjects: ['orders.>'] });
    await ensureConsumer(nats.jsm, 'events', { durable_name: 'worker', filter_subject: 'orders.placed' });
    const contract = makeContract('orders.placed', '1.0.0', orderSchema);
    const seen: string[] = [];
    const handle = await consumeEvents<OrderPlaced>(nats, {
      stream: 'events',
      durable: 'worker',
      contract,
      handler: async (e) => void seen.push(e.payload.orderId),
    });

    await publishEvent(nats.js, contract, order({ orderId: 'before' }), { source: 'test' });
    await waitFor(() => seen.length === 1);

    await server.restart();
    await waitFor(() => statuses.includes('reconnect'), 15_000);
    expect(statuses).toContain('disconnect');
    expect(nats.connected).toBe(true);
    expect(nats.lastStatus?.type).toBe('reconnect');

    // The file store kept the stream and the durable; the pull loop resumes on its own.
    await publishEvent(nats.js, contract, order({ orderId: 'after' }), { source: 'test' });
    await waitFor(() => seen.length === 2, 20_000);
    expect(seen).toEqual(['before', 'after']);

    await handle.stop();
    await nats.close();
    expect(nats.connected).toBe(false);
    await nats.close(); // a second close is harmless
  });

  it('lets the logger see connection events', async () => {
    const lines: string[] = [];
    const log = (_obj: object, msg: string) => void lines.push(msg);
    const nats = await connectNats({ servers: server.url, name: 'core-test', logger: { debug: log, info: log, warn: log, error: log } });
    await nats.close();
    expect(lines).toContain('nats connected');
  });
});
