// Durable pull-consumer loop: decode, validate, dispatch; poison goes to the DLQ, transient failures are retried.
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { ValidationIssue } from '../validation.js';
import { contractsByMajor, type EventContract } from './contract.js';
import { DeadLetterReason, deadLetter } from './dead-letter.js';
import { decodeEvent } from './decode-event.js';
import { describeCause, PermanentHandlerError } from './errors.js';
import { ConsumeOutcome, type EventMetrics, ValidationDirection } from './event-metrics.js';
import { EventHeader, type EventMeta } from './headers.js';
import { type EventLogger, silentLogger } from './logger.js';

export interface ConsumedEvent<T> {
  payload: T;
  meta: EventMeta;
  /** 1 on first delivery; handlers use it to tell a retry from a first attempt. */
  deliveryCount: number;
  subject: string;
  streamSequence: number;
}

export type EventHandler<T> = (event: ConsumedEvent<T>) => Promise<void>;

export interface ConsumeEventsOptions<T> {
  stream: string;
  durable: string;
  /** One contract, or one per major version still accepted for the same subject. */
  contract: EventContract<T> | readonly EventContract<T>[];
  handler: EventHandler<T>;
  /** Delay before a failed message is redelivered. Default 1000 ms. */
  nakDelayMs?: number;
  /** Deliveries after which a failing message is dead-lettered; defaults to the consumer's max_deliver. */
  maxDeliver?: number;
  /** Handlers running at once. Default 1, which keeps the stream's order. */
  concurrency?: number;
  /** Messages requested per pull; the client default (100) when absent. Keep it small for slow handlers. */
  maxMessages?: number;
  /**
   * How long one pull waits on the server; DEFAULT_PULL_EXPIRES_MS when absent. The server
   * heartbeats every half of it, and two missed heartbeats make the consumer pull again: when the
   * node leading this consumer dies (a NATS cluster losing a node), the consumer stalls about this
   * long. The client's own default, 30 s, meant a 30 s stall per consumer in the nats-cluster drill.
   */
  expiresMs?: number;
  logger?: EventLogger;
  /** Counts every outcome and contract refusal (the service's `metrics.events`). */
  metrics?: EventMetrics;
}

/** A pull re-issued every 5 s costs an idle consumer one small request; a lost node costs ~5 s, not 30. */
export const DEFAULT_PULL_EXPIRES_MS = 5_000;

export interface ConsumerCounters {
  processed: number;
  deadLettered: number;
  nakked: number;
}

export interface EventConsumerHandle {
  readonly counters: Readonly<ConsumerCounters>;
  /** False once stopped or once the underlying subscription ended (e.g. connection closed). */
  readonly running: boolean;
  /** Stops pulling, hands unstarted messages back, and waits for running handlers to finish. */
  stop(): Promise<void>;
}

export async function consumeEvents<T>(nats: { js: JetStreamClient }, options: ConsumeEventsOptions<T>): Promise<EventConsumerHandle> {
  const { js } = nats;
  const contracts = contractsByMajor(options.contract);
  const logger = options.logger ?? silentLogger;
  const nakDelayMs = options.nakDelayMs ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const consumer = await js.consumers.get(options.stream, options.durable);
  const maxDeliver = options.maxDeliver ?? (await consumer.info(true)).config.max_deliver ?? -1;
  const messages = await consumer.consume({
    ...(options.maxMessages ? { max_messages: options.maxMessages } : {}),
    expires: options.expiresMs ?? DEFAULT_PULL_EXPIRES_MS,
  });
  const counters: ConsumerCounters = { processed: 0, deadLettered: 0, nakked: 0 };
  const where = { stream: options.stream, durable: options.durable };
  const { metrics, durable } = options;

  const retry = (msg: JsMsg): void => {
    msg.nak(nakDelayMs);
    counters.nakked++;
    metrics?.consumed(msg.subject, durable, ConsumeOutcome.Nak);
  };

  const reject = async (msg: JsMsg, reason: DeadLetterReason, issues: ValidationIssue[]): Promise<void> => {
    try {
      await deadLetter(js, { msg, reason, issues });
      // No reason argument: servers before 2.11 compare "+TERM" exactly and would ignore "+TERM <reason>".
      msg.term();
      counters.deadLettered++;
      metrics?.consumed(msg.subject, durable, ConsumeOutcome.DeadLetter);
      logger.warn({ ...where, subject: msg.subject, seq: msg.info.streamSequence, reason, issues }, 'event dead-lettered');
    } catch (err) {
      // The DLQ is unreachable: keep the message in the stream rather than lose it.
      logger.error({ ...where, subject: msg.subject, seq: msg.info.streamSequence, reason, err }, 'dead-letter failed');
      retry(msg);
    }
  };

  const processMessage = async (msg: JsMsg): Promise<void> => {
    const decoded = decodeEvent(msg, contracts);
    if (!decoded.ok) {
      const version = msg.headers?.get(EventHeader.SchemaVersion) ?? '';
      metrics?.validationFailed(msg.subject, version, ValidationDirection.Consume);
      return reject(msg, decoded.reason, decoded.issues);
    }
    const { deliveryCount, streamSequence } = msg.info;
    try {
      await options.handler({ payload: decoded.payload, meta: decoded.meta, deliveryCount, subject: msg.subject, streamSequence });
      msg.ack();
      counters.processed++;
      metrics?.consumed(msg.subject, durable, ConsumeOutcome.Ack);
    } catch (err) {
      const issues = [{ path: '', keyword: 'handler', message: describeCause(err) }];
      if (err instanceof PermanentHandlerError) return reject(msg, DeadLetterReason.HandlerRejected, issues);
      if (maxDeliver > 0 && deliveryCount >= maxDeliver) return reject(msg, DeadLetterReason.MaxDeliveries, issues);
      logger.warn({ ...where, eventId: decoded.meta.eventId, deliveryCount, err }, 'handler failed; will retry');
      retry(msg);
    }
  };

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let running = true;
  const loop = (async () => {
    for await (const msg of messages) {
      // Already buffered but not started: hand it back now instead of after ack_wait (not an
      // outcome: it was never processed, so it is not counted).
      if (stopping) {
        msg.nak();
        continue;
      }
      const task: Promise<void> = processMessage(msg)
        .catch((err: unknown) => logger.error({ ...where, err }, 'unexpected consumer error'))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  })()
    .catch((err: unknown) => logger.error({ ...where, err }, 'consumer stopped on error'))
    .finally(() => {
      running = false;
    });
  void logNotifications(messages.status(), logger, where);

  let stopped: Promise<void> | undefined;
  return {
    counters,
    get running() {
      return running;
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await messages.close();
        await loop;
        await Promise.all(inFlight);
      })();
      return stopped;
    },
  };
}

async function logNotifications(notifications: AsyncIterable<{ type: string }>, logger: EventLogger, where: object): Promise<void> {
  for await (const notification of notifications) {
    // Routine: a pull asked for (`next`), the server's heartbeats, and `discard`, a pull that
    // expired with room left: with the 5 s pull expiry an idle consumer reports one every 5 s.
    const routine = ['next', 'heartbeat', 'debug', 'discard'].includes(notification.type);
    if (routine) logger.debug({ ...where, notification }, 'consumer notification');
    else logger.warn({ ...where, notification }, 'consumer notification');
  }
}
