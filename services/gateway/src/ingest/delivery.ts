// Delivers signals to JetStream, or to the durable spool when JetStream cannot take them, so
// that no accepted webhook is lost. While the spool holds anything, new signals queue behind it
// (arrival order is kept); a flusher drains it whenever NATS is connected.
import type { Logger } from 'pino';
import { publishSignalNormalized, publishSignalRaw, type SignalNormalized, type SignalRaw } from '../../../../generated/index.js';
import { type EventMetrics, EventPublishError, type NatsRuntime, newTraceparent } from '../../../core/src/index.js';
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
    /** `events`: the service's event metrics, counting every publish (and the spool's republishes). */
    private readonly options: { publishTimeoutMs: number; logger: Logger; events?: EventMetrics },
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

  /**
   * Publishes raw and normalized together: both go out in one socket write and their acks come
   * back in one round trip, instead of two sequential ones (the request path's largest cost).
   * Raw is written first on the connection, so JetStream stores it first. If either fails the
   * record is spooled and republished whole; its ids are deterministic, so the half that did
   * land is deduplicated by JetStream. Both events are spans of the same webhook trace.
   */
  private async publish(nats: NatsRuntime, { raw, normalized }: SignalRecord): Promise<boolean> {
    const { publishTimeoutMs: timeoutMs, events: metrics } = this.options;
    const traceparent = newTraceparent();
    const rawPublished = publishSignalRaw(nats.js, raw, {
      source: GATEWAY_SOURCE,
      eventId: raw.rawSignalId,
      correlationId: raw.rawSignalId,
      traceparent,
      time: new Date(raw.receivedAt),
      timeoutMs,
      metrics,
    });
    const normalizedPublished = normalized
      ? publishSignalNormalized(nats.js, normalized, {
          source: GATEWAY_SOURCE,
          eventId: normalized.signalId,
          correlationId: raw.rawSignalId,
          causationId: raw.rawSignalId,
          traceparent,
          time: new Date(normalized.receivedAt),
          timeoutMs,
          metrics,
        })
      : undefined;
    const [rawResult, normalizedResult] = await Promise.allSettled([rawPublished, normalizedPublished]);
    if (rawResult.status === 'rejected') throw rawResult.reason;
    if (normalizedResult.status === 'rejected') throw normalizedResult.reason;
    return rawResult.value.duplicate;
  }
}
