// Readiness: named checks (NATS connected, stream present, consumers bound, service-specific
// ones) run on demand; /ready answers 503 with every failing reason.
import type { NatsRuntime } from '../nats/connection.js';

export interface CheckResult {
  ok: boolean;
  /** Why it is not ready, or a short state when it is ("degraded: spooling" counts as ok). */
  detail?: string;
}

export type ReadinessCheck = () => Promise<CheckResult> | CheckResult;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): this {
    this.checks.set(name, check);
    return this;
  }

  async run(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          return [name, await check()];
        } catch (err) {
          return [name, { ok: false, detail: err instanceof Error ? err.message : String(err) }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, result]) => result.ok), checks };
  }
}

/** The checks every NATS-backed service has: connection, stream, and its durable consumers. */
export function natsChecks(readiness: Readiness, nats: NatsRuntime, stream: string, durables: readonly string[] = []): Readiness {
  readiness.add('nats', () => (nats.connected ? { ok: true } : { ok: false, detail: 'not connected to NATS (reconnecting)' }));
  readiness.add('stream', async () => {
    if (!nats.connected) return { ok: false, detail: 'unknown while NATS is down' };
    try {
      await nats.jsm.streams.info(stream);
      return { ok: true };
    } catch {
      return { ok: false, detail: `stream ${stream} not found` };
    }
  });
  for (const durable of durables) {
    readiness.add(`consumer:${durable}`, async () => {
      if (!nats.connected) return { ok: false, detail: 'unknown while NATS is down' };
      try {
        await nats.jsm.consumers.info(stream, durable);
        return { ok: true };
      } catch {
        return { ok: false, detail: `consumer ${durable} not bound on ${stream}` };
      }
    });
  }
  return readiness;
}
