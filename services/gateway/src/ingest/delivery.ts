// Delivers signals to JetStream, or to the durable spool when JetStream cannot take them, so
// that no accepted webhook is lost. While the spool holds anything, new signals queue behind it
// (arrival order is kept); a flusher drains it whenever NATS is connected.
import type { Logger } from 'pino';
import { publishSignalNormalized, publishSignalRaw, type SignalNormalized, type SignalRaw } from '../../../../generated/index.js';
import { EventPublishError, type NatsRuntime } from '../../../core/src/index.js';
import type { Spool } from '../spool/index.js';

export const GATEWAY_SOURCE = '/services/gateway';

/** What the spool keeps per webhook: everything needed to publish it later. */
export interface SignalRecord {
  raw: SignalRaw;
  normalized?: SignalNormalized;
}

export type DeliveryStatus = 'published' | 'queued';

export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** JetStream already held this signal (a re-sent webhook). */
  duplicate: boolean;
}

export class SignalDelivery {
  private flushing: Promise<void> | undefined;

  constructor(
    /** The connection, once there is one: the gateway accepts webhooks before NATS is reachable. */
    private readonly natsRuntime: () => NatsRuntime | undefined,
    private readonly spool: Spool,
    private readonly options: { publishTimeoutMs: number; logger: Logger },
  ) {}

  async deliver(record: SignalRecord): Promise<DeliveryOutcome> {
    const nats = this.natsRuntime();
    if (!this.spool.hasPending && nats?.connected) {
      try {
        return { status: 'published', duplicate: await this.publish(nats, record) };
      } catch (err) {
        if (!(err instanceof EventPublishError)) throw err;
        this.options.logger.warn({ err, rawSignalId: record.raw.rawSignalId }, 'publish failed; spooling');
      }
    }
    await this.spool.append({ id: record.raw.idempotencyKey, receivedAt: record.raw.receivedAt, record });
    void this.flush();
    return { status: 'queued', duplicate: false };
  }

  /** Drains the spool in order while NATS takes messages; one drain at a time. */
  flush(): Promise<void> {
    const nats = this.natsRuntime();
    if (!nats?.connected || !this.spool.hasPending) return Promise.resolve();
    this.flushing ??= this.spool
      .flush(async (entry) => {
        await this.publish(nats, entry.record as SignalRecord);
      })
      .then(
        ({ flushed, remaining }) => {
          if (flushed > 0) this.options.logger.info({ flushed, remaining }, 'spool flushed');
        },
        (err: unknown) => this.options.logger.warn({ err }, 'spool flush stopped'),
      )
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing ?? Promise.resolve();
  }

  /** Publishes raw then normalized; ids are deterministic, so a republish is deduplicated by JetStream. */
  private async publish(nats: NatsRuntime, { raw, normalized }: SignalRecord): Promise<boolean> {
    const timeoutMs = this.options.publishTimeoutMs;
    const published = await publishSignalRaw(nats.js, raw, {
      source: GATEWAY_SOURCE,
      eventId: raw.rawSignalId,
      correlationId: raw.rawSignalId,
      time: new Date(raw.receivedAt),
      timeoutMs,
    });
    if (normalized) {
      await publishSignalNormalized(nats.js, normalized, {
        source: GATEWAY_SOURCE,
        eventId: normalized.signalId,
        correlationId: raw.rawSignalId,
        causationId: raw.rawSignalId,
        traceparent: published.meta.traceparent,
        time: new Date(normalized.receivedAt),
        timeoutMs,
      });
    }
    return published.duplicate;
  }
}
