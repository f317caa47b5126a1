// What the demo watches on NATS while it replays: every order intent (to link an order back to
// the signal that caused it) and every fill with the moment it arrived (the latency's end), and
// the durable consumers of the agents and exec-sim (the run has settled when they are all caught up).
import type { Subscription } from '@nats-io/transport-node';
import type { OrderFilled, OrderIntent } from '../../generated/index.js';
import type { NatsRuntime } from '../../services/core/src/index.js';
import { nowMs } from './replay.js';

export interface ObservedFill {
  fill: OrderFilled;
  /** Epoch milliseconds the fill event reached the demo. */
  receivedAt: number;
}

export interface EventTap {
  /** clientOrderId -> the intent. */
  intents: ReadonlyMap<string, OrderIntent>;
  fills: readonly ObservedFill[];
  stop(): Promise<void>;
}

/** Core subscriptions on the subjects: JetStream stores them, and every publish also reaches plain subscribers. */
export function tapEvents(nats: NatsRuntime): EventTap {
  const intents = new Map<string, OrderIntent>();
  const fills: ObservedFill[] = [];
  const subscriptions: Subscription[] = [];
  const listen = (subject: string, onEvent: (payload: unknown) => void) => {
    const subscription = nats.nc.subscribe(subject);
    subscriptions.push(subscription);
    void (async () => {
      for await (const msg of subscription) {
        try {
          onEvent(msg.json());
        } catch {
          // not JSON: not an event of the contract, nothing the demo can use
        }
      }
    })();
  };
  listen('decisions.order_intent', (payload) => {
    const intent = payload as OrderIntent;
    if (typeof intent.clientOrderId === 'string') intents.set(intent.clientOrderId, intent);
  });
  listen('executions.fill', (payload) => fills.push({ fill: payload as OrderFilled, receivedAt: nowMs() }));
  return {
    intents,
    fills,
    async stop() {
      await nats.nc.flush();
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}

/** Consumers whose backlog the demo waits for: the agents' and exec-sim's on the path from a signal to a fill. */
const WATCHED = /^(agent-|exec-sim-)/;
const PATH_TO_FILL = new Set(['signals.normalized', 'decisions.order_intent']);
const SETTLE_TIMEOUT_MS = 90_000;

/** Resolves once every watched consumer has nothing pending or unacknowledged, twice in a row. */
export async function waitSettled(nats: NatsRuntime, stream: string, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let quietPolls = 0;
  let lastReport = 0;
  for (;;) {
    const backlog: string[] = [];
    for await (const info of nats.jsm.consumers.list(stream)) {
      if (!WATCHED.test(info.name) || !PATH_TO_FILL.has(info.config.filter_subject ?? '')) continue;
      const waiting = info.num_pending + info.num_ack_pending;
      if (waiting > 0) backlog.push(`${info.name} ${waiting}`);
    }
    quietPolls = backlog.length === 0 ? quietPolls + 1 : 0;
    if (quietPolls >= 2) return;
    if (Date.now() > deadline) throw new Error(`the platform did not catch up within ${SETTLE_TIMEOUT_MS / 1000}s: ${backlog.join(', ')}`);
    if (backlog.length > 0 && Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      log(`[demo] waiting for the agents and exec-sim to catch up: ${backlog.join(', ')} messages pending`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
