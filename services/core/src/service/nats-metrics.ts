// Metrics every NATS-backed service exports about its broker: connection state, its durable
// consumers' backlog (pending and unacknowledged), and the dead-letter stream's depth. Read
// from the JetStream API at scrape time, so nothing is kept up to date in between.
import { Gauge } from 'prom-client';
import type { NatsRuntime } from '../nats/connection.js';
import { deadLetterStreamName } from '../nats/streams.js';
import type { ServiceMetrics } from './metrics.js';

export function registerNatsMetrics(
  metrics: ServiceMetrics,
  nats: () => NatsRuntime | undefined,
  stream: string,
  durables: readonly string[] = [],
): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'nats_connected',
    help: '1 while the service is connected to NATS, 0 while it is reconnecting.',
    registers,
    collect() {
      this.set(nats()?.connected ? 1 : 0);
    },
  });
  // Both consumer gauges are filled from one JetStream API call per consumer per scrape (the
  // registry collects metrics concurrently, so they share the in-flight lookup).
  let lookup: Promise<Map<string, { pending: number; ackPending: number }>> | undefined;
  const consumerStates = () => {
    lookup ??= (async () => {
      const states = new Map<string, { pending: number; ackPending: number }>();
      const runtime = nats();
      if (runtime?.connected) {
        for (const durable of durables) {
          const info = await runtime.jsm.consumers.info(stream, durable).catch(() => undefined);
          if (info) states.set(durable, { pending: info.num_pending, ackPending: info.num_ack_pending });
        }
      }
      return states;
    })().finally(() => setTimeout(() => (lookup = undefined), 0));
    return lookup;
  };
  for (const [name, help, field] of [
    ['jetstream_consumer_pending_messages', 'Messages in the stream not yet delivered to the durable consumer.', 'pending'],
    ['jetstream_consumer_ack_pending_messages', 'Messages delivered to the durable consumer and not yet acknowledged.', 'ackPending'],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ['consumer'],
      registers,
      async collect() {
        for (const [durable, state] of await consumerStates()) this.set({ consumer: durable }, state[field]);
      },
    });
  }
  new Gauge({
    name: 'jetstream_dead_letter_messages',
    help: 'Messages in the dead-letter stream (invalid or unprocessable events).',
    labelNames: ['stream'],
    registers,
    async collect() {
      const runtime = nats();
      if (!runtime?.connected) return;
      const dlq = deadLetterStreamName(stream);
      const info = await runtime.jsm.streams.info(dlq).catch(() => undefined);
      if (info) this.set({ stream: dlq }, info.state.messages);
    },
  });
}
