// Backpressure: when the spool or the signal consumers' backlog passes its threshold, new
// webhooks are refused with Retry-After instead of growing memory and disk without bound.
import type { NatsRuntime } from '../../../core/src/index.js';

export type Pressure = { ok: true } | { ok: false; status: 429 | 503; retryAfterSeconds: number; reason: string };

export class Backpressure {
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      spool: { depth: number };
      maxSpoolDepth: number;
      maxConsumerPending: number;
      nats: () => NatsRuntime | undefined;
      stream?: string;
      /** Durable consumers of the signals whose backlog is watched. */
      durables?: readonly string[];
    },
  ) {}

  /** Polls the consumers' pending counts every `intervalMs` (JetStream API calls stay off the request path). */
  start(intervalMs = 1_000): void {
    const poll = async () => {
      const { stream, durables = [] } = this.options;
      const nats = this.options.nats();
      if (!nats?.connected || !stream) return;
      let worst = 0;
      for (const durable of durables) {
        try {
          const info = await nats.jsm.consumers.info(stream, durable);
          worst = Math.max(worst, info.num_pending + info.num_ack_pending);
        } catch {
          // a consumer not provisioned yet has no backlog to protect
        }
      }
      this.pending = worst;
    };
    this.timer = setInterval(() => void poll(), intervalMs);
    this.timer.unref();
    void poll();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get consumerPending(): number {
    return this.pending;
  }

  check(): Pressure {
    if (this.options.spool.depth >= this.options.maxSpoolDepth) {
      return { ok: false, status: 503, retryAfterSeconds: 30, reason: 'the gateway is holding too many undelivered signals; retry later' };
    }
    if (this.pending >= this.options.maxConsumerPending) {
      return { ok: false, status: 429, retryAfterSeconds: 5, reason: 'signal consumers are behind; retry later' };
    }
    return { ok: true };
  }
}
