import { AckPolicy, type JetStreamManager, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionError } from '../src/nats/errors.js';
import { deadLetterStreamConfig, ensureConsumer, ensureStream } from '../src/nats/streams.js';
import { type NatsServerHandle, startNatsServer } from '../src/testing/nats-harness.js';
import { uniqueName } from './support/fixtures.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('ensureStream', () => {
  it('creates once, then does nothing, then updates when the subjects drift', async () => {
    const name = uniqueName('events');
    const spec = { name, subjects: [`${name}.a`, `${name}.b`], duplicate_window: nanos(60_000) };

    expect((await ensureStream(jsm, spec)).action).toBe('created');
    expect((await ensureStream(jsm, spec)).action).toBe('unchanged');
    // Subject order is irrelevant.
    expect((await ensureStream(jsm, { ...spec, subjects: [`${name}.b`, `${name}.a`] })).action).toBe('unchanged');

    const updated = await ensureStream(jsm, { ...spec, subjects: [`${name}.a`, `${name}.b`, `${name}.c`] });
    expect(updated.action).toBe('updated');
    expect(updated.info.config.subjects).toEqual([`${name}.a`, `${name}.b`, `${name}.c`]);
    expect(updated.info.config.duplicate_window).toBe(nanos(60_000));
  });

  it('updates a setting that drifted and leaves unspecified settings alone', async () => {
    const name = uniqueName('events');
    await ensureStream(jsm, { name, subjects: [`${name}.>`], max_msgs: 100 });
    const updated = await ensureStream(jsm, { name, subjects: [`${name}.>`], max_msgs: 200 });
    expect(updated.action).toBe('updated');
    expect((await jsm.streams.info(name)).config.max_msgs).toBe(200);
    expect((await ensureStream(jsm, { name, subjects: [`${name}.>`] })).action).toBe('unchanged');
  });

  it('provisions the dead-letter stream with file storage and limits retention', async () => {
    const { info } = await ensureStream(jsm, deadLetterStreamConfig('trading-events'));
    expect(info.config).toMatchObject({
      name: 'trading-events-dlq',
      subjects: ['dlq.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
    });
    expect((await ensureStream(jsm, deadLetterStreamConfig('trading-events'))).action).toBe('unchanged');
  });

  it('wraps a refused change in a ProvisionError that keeps the cause', async () => {
    const name = uniqueName('events');
    await ensureStream(jsm, { name, subjects: [`${name}.>`], storage: StorageType.File });
    const failure = ensureStream(jsm, { name, subjects: [`${name}.>`], storage: StorageType.Memory });
    await expect(failure).rejects.toBeInstanceOf(ProvisionError);
    await expect(failure).rejects.toMatchObject({ resource: `stream ${name}`, cause: expect.any(Error) });
  });
});

describe('ensureConsumer', () => {
  it('creates a durable explicit-ack pull consumer once, then updates only what drifted', async () => {
    const stream = uniqueName('events');
    await ensureStream(jsm, { name: stream, subjects: [`${stream}.>`] });
    const spec = {
      durable_name: 'worker',
      filter_subject: `${stream}.orders`,
      max_ack_pending: 50,
      ack_wait: nanos(10_000),
      max_deliver: 5,
    };

    const created = await ensureConsumer(jsm, stream, spec);
    expect(created.action).toBe('created');
    expect(created.info.config).toMatchObject({ ...spec, ack_policy: AckPolicy.Explicit });
    expect(created.info.config.deliver_subject).toBeUndefined();

    expect((await ensureConsumer(jsm, stream, spec)).action).toBe('unchanged');

    const updated = await ensureConsumer(jsm, stream, { ...spec, max_ack_pending: 10 });
    expect(updated.action).toBe('updated');
    expect((await jsm.consumers.info(stream, 'worker')).config.max_ack_pending).toBe(10);
    expect((await jsm.consumers.list(stream).next()).length).toBe(1);
  });

  it('fails with a ProvisionError when the stream does not exist', async () => {
    const failure = ensureConsumer(jsm, uniqueName('missing'), { durable_name: 'w', filter_subject: 'x' });
    await expect(failure).rejects.toBeInstanceOf(ProvisionError);
  });
});
