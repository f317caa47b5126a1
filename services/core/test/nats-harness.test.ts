import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../src/testing/nats-harness.js';

describe('startNatsServer', () => {
  it('starts a JetStream server on a free port (never 4222) and cleans its store on stop', async () => {
    const server = await startNatsServer();
    expect(server.port).not.toBe(4222);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(server.storeDir.startsWith(tmpdir())).toBe(true);
    expect(existsSync(server.storeDir)).toBe(true);

    const nc = await connect({ servers: server.url });
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();

    await server.stop();
    expect(existsSync(server.storeDir)).toBe(false);
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow();
  });

  it('fails with a clear message when the binary is missing', async () => {
    await expect(startNatsServer({ binary: 'no-such-nats-server' })).rejects.toThrow(/no-such-nats-server is not installed or not on PATH/);
  });
});
