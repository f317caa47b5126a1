// Counting, not assuming: reads everything the platform stream holds and checks the pipeline's
// promises per webhook — one raw and one normalized signal per idempotency key, at most one
// intent per agent per signal, exactly one fill per intent for its whole quantity, no trade twice.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { OrderFilled, OrderIntent, OrderUpdated, SignalNormalized, SignalRaw } from '../../../generated/index.js';
import type { DrillRecorder } from './drill.js';
import { consumerBacklog, DRILL_STREAM, sleep } from './trading-platform.js';

/** Intents one agent decides on one signal: a reversal is a close and an open (agent-mcp's position.ts). */
const MAX_LEGS = 2;

export interface StreamTally {
  raw: SignalRaw[];
  normalized: SignalNormalized[];
  intents: OrderIntent[];
  orders: OrderUpdated[];
  fills: OrderFilled[];
}

const READ_BATCH = 64;

/** Every event of the platform stream, by subject, in stream order. */
export async function readStream(jsm: JetStreamManager): Promise<StreamTally> {
  const { state } = await jsm.streams.info(DRILL_STREAM);
  const tally: StreamTally = { raw: [], normalized: [], intents: [], orders: [], fills: [] };
  const lists: Record<string, unknown[]> = {
    'signals.raw': tally.raw,
    'signals.normalized': tally.normalized,
    'decisions.order_intent': tally.intents,
    'executions.order': tally.orders,
    'executions.fill': tally.fills,
  };
  if (state.messages === 0) return tally;
  for (let from = state.first_seq; from <= state.last_seq; from += READ_BATCH) {
    const seqs = Array.from({ length: Math.min(READ_BATCH, state.last_seq - from + 1) }, (_, i) => from + i);
    const batch = await Promise.all(seqs.map((seq) => jsm.streams.getMessage(DRILL_STREAM, { seq }).catch(() => null)));
    for (const msg of batch) if (msg) lists[msg.subject]?.push(msg.json());
  }
  return tally;
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

const sample = (items: readonly string[]) => items.slice(0, 5).join(', ') + (items.length > 5 ? `, ... (${items.length})` : '');

export interface PipelineSummary {
  signals: number;
  intents: number;
  fills: number;
  /** Filled quantity per agent. */
  filledByAgent: Record<string, number>;
}

/**
 * Checks the stream against the webhooks that were accepted (`acceptedKeys`, gateway idempotency
 * keys): each has exactly one raw and one normalized signal, and nothing else reached the stream.
 */
export function checkPipeline(drill: DrillRecorder, tally: StreamTally, acceptedKeys: readonly string[]): PipelineSummary {
  const accepted = new Set(acceptedKeys);
  for (const [subject, events] of [
    ['signals.raw', tally.raw],
    ['signals.normalized', tally.normalized],
  ] as const) {
    const counts = countBy<{ idempotencyKey: string }>(events, (e) => e.idempotencyKey);
    const missing = acceptedKeys.filter((key) => !counts.has(key));
    const doubled = [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
    const unexpected = [...counts.keys()].filter((key) => !accepted.has(key));
    drill.check(missing.length === 0, `${missing.length} accepted webhook(s) have no ${subject}: ${sample(missing)}`);
    drill.check(doubled.length === 0, `${doubled.length} webhook(s) have more than one ${subject}: ${sample(doubled)}`);
    drill.check(
      unexpected.length === 0,
      `${unexpected.length} ${subject} event(s) for webhooks that were not accepted: ${sample(unexpected)}`,
    );
  }

  const signalKey = new Map(tally.normalized.map((s) => [s.signalId, s.idempotencyKey]));
  const perAgentSignal = countBy(tally.intents, (i) => `${i.agentId} <- ${signalKey.get(i.causationId ?? '') ?? i.causationId}`);
  // One decision per agent and signal: at most two legs, a reduce-only close and an opening order (a reversal).
  const repeated = [...perAgentSignal].filter(([, n]) => n > MAX_LEGS).map(([key, n]) => `${key} x${n}`);
  drill.check(repeated.length === 0, `${repeated.length} agent/signal pair(s) gave more than ${MAX_LEGS} intents: ${sample(repeated)}`);
  const intentIds = countBy(tally.intents, (i) => i.clientOrderId);
  const doubledIntents = [...intentIds].filter(([, n]) => n > 1).map(([id]) => id);
  drill.check(
    doubledIntents.length === 0,
    `${doubledIntents.length} clientOrderId(s) appear in more than one intent: ${sample(doubledIntents)}`,
  );

  const fillsPerOrder = countBy(tally.fills, (f) => f.clientOrderId);
  const filledQty = new Map<string, number>();
  for (const fill of tally.fills) filledQty.set(fill.clientOrderId, (filledQty.get(fill.clientOrderId) ?? 0) + fill.lastQty);
  const rejected = tally.orders.filter((o) => o.status === 'rejected').map((o) => `${o.clientOrderId} (${o.reasonCode})`);
  drill.check(rejected.length === 0, `${rejected.length} order(s) were rejected: ${sample(rejected)}`);
  const unfilled = tally.intents.filter((i) => filledQty.get(i.clientOrderId) !== i.quantity);
  drill.check(
    unfilled.length === 0,
    `${unfilled.length} intent(s) not filled for their quantity: ${sample(unfilled.map((i) => `${i.clientOrderId} ${filledQty.get(i.clientOrderId) ?? 0}/${i.quantity}`))}`,
  );
  const multiFilled = [...fillsPerOrder].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
  drill.check(multiFilled.length === 0, `${multiFilled.length} intent(s) got more than one fill: ${sample(multiFilled)}`);
  const orphanFills = tally.fills.filter((f) => !intentIds.has(f.clientOrderId)).map((f) => f.tradeId);
  drill.check(orphanFills.length === 0, `${orphanFills.length} fill(s) belong to no intent: ${sample(orphanFills)}`);
  const trades = [...countBy(tally.fills, (f) => f.tradeId)].filter(([, n]) => n > 1).map(([id]) => id);
  drill.check(trades.length === 0, `${trades.length} tradeId(s) appear in more than one fill: ${sample(trades)}`);

  const agentOf = new Map(tally.intents.map((i) => [i.clientOrderId, i.agentId ?? i.strategyId]));
  const filledByAgent: Record<string, number> = {};
  for (const fill of tally.fills) {
    const agent = agentOf.get(fill.clientOrderId) ?? 'unknown';
    filledByAgent[agent] = (filledByAgent[agent] ?? 0) + fill.lastQty;
  }
  return { signals: tally.normalized.length, intents: tally.intents.length, fills: tally.fills.length, filledByAgent };
}

/** True once every intent in the stream has fills for its whole quantity (or was rejected). */
export function allIntentsSettled(tally: StreamTally): boolean {
  const filled = new Map<string, number>();
  for (const fill of tally.fills) filled.set(fill.clientOrderId, (filled.get(fill.clientOrderId) ?? 0) + fill.lastQty);
  const rejected = new Set(tally.orders.filter((o) => o.status === 'rejected').map((o) => o.clientOrderId));
  return tally.intents.every((i) => rejected.has(i.clientOrderId) || (filled.get(i.clientOrderId) ?? 0) >= i.quantity);
}

/** The agents' own durables (agent-<id>, not agent-mcp's bookkeeping ones) and exec-sim's intents. */
async function pipelineDurables(jsm: JetStreamManager): Promise<string[]> {
  const names: string[] = [];
  for await (const info of jsm.consumers.list(DRILL_STREAM)) names.push(info.name);
  return names.filter((name) => (name.startsWith('agent-') && !name.startsWith('agent-mcp-')) || name === 'exec-sim-intents');
}

/**
 * Waits until `signals` normalized signals are in the stream, every agent and exec-sim have
 * processed everything, and every intent is filled; returns the tally then (or at the timeout:
 * the checks say what is missing).
 */
export async function waitForPipeline(
  jsm: JetStreamManager,
  signals: number,
  timeoutMs: number,
): Promise<{ tally: StreamTally; settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  const durables = await pipelineDurables(jsm);
  for (;;) {
    try {
      const backlogs = await Promise.all(durables.map((durable) => consumerBacklog(jsm, durable)));
      if (backlogs.every((n) => n === 0)) {
        const tally = await readStream(jsm);
        if (tally.normalized.length >= signals && allIntentsSettled(tally)) return { tally, settled: true };
      }
    } catch {
      // NATS reconnecting: not yet
    }
    if (Date.now() > deadline) return { tally: await readStream(jsm), settled: false };
    await sleep(200);
  }
}
