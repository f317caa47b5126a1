// Reads consumer lag and dead-letter depth from the JetStream API on an interval and evaluates
// the alert rules on them (plus the contract-violation windows). One read at a time: a slow
// broker delays the next read instead of stacking them up.
import type { ConsumerDeclaration, Logger, NatsRuntime } from '../../core/src/index.js';
import { DEAD_LETTER_SUBJECT_PREFIX, deadLetterStreamName } from '../../core/src/index.js';
import type { AlertBook } from './domain/alert-book.js';
import { DEAD_LETTERS_RULE, type DeadLetterGrowth, evaluateConsumerLag } from './domain/jetstream-rules.js';

export interface WatchOptions {
  nats: NatsRuntime;
  stream: string;
  consumers: readonly ConsumerDeclaration[];
  lagThreshold: number;
  intervalMs: number;
  book: AlertBook;
  deadLetters: DeadLetterGrowth;
  /** Extra work on every read (the contract-violation windows). */
  onTick?: () => Promise<void>;
  logger: Logger;
}

export interface JetStreamWatch {
  /** One read and evaluation now (the interval also calls it). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startWatch(options: WatchOptions): JetStreamWatch {
  const { nats, stream, logger } = options;
  let running: Promise<void> | undefined;
  // A failed publish spoils one alert, not the rest of the read; the next read tries it again.
  const attempt = (work: Promise<unknown>) =>
    work.catch((err: unknown) => logger.warn({ err }, 'alert not published; retried at the next read'));

  const read = async (): Promise<void> => {
    if (!nats.connected) return;
    for (const consumer of options.consumers) {
      const info = await nats.jsm.consumers.info(stream, consumer.durable).catch(() => undefined);
      if (!info) continue;
      const lag = { stream, durable: consumer.durable, service: consumer.service, subject: consumer.subject, pending: info.num_pending };
      await attempt(evaluateConsumerLag(options.book, lag, options.lagThreshold));
    }
    const dlq = await nats.jsm.streams.info(deadLetterStreamName(stream), { subjects_filter: '>' }).catch(() => undefined);
    if (dlq) {
      const prefix = `${DEAD_LETTER_SUBJECT_PREFIX}.`;
      const counts = new Map(Object.entries(dlq.state.subjects ?? {}).map(([subject, n]) => [subject.slice(prefix.length), n]));
      const { fire, resolve } = options.deadLetters.observe(counts);
      for (const spec of fire) await attempt(options.book.fire(spec));
      for (const labels of resolve) await attempt(options.book.resolve(DEAD_LETTERS_RULE, labels));
    }
    await options.onTick?.();
  };

  const tick = (): Promise<void> => {
    running ??= read()
      .catch((err: unknown) => logger.warn({ err }, 'JetStream watch failed; next read at the next interval'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
