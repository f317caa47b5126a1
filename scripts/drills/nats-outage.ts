// Drill nats-outage: nats-server goes away in the middle of a steady stream of TradingView
// webhooks and comes back.
//   during   every service still answers /health; /ready says what is wrong (the gateway stays
//            ready but degraded, spooling; agent-mcp and exec-sim are not ready); the gateway
//            keeps answering 202 and says the webhook is queued;
//   after    every webhook gave exactly one signals.raw and one signals.normalized (counted by
//            idempotency key in the stream), at most one intent per agent per signal and one
//            fill per intent; printed: NATS back -> spool drained -> every fill in.
// `npx tsx scripts/drills/nats-outage.ts` (or `make drill-nats-outage`): exit 1 when any of it did not happen.
import { createDrillRecorder, type DrillRecorder, type DrillResult, isMainModule, runDrillCli } from './support/drill.js';
import { checkPipeline, waitForPipeline } from './support/stream-tally.js';
import {
  type DrillPlatform,
  type ReadyReport,
  readiness,
  seconds,
  sleep,
  startDrillPlatform,
  waitGatewayReady,
} from './support/trading-platform.js';
import { buyAlerts, gatewayKey, type SendOutcome, sendPaced } from './support/webhook-feed.js';

export interface NatsOutageDrillOptions {
  /** Webhooks in the stream (default 60). */
  webhooks?: number;
  /** Pause between webhooks (default 80 ms). */
  intervalMs?: number;
  /** How long NATS stays down (default 3 s). */
  outageMs?: number;
}

export async function runNatsOutageDrill(options: NatsOutageDrillOptions = {}): Promise<DrillResult> {
  const drill = createDrillRecorder('nats-outage');
  const { webhooks = 60, intervalMs = 80, outageMs = 3_000 } = options;
  const run = await startDrillPlatform();
  try {
    await waitGatewayReady(run.platform);
    const alerts = buyAlerts(webhooks, `outage-${Date.now()}`);
    const downAt = Math.floor(webhooks / 4);
    let outage: Promise<OutageTimes> | undefined;
    const outcomes = await sendPaced(run.webhookUrl, alerts, intervalMs, {
      beforeSend: (i) => {
        if (i === downAt) outage = stopAndRestoreNats(drill, run, outageMs);
      },
    });
    const times = await (outage as Promise<OutageTimes>);
    reportAnswers(drill, outcomes, downAt);

    const drained = await times.drained;
    const { tally, settled } = await waitForPipeline(run.observer.jsm, webhooks, 30_000);
    const allIn = Date.now();
    drill.check(settled, 'the pipeline did not settle within 30 s after NATS came back (signals, intents or fills missing)');
    const summary = checkPipeline(
      drill,
      tally,
      alerts.map((a) => gatewayKey(a.key)),
    );
    drill.observe(
      `stream after recovery: ${summary.signals} normalized signals, ${summary.intents} intents, ${summary.fills} fills; filled by agent ${JSON.stringify(summary.filledByAgent)}`,
    );
    drill.check(summary.intents > 0, 'no intent at all: the feed should make tv-follow order');
    drill.observe(
      `recovery: NATS back at +0.0 s -> spool drained at +${seconds(drained - times.back)} -> all fills in at +${seconds(allIn - times.back)} (outage ${seconds(times.back - times.down)})`,
    );
    return drill.result();
  } finally {
    await run.stop();
  }
}

interface OutageTimes {
  down: number;
  back: number;
  /** When the gateway's spool was empty again, watched from the moment NATS is back. */
  drained: Promise<number>;
}

async function stopAndRestoreNats(drill: DrillRecorder, run: DrillPlatform, outageMs: number): Promise<OutageTimes> {
  await run.nats.pause();
  const down = Date.now();
  drill.observe('nats-server stopped');
  await sleep(Math.min(1_000, outageMs / 2)); // the services have noticed by now
  // Every service the launcher started (the list in scripts/platform/services.ts), not a copy of it.
  for (const service of run.platform.services.keys()) {
    const health = await fetch(`${run.platform.url(service)}/health`).then(
      (r) => r.status,
      () => 0,
    );
    const ready = await readiness(run.platform, service).catch((): ReadyReport => ({ code: 0, status: 'no answer', failing: [] }));
    const failing = ready.failing.length > 2 ? [...ready.failing.slice(0, 2), `${ready.failing.length - 2} more`] : ready.failing;
    drill.observe(`during the outage ${service}: /health ${health}, /ready ${ready.code} ${ready.status} (${failing.join('; ')})`);
    drill.check(health === 200, `${service} /health answered ${health} during the outage`);
    if (service === 'gateway') {
      drill.check(
        ready.code === 200 && ready.status === 'degraded',
        `the gateway's /ready should be 200 degraded, was ${ready.code} ${ready.status}`,
      );
    } else {
      drill.check(
        ready.code === 503 && ready.failing.some((f) => f.startsWith('nats')),
        `${service} /ready should be 503 naming NATS, was ${ready.code}`,
      );
    }
  }
  await sleep(Math.max(0, down + outageMs - Date.now()));
  await run.nats.resume();
  const back = Date.now();
  drill.observe('nats-server started again (same port, same store)');
  return { down, back, drained: spoolDrained(run) };
}

function reportAnswers(drill: DrillRecorder, outcomes: SendOutcome[], downAt: number): void {
  const by = (status: number, delivery?: string) =>
    outcomes.filter((o) => o.status === status && (delivery === undefined || o.delivery === delivery)).length;
  const published = by(202, 'published');
  const queued = by(202, 'queued');
  drill.observe(
    `${outcomes.length} webhooks (NATS stopped before #${downAt + 1}): ${published} answered 202 published, ${queued} answered 202 queued, ${outcomes.length - published - queued} other`,
  );
  const others = outcomes.filter((o) => o.status !== 202).map((o) => `${o.key}: ${o.status}`);
  drill.check(others.length === 0, `webhooks not answered 202: ${others.slice(0, 5).join(', ')}`);
  drill.check(queued > 0, 'no webhook was answered "queued": the gateway did not spool during the outage');
}

/** When the gateway's spool is empty again (its /ready reports it). */
async function spoolDrained(run: DrillPlatform): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${run.platform.url('gateway')}/ready`).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { status?: string; checks?: { spool?: { detail?: string } } } | undefined;
    if (body?.status === 'ready' && body.checks?.spool?.detail === 'empty') return Date.now();
    await sleep(50);
  }
  return Date.now();
}

if (isMainModule(import.meta.url)) await runDrillCli(() => runNatsOutageDrill());
