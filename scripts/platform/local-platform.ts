// A whole platform of its own: a fresh nats-server (free port, temp store), the stream and
// consumers provisioned from the contracts, and every service launched in run order on free
// ports. The demo starts one when no platform answers; the end-to-end tests always do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { provisionStreams } from '../../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME } from '../../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../../services/core/src/nats/local-server.js';
import { type LaunchOptions, launchPlatform, type Platform } from './launcher.js';

export interface LocalPlatform {
  nats: NatsServerHandle;
  platform: Platform;
  stream: string;
  /** Stops the services, then the nats-server, and removes the temp directories. */
  stop(): Promise<void>;
}

export type LocalPlatformOptions = Omit<LaunchOptions, 'natsUrl' | 'stream' | 'dataDir' | 'ports'> & {
  ports?: LaunchOptions['ports'];
  /** The stream's name; DEFAULT_STREAM_NAME when absent. */
  stream?: string;
  /** Runs after the streams are provisioned and before the services start (e.g. consumer tweaks). */
  prepare?: (jsm: JetStreamManager) => Promise<void>;
  /** Told what is being started (nats-server, streams, each service). */
  onStep?: (message: string) => void;
};

export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const stream = options.stream ?? DEFAULT_STREAM_NAME;
  options.onStep?.('starting a nats-server with JetStream on a free port');
  const nats = await startNatsServer();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'platform-'));
  const cleanUp = async () => {
    await nats.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    options.onStep?.(`provisioning stream ${stream} and its consumers on ${nats.url}`);
    const runtime = await connectNats({ servers: nats.url, name: 'local-platform' });
    try {
      await provisionStreams(runtime.jsm, { stream });
      await options.prepare?.(runtime.jsm);
    } finally {
      await runtime.close();
    }
    const { prepare: _prepare, onStep: _onStep, stream: _stream, ...launch } = options;
    const platform = await launchPlatform({ ...launch, ports: options.ports ?? 'free', natsUrl: nats.url, stream, dataDir });
    return {
      nats,
      platform,
      stream,
      async stop() {
        await platform.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
