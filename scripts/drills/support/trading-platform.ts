// The platform a trading drill runs against: a local platform of its own (startLocalPlatform:
// nats-server, streams, every service as a child process) with a drill engine configuration,
// plus the drill's own NATS connection to watch the stream.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connectNats, type NatsRuntime } from '../../../services/core/src/index.js';
import type { NatsServerHandle } from '../../../services/core/src/nats/local-server.js';
import type { Platform } from '../../platform/launcher.js';
import { type LocalPlatform, startLocalPlatform } from '../../platform/local-platform.js';

export const DRILL_STREAM = 'trading-events';
export const TRADINGVIEW_TOKEN = 'drill-tradingview-token-0123456789';

/**
 * A drill's feed is load, not a risk test: exec-sim's default throttle (10 orders/s per strategy)
 * and position cap (50 contracts) would refuse orders depending on timing, and a refusal that
 * depends on timing makes two runs of the same feed differ.
 */
const DRILL_ENGINE_CONFIG = {
  risk: {
    defaults: { futures: { maxPosition: 100_000 } },
    strategyDefaults: { maxOrdersPerSecond: 100_000, maxOpenOrders: 100_000, maxGrossNotional: { USD: 1e12 } },
  },
};

export interface DrillPlatformOptions {
  /** Extra environment for every service (thresholds, disabled agents). */
  env?: Record<string, string>;
  /** Runs after the streams are provisioned and before the services start (consumer tweaks). */
  prepare?: (jsm: JetStreamManager) => Promise<void>;
}

export interface DrillPlatform {
  nats: NatsServerHandle;
  /** The drill's own connection (reconnects quickly after an outage). */
  observer: NatsRuntime;
  platform: Platform;
  webhookUrl: string;
  stop(): Promise<void>;
}

export async function startDrillPlatform(options: DrillPlatformOptions = {}): Promise<DrillPlatform> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'drill-config-'));
  const engineConfig = path.join(configDir, 'exec-sim.json');
  writeFileSync(engineConfig, JSON.stringify(DRILL_ENGINE_CONFIG));
  let local: LocalPlatform | undefined;
  try {
    local = await startLocalPlatform({
      stream: DRILL_STREAM,
      prepare: options.prepare,
      env: {
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TRADINGVIEW_WEBHOOK_TOKEN: TRADINGVIEW_TOKEN,
        EXEC_SIM_CONFIG: engineConfig,
        EXEC_SIM_SEED: '7',
        ...options.env,
      },
    });
    const observer = await connectNats({ servers: local.nats.url, name: 'drill-observer', reconnectTimeWaitMs: 100 });
    const started = local;
    return {
      nats: started.nats,
      observer,
      platform: started.platform,
      webhookUrl: `${started.platform.url('gateway')}/webhooks/tradingview/${TRADINGVIEW_TOKEN}`,
      async stop() {
        await observer.close();
        await started.stop();
        rmSync(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await local?.stop();
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
}

export interface ReadyReport {
  code: number;
  status: string;
  /** Failing checks with their reasons. */
  failing: string[];
}

/** GET /ready of a service: the code, the status (ready / degraded / not ready) and what fails. */
export async function readiness(platform: Platform, service: string): Promise<ReadyReport> {
  const res = await fetch(`${platform.url(service)}/ready`);
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
  const failing = Object.entries(body.checks)
    .filter(([, check]) => !check.ok)
    .map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`);
  return { code: res.status, status: body.status, failing };
}

/** Polls until the gateway says ready (connected to NATS), so the first webhooks are published, not spooled. */
export async function waitGatewayReady(platform: Platform, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const report = await readiness(platform, 'gateway').catch(() => undefined);
    if (report?.status === 'ready') return;
    await sleep(100);
  }
  throw new Error('the gateway did not become ready (connected to NATS)');
}

/** num_pending + num_ack_pending of a durable consumer: what it still has to process. */
export async function consumerBacklog(jsm: JetStreamManager, durable: string): Promise<number> {
  const info = await jsm.consumers.info(DRILL_STREAM, durable);
  return info.num_pending + info.num_ack_pending;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whole seconds with one decimal, for printed timings. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
