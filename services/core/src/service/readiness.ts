// Readiness: named checks (NATS connected, stream present, consumers bound, service-specific
// ones) run on demand; /ready answers 503 with every failing reason.
import type { NatsRuntime } from '../nats/connection.js';

export interface CheckResult {
  ok: boolean;
  /** Why it is not ready, or a short state when it is ("degraded: spooling" counts as ok). */
  detail?: string;
}

export type ReadinessCheck = () => Promise<CheckResult> | CheckResult;

export interface CheckOptions {
  /**
   * A failing non-critical check leaves the service ready but `degraded` (e.g. the gateway
   * without NATS keeps accepting webhooks into its spool). Default: critical.
   */
  critical?: boolean;
}

export type ReadinessStatus = 'ready' | 'degraded' | 'not ready';

export class Readiness {
  private readonly checks = new Map<string, { check: ReadinessCheck; critical: boolean }>();

  add(name: string, check: ReadinessCheck, options: CheckOptions = {}): this {
    this.checks.set(name, { check, critical: options.critical ?? true });
    return this;
  }

  async run(): Promise<{ ready: boolean; status: ReadinessStatus; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]): Promise<[string, CheckResult, boolean]> => {
        try {
          return [name, await check(), critical];
        } catch (err) {
          return [name, { ok: false, detail: err instanceof Error ? err.message : String(err) }, critical];
        }
      }),
    );
    const checks = Object.fromEntries(entries.map(([name, result]) => [name, result]));
    const ready = entries.every(([, result, critical]) => result.ok || !critical);
    const degraded = entries.some(([, result]) => !result.ok);
    return { ready, status: !ready ? 'not ready' : degraded ? 'degraded' : 'ready', checks };
  }
}

/** The checks every NATS-backed service has: connection, stream, and its durable consumers. */
export function natsChecks(
  readiness: Readiness,
  natsRuntime: () => NatsRuntime | undefined,
  stream: string,
  durables: readonly string[] = [],
  options: CheckOptions = {},
): Readiness {
  const connected = () => natsRuntime()?.connected === true;
  readiness.add('nats', () => (connected() ? { ok: true } : { ok: false, detail: 'not connected to NATS (reconnecting)' }), options);
  readiness.add(
    'stream',
    async () => {
      const nats = natsRuntime();
      if (!nats?.connected) return { ok: false, detail: 'unknown while NATS is down' };
      try {
        await nats.jsm.streams.info(stream);
        return { ok: true };
      } catch {
        return { ok: false, detail: `stream ${stream} not found` };
      }
    },
    options,
  );
  for (const durable of durables) {
    readiness.add(
      `consumer:${durable}`,
      async () => {
        const nats = natsRuntime();
        if (!nats?.connected) return { ok: false, detail: 'unknown while NATS is down' };
        try {
          await nats.jsm.consumers.info(stream, durable);
          return { ok: true };
        } catch {
          return { ok: false, detail: `consumer ${durable} not bound on ${stream}` };
        }
      },
      options,
    );
  }
  return readiness;
}
