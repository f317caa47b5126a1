// Drill slow-consumer: exec-sim's price consumer (exec-sim-prices, one of the two signal
// consumers the gateway watches) is held at max_ack_pending=1 while concurrent senders flood the
// gateway, whose backpressure threshold (GATEWAY_MAX_CONSUMER_PENDING) is set low. One message at
// a time is still fast enough to keep up with a gateway on a busy machine, so exec-sim is also
// stalled (SIGSTOP) for the first part of the flood, as a long GC pause or a starved CPU would:
// its backlog then passes the threshold on any machine, and after SIGCONT it drains one message
// at a time while the flood goes on.
//   backpressure  past the threshold the gateway answers 429/503 with Retry-After, and the
//                 consumer's backlog stops growing (bounded by the threshold plus what the gateway
//                 accepts within three of its once-a-second backlog polls);
//   memory        each process's peak RSS (VmHWM) grows by a bounded amount during the flood;
//   nothing lost  every accepted webhook is one raw and one normalized signal, no refused one
//                 reached the stream; once the backlog drains the gateway accepts again.
// Printed: pending over time, peak memory per process, accepted vs refused.
// `npx tsx scripts/drills/slow-consumer.ts` (or `make drill-slow-consumer`): exit 1 when any of it did not happen.
import { peakRssOfPid } from '../platform/launcher.js';
import { createDrillRecorder, type DrillRecorder, type DrillResult, isMainModule, runDrillCli } from './support/drill.js';
import { checkPipeline, readStream } from './support/stream-tally.js';
import {
  consumerBacklog,
  DRILL_STREAM,
  type DrillPlatform,
  seconds,
  sleep,
  startDrillPlatform,
  waitGatewayReady,
} from './support/trading-platform.js';
import { buyAlert, gatewayKey, type SendOutcome, sendAlert } from './support/webhook-feed.js';

export interface SlowConsumerDrillOptions {
  /** GATEWAY_MAX_CONSUMER_PENDING for the drill (default 50). */
  maxConsumerPending?: number;
  /** How long the flood lasts (default 6 s). */
  floodMs?: number;
  /** Concurrent senders (default 16). */
  senders?: number;
  /** exec-sim is stopped from +0.5 s for at least this long (default 2.5 s). */
  stallMs?: number;
}

const SLOW_DURABLE = 'exec-sim-prices';
const STALL_FROM_MS = 500;
/** The gateway reads the consumers' backlog once a second (ingest/backpressure.ts). */
const GATEWAY_POLL_MS = 1_000;
const REACTION_POLLS = 3;
/** Growth of a process's peak RSS during the flood that still counts as bounded. */
const MAX_RSS_GROWTH_BYTES = 256 * 1024 * 1024;
const MB = 1024 * 1024;

export async function runSlowConsumerDrill(options: SlowConsumerDrillOptions = {}): Promise<DrillResult> {
  const drill = createDrillRecorder('slow-consumer');
  const { maxConsumerPending = 50, floodMs = 6_000, senders = 16, stallMs = 2_500 } = options;
  const run = await startDrillPlatform({
    // The agents ack without deciding: the drill is about the signal path, not about orders.
    env: { GATEWAY_MAX_CONSUMER_PENDING: String(maxConsumerPending), AGENTS_DISABLED: 'tv-follow,momentum-20' },
    prepare: (jsm) => jsm.consumers.update(DRILL_STREAM, SLOW_DURABLE, { max_ack_pending: 1 }).then(() => undefined),
  });
  try {
    await waitGatewayReady(run.platform);
    const info = await run.observer.jsm.consumers.info(DRILL_STREAM, SLOW_DURABLE);
    drill.observe(
      `${SLOW_DURABLE}: max_ack_pending ${info.config.max_ack_pending}; gateway threshold GATEWAY_MAX_CONSUMER_PENDING=${maxConsumerPending}`,
    );
    const before = peakMemory(run);

    const sampling = samplePending(run, floodMs);
    const stall = stallExecSim(drill, run, { stallMs, threshold: maxConsumerPending, floodMs });
    const outcomes = await flood(run, floodMs, senders);
    await stall;
    const samples = await sampling;
    reportPending(drill, samples, maxConsumerPending, outcomes, floodMs);
    const accepted = reportAnswers(drill, outcomes);
    reportMemory(drill, before, peakMemory(run));

    const drainStarted = Date.now();
    await waitDrained(run);
    drill.observe(`${SLOW_DURABLE} drained its backlog ${seconds(Date.now() - drainStarted)} after the flood`);
    const after = await acceptedAgain(run);
    drill.check(after.status === 202, `after the backlog drained the gateway still answers ${after.status}`);
    drill.observe(`a webhook after the drain: ${after.status} ${after.delivery ?? ''} (after ${after.attempts} attempt(s))`);

    const tally = await readStream(run.observer.jsm);
    const keys = [...accepted, after.key].map(gatewayKey);
    const summary = checkPipeline(drill, tally, after.status === 202 ? keys : keys.slice(0, -1));
    drill.observe(
      `stream: ${tally.raw.length} raw and ${summary.signals} normalized signals for ${accepted.length + 1} accepted webhooks; refused ones: none in the stream`,
    );
    return drill.result();
  } finally {
    await run.stop();
  }
}

async function flood(run: DrillPlatform, floodMs: number, senders: number): Promise<(SendOutcome & { at: number })[]> {
  const outcomes: (SendOutcome & { at: number })[] = [];
  const started = Date.now();
  const runId = `flood-${started}`;
  let next = 0;
  const sender = async () => {
    while (Date.now() - started < floodMs) {
      const outcome = await sendAlert(run.webhookUrl, buyAlert(next++, runId));
      outcomes.push({ ...outcome, at: Date.now() - started });
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  return outcomes;
}

/**
 * SIGSTOP then SIGCONT: exec-sim stays alive and connected but takes nothing, for `stallMs` and
 * then until its backlog passes the threshold (a slower machine floods more slowly), at most
 * until a second before the flood ends.
 */
async function stallExecSim(
  drill: DrillRecorder,
  run: DrillPlatform,
  options: { stallMs: number; threshold: number; floodMs: number },
): Promise<void> {
  const pid = run.platform.services.get('exec-sim')?.child.pid;
  if (pid === undefined) throw new Error('exec-sim is not running');
  await sleep(STALL_FROM_MS);
  process.kill(pid, 'SIGSTOP');
  const stopped = Date.now();
  try {
    await sleep(options.stallMs);
    const latest = stopped + options.floodMs - STALL_FROM_MS - 1_000;
    while (Date.now() < latest && (await consumerBacklog(run.observer.jsm, SLOW_DURABLE).catch(() => 0)) < options.threshold)
      await sleep(100);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  drill.observe(
    `exec-sim (pid ${pid}) stalled with SIGSTOP from +${seconds(STALL_FROM_MS)} for ${seconds(Date.now() - stopped)}, then SIGCONT`,
  );
}

interface PendingSample {
  at: number;
  pending: number;
}

async function samplePending(run: DrillPlatform, floodMs: number): Promise<PendingSample[]> {
  const samples: PendingSample[] = [];
  const started = Date.now();
  while (Date.now() - started < floodMs) {
    const pending = await consumerBacklog(run.observer.jsm, SLOW_DURABLE).catch(() => undefined);
    if (pending !== undefined) samples.push({ at: Date.now() - started, pending });
    await sleep(250);
  }
  return samples;
}

function reportPending(
  drill: DrillRecorder,
  samples: PendingSample[],
  threshold: number,
  outcomes: (SendOutcome & { at: number })[],
  floodMs: number,
): void {
  const series = samples.filter((_, i) => i % 2 === 1).map((s) => `+${seconds(s.at)}: ${s.pending}`);
  drill.observe(`${SLOW_DURABLE} pending (unprocessed + unacked) during the flood: ${series.join(', ')}`);
  const peak = Math.max(0, ...samples.map((s) => s.pending));
  // The gateway acts on a backlog it read up to one poll ago, and a poll itself takes a while on a
  // busy machine: what it accepts within its reaction time (taken as three polls) may still add up.
  const windows = Math.ceil(floodMs / GATEWAY_POLL_MS);
  const perWindow = Array.from(
    { length: windows },
    (_, w) =>
      outcomes.filter((o) => o.status === 202 && o.at >= w * GATEWAY_POLL_MS && o.at < (w + REACTION_POLLS) * GATEWAY_POLL_MS).length,
  );
  const bound = threshold + Math.max(0, ...perWindow);
  drill.observe(`peak pending ${peak}; bound: threshold ${threshold} + the most accepted in ${REACTION_POLLS} poll intervals = ${bound}`);
  drill.check(peak <= bound, `pending reached ${peak}, past the bound ${bound}: backpressure did not hold the backlog`);
  drill.check(peak >= threshold, `pending peaked at ${peak}, under the threshold ${threshold}: the flood did not engage backpressure`);
}

function reportAnswers(drill: DrillRecorder, outcomes: SendOutcome[]): string[] {
  const accepted = outcomes.filter((o) => o.status === 202);
  const refused = outcomes.filter((o) => o.status === 429 || o.status === 503);
  const other = outcomes.filter((o) => o.status !== 202 && o.status !== 429 && o.status !== 503);
  const retryAfter = [...new Set(refused.map((o) => o.retryAfter ?? 'missing'))];
  drill.observe(
    `${outcomes.length} webhooks: ${accepted.length} accepted (202), ${refused.length} refused (${countOf(refused, 429)} x 429, ${countOf(refused, 503)} x 503, Retry-After ${retryAfter.join('/')}), ${other.length} other`,
  );
  drill.check(refused.length > 0, 'no webhook was refused: backpressure never engaged');
  drill.check(
    refused.every((o) => o.retryAfter && Number(o.retryAfter) > 0),
    'a refused webhook had no Retry-After',
  );
  drill.check(
    other.length === 0,
    `unexpected answers: ${other
      .slice(0, 5)
      .map((o) => o.status)
      .join(', ')}`,
  );
  return accepted.map((o) => o.key);
}

const countOf = (outcomes: SendOutcome[], status: number) => outcomes.filter((o) => o.status === status).length;

/** Peak resident memory of each service and of nats-server, in bytes. */
function peakMemory(run: DrillPlatform): Map<string, number | undefined> {
  const peaks = new Map<string, number | undefined>(
    [...run.platform.services.keys()].map((name) => [name, run.platform.peakRssBytes(name)]),
  );
  peaks.set('nats-server', peakRssOfPid(run.nats.pid));
  return peaks;
}

function reportMemory(drill: DrillRecorder, before: Map<string, number | undefined>, after: Map<string, number | undefined>): void {
  const lines: string[] = [];
  for (const [name, peak] of after) {
    const start = before.get(name);
    if (peak === undefined || start === undefined) {
      lines.push(`${name} unknown`);
      continue;
    }
    lines.push(`${name} ${(peak / MB).toFixed(0)} MB (+${((peak - start) / MB).toFixed(0)})`);
    drill.check(
      peak - start <= MAX_RSS_GROWTH_BYTES,
      `${name}'s peak memory grew by ${((peak - start) / MB).toFixed(0)} MB during the flood`,
    );
  }
  drill.observe(`peak memory (VmHWM) after the flood, growth since before it: ${lines.join(', ')}`);
}

async function waitDrained(run: DrillPlatform): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await consumerBacklog(run.observer.jsm, SLOW_DURABLE).catch(() => 1)) === 0) return;
    await sleep(100);
  }
}

/** One more webhook once the backlog is gone; the gateway notices at its next poll, so retry 429s briefly. */
async function acceptedAgain(run: DrillPlatform): Promise<SendOutcome> {
  const alert = buyAlert(0, `after-flood-${Date.now()}`);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const outcome = await sendAlert(run.webhookUrl, alert);
    if (outcome.status === 202 || Date.now() > deadline) return outcome;
    await sleep(250);
  }
}

if (isMainModule(import.meta.url)) await runDrillCli(() => runSlowConsumerDrill());
