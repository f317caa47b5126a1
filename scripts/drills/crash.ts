// Drill crash: `kill -9` of each service in turn (gateway, then agent-mcp, then exec-sim) in the
// middle of a stream of TradingView webhooks, each restarted at once. The sender retries a
// refused or failed webhook with the same idempotency key, as TradingView does. Afterwards no
// signal, intent or fill is lost, no fill is doubled (trade ids unique), and exec-sim's positions
// equal those of an undisturbed run of the same feed on a fresh platform. The feed has entries,
// adds, reversals and exits (strategyAlerts): their sizes depend on the position the agent holds,
// which agent-mcp rebuilds from the stream after its kill.
// `npx tsx scripts/drills/crash.ts` (or `make drill-crash`): exit 1 when any of it did not happen.
import { DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { loadAgentsConfig } from '../../services/agent-mcp/src/runtime/agents-file.js';
import { agentDurable } from '../../services/agent-mcp/src/runtime/ids.js';
import { ensureConsumer } from '../../services/core/src/index.js';
import { createDrillRecorder, type DrillRecorder, type DrillResult, isMainModule, runDrillCli } from './support/drill.js';
import { checkPipeline, type StreamTally, waitForPipeline } from './support/stream-tally.js';
import { DRILL_STREAM, seconds, startDrillPlatform, waitGatewayReady } from './support/trading-platform.js';
import { type FeedAlert, gatewayKey, sendPaced, strategyAlerts } from './support/webhook-feed.js';

export interface CrashDrillOptions {
  /** Webhooks in the feed (default 48). */
  webhooks?: number;
  /** Pause between webhooks of the disturbed run (default 100 ms). */
  intervalMs?: number;
  /** Services killed, in this order, evenly spread over the feed (default: gateway, agent-mcp, exec-sim). */
  victims?: readonly string[];
}

const VICTIMS = ['gateway', 'agent-mcp', 'exec-sim'] as const;
/**
 * A killed consumer's unacknowledged messages come back after the consumer's ack wait (30 s by
 * default); the drill shortens it so the redeliveries happen within its time budget.
 */
const ACK_WAIT_MS = 4_000;
/** A sender gives up on a webhook after this long (TradingView retries for a while, then drops the alert). */
const RETRY_FOR_MS = 30_000;

interface FeedRun {
  tally: StreamTally;
  settled: boolean;
  /** Net quantity per `strategy symbol`, from exec-sim's trade API. */
  positions: Map<string, number>;
}

export async function runCrashDrill(options: CrashDrillOptions = {}): Promise<DrillResult> {
  const drill = createDrillRecorder('crash');
  const { webhooks = 48, intervalMs = 100, victims = VICTIMS } = options;
  const alerts = strategyAlerts(webhooks, 'crash');

  // Side by side, each on its own nats-server and services: the drill waits for one, not for both in turn.
  const [baseline, disturbed] = await Promise.all([runFeed(alerts, 20), runFeed(alerts, intervalMs, drill, victims)]);
  drill.observe(
    `undisturbed run: ${baseline.tally.intents.length} intents, ${baseline.tally.fills.length} fills, positions ${format(baseline.positions)}`,
  );
  drill.check(baseline.settled, 'the undisturbed run did not settle: the drill cannot compare');
  drill.observe(
    `disturbed run: ${disturbed.tally.intents.length} intents, ${disturbed.tally.fills.length} fills, positions ${format(disturbed.positions)}`,
  );
  drill.check(disturbed.settled, 'the disturbed run did not settle within 30 s after the feed (signals, intents or fills missing)');
  checkPipeline(
    drill,
    disturbed.tally,
    alerts.map((a) => gatewayKey(a.key)),
  );
  compareRuns(drill, baseline, disturbed);
  return drill.result();
}

/** One fresh platform, the feed, optionally a kill -9 of each service a quarter of the way apart. */
async function runFeed(
  alerts: readonly FeedAlert[],
  intervalMs: number,
  drill?: DrillRecorder,
  victims: readonly string[] = [],
): Promise<FeedRun> {
  const run = await startDrillPlatform({ prepare: shortenAckWaits });
  try {
    await waitGatewayReady(run.platform);
    let restarting: Promise<void> = Promise.resolve();
    const killAt = new Map(victims.map((victim, n) => [Math.floor(((n + 1) * alerts.length) / (victims.length + 1)), victim]));
    const outcomes = await sendPaced(run.webhookUrl, alerts, intervalMs, {
      retryForMs: RETRY_FOR_MS,
      // The feed's exits and reversals mean something only in order: a retried alert must not be overtaken.
      inOrder: true,
      beforeSend: async (i) => {
        const victim = drill && killAt.get(i);
        if (!victim) return;
        await restarting; // one service down at a time
        restarting = killAndRestart(drill, run.platform, victim, i);
      },
    });
    await restarting;
    const unanswered = outcomes.filter((o) => o.status !== 202).map((o) => `${o.key}: ${o.status} after ${o.attempts} attempts`);
    drill?.check(unanswered.length === 0, `webhooks never accepted: ${unanswered.slice(0, 5).join(', ')}`);
    const retried = outcomes.filter((o) => o.attempts > 1).length;
    drill?.observe(`${outcomes.length} webhooks accepted; ${retried} needed a retry (same X-Idempotency-Key)`);

    const { tally, settled } = await waitForPipeline(run.observer.jsm, alerts.length, 30_000);
    if (drill) await reportRedeliveries(drill, run.observer.jsm, { signals: tally.normalized.length, intents: tally.intents.length });
    const res = await fetch(`${run.platform.url('exec-sim')}/positions`);
    const { positions } = (await res.json()) as { positions: { strategyId: string; instrument: { symbol: string }; quantity: number }[] };
    return { tally, settled, positions: new Map(positions.map((p) => [`${p.strategyId} ${p.instrument.symbol}`, p.quantity])) };
  } finally {
    await run.stop();
  }
}

async function killAndRestart(
  drill: DrillRecorder,
  platform: Awaited<ReturnType<typeof startDrillPlatform>>['platform'],
  victim: string,
  at: number,
): Promise<void> {
  const pid = platform.services.get(victim)?.child.pid;
  await platform.kill(victim, 'SIGKILL');
  const killed = Date.now();
  await platform.restart(victim);
  drill.observe(`kill -9 ${victim} (pid ${pid}) before webhook #${at + 1}; restarted and healthy after ${seconds(Date.now() - killed)}`);
}

/** Deliveries beyond one per message: what the kills left unacknowledged and JetStream sent again. */
async function reportRedeliveries(
  drill: DrillRecorder,
  jsm: JetStreamManager,
  counts: { signals: number; intents: number },
): Promise<void> {
  const consumers = [...loadAgentsConfig().map((agent) => ({ durable: agentDurable(agent.id), messages: counts.signals }))];
  consumers.push({ durable: 'exec-sim-intents', messages: counts.intents }, { durable: 'exec-sim-prices', messages: counts.signals });
  const lines: string[] = [];
  for (const { durable, messages } of consumers) {
    const info = await jsm.consumers.info(DRILL_STREAM, durable);
    lines.push(`${durable} ${info.delivered.consumer_seq - messages}`);
  }
  drill.observe(`redeliveries after the kills: ${lines.join(', ')}`);
}

/**
 * The agents' consumers and exec-sim's, with a short ack wait. The agents' are created here as
 * `new` (agent-mcp writes a start sequence instead, and reads durables made as `new` by their
 * creation time: the drill keeps that path exercised).
 */
async function shortenAckWaits(jsm: JetStreamManager): Promise<void> {
  const ackWait = ACK_WAIT_MS * 1_000_000; // nanoseconds
  for (const agent of loadAgentsConfig()) {
    await ensureConsumer(jsm, DRILL_STREAM, {
      durable_name: agentDurable(agent.id),
      filter_subject: 'signals.normalized',
      deliver_policy: DeliverPolicy.New,
      ack_wait: ackWait,
    });
  }
  for (const durable of ['exec-sim-intents', 'exec-sim-prices']) {
    await jsm.consumers.update(DRILL_STREAM, durable, { ack_wait: ackWait });
  }
}

function compareRuns(drill: DrillRecorder, baseline: FeedRun, disturbed: FeedRun): void {
  const filledBy = (run: FeedRun) => {
    const qty = new Map<string, number>();
    for (const fill of run.tally.fills) qty.set(fill.clientOrderId, (qty.get(fill.clientOrderId) ?? 0) + fill.lastQty);
    return qty;
  };
  const expected = new Set(baseline.tally.intents.map((i) => i.clientOrderId));
  const got = new Set(disturbed.tally.intents.map((i) => i.clientOrderId));
  const lost = [...expected].filter((id) => !got.has(id));
  const extra = [...got].filter((id) => !expected.has(id));
  drill.check(lost.length === 0, `${lost.length} intent(s) of the undisturbed run are missing: ${lost.slice(0, 5).join(', ')}`);
  drill.check(extra.length === 0, `${extra.length} intent(s) the undisturbed run did not have: ${extra.slice(0, 5).join(', ')}`);
  const baseFilled = filledBy(baseline);
  const gotFilled = filledBy(disturbed);
  const differ = [...new Set([...baseFilled.keys(), ...gotFilled.keys()])].filter((id) => baseFilled.get(id) !== gotFilled.get(id));
  drill.check(
    differ.length === 0,
    `${differ.length} order(s) filled for another quantity than undisturbed: ${differ.slice(0, 5).join(', ')}`,
  );
  const same =
    baseline.positions.size === disturbed.positions.size &&
    [...baseline.positions].every(([key, qty]) => disturbed.positions.get(key) === qty);
  drill.check(same, `positions differ: undisturbed ${format(baseline.positions)}, disturbed ${format(disturbed.positions)}`);
  drill.check(baseline.positions.size > 0, 'the undisturbed run has no position: the comparison proves nothing');
  if (same) drill.observe('positions equal those of the undisturbed run');
}

const format = (positions: Map<string, number>) =>
  [...positions]
    .sort()
    .map(([key, qty]) => `${key}=${qty}`)
    .join(', ') || 'none';

if (isMainModule(import.meta.url)) await runDrillCli(() => runCrashDrill());
