// The event tap: one consumer per subject of the platform stream. Subjects the contracts declare
// an observability receive operation for are read through those durable consumers (provisioned
// from the contracts, so nothing is missed across a restart); the others (alerts.fired, which
// observability itself produces) through an ordered consumer that starts at new messages and
// leaves nothing on the server. Every message is acked whatever it holds: the tap observes and
// never dead-letters, retries or holds up anyone's consumer.
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { ConsumerDeclaration, Logger, NatsRuntime } from '../../core/src/index.js';

export interface TapOptions {
  nats: NatsRuntime;
  stream: string;
  subjects: readonly string[];
  /** The durable consumers declared for observability in the contracts, one per subject. */
  durables: readonly ConsumerDeclaration[];
  onMessage(msg: JsMsg): void;
  logger: Logger;
}

export interface EventTap {
  /** False once a consumer loop ended (stopped, or its subscription failed). */
  readonly running: boolean;
  stop(): Promise<void>;
}

export async function startTap(options: TapOptions): Promise<EventTap> {
  const { nats, stream, logger } = options;
  const loops: Promise<void>[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  let ended = 0;

  for (const subject of options.subjects) {
    const durable = options.durables.find((d) => d.subject === subject)?.durable;
    const consumer = durable
      ? await nats.js.consumers.get(stream, durable)
      : await nats.js.consumers.get(stream, { filter_subjects: subject, deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume();
    closers.push(() => messages.close());
    const where = { stream, subject, consumer: durable ?? 'ordered' };
    loops.push(
      (async () => {
        for await (const msg of messages) {
          try {
            options.onMessage(msg);
          } catch (err) {
            logger.error({ ...where, seq: msg.info.streamSequence, err }, 'event tap failed on a message; acked anyway');
          }
          if (durable) msg.ack();
        }
      })()
        .catch((err: unknown) => logger.error({ ...where, err }, 'event tap consumer stopped on error'))
        .finally(() => {
          ended++;
        }),
    );
  }
  logger.info({ stream, subjects: options.subjects.length }, 'event tap bound');

  let stopped: Promise<void> | undefined;
  return {
    get running() {
      return ended === 0;
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(closers.map((close) => close()));
        await Promise.all(loops);
      })();
      return stopped;
    },
  };
}
