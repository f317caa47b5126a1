// End to end, signal to fill, through the real services, against a raw three-hop JetStream relay
// in the same run on the same nats-server (the machines are shared: compare the ratio, not the
// absolute figures).
//   platform  gateway, agent-mcp and exec-sim, each its own process (`node --import tsx
//             services/<x>/src/main.ts`, as `make dev` starts them): TradingView webhooks over HTTP
//             -> signals.raw + signals.normalized -> the tv-follow agent -> decisions.order_intent
//             -> exec-sim (risk, market order, fill) -> executions.fill.
//   relay     consume, publish, consume, publish, consume with bare @nats-io/jetstream: the load
//             generator publishes a signal-sized message, two hop processes (support/relay-hop.ts)
//             each consume and publish the next (intent-sized, then fill-sized, with the same
//             headers as the platform's events), and the observer consumes the last.
// Each load of BENCH_LOADS is offered for BENCH_SECONDS to each target: a number is an open loop
// (that many webhooks per second, whatever the answers), `max` a closed loop of
// BENCH_MAX_CONNECTIONS concurrent senders. Then the bench waits for every accepted message's
// fill (at most BENCH_DRAIN_SECONDS; it gives up sooner when nothing arrives for 15 s).
//   fills/s   fills / (last fill stored - first send), so a backlog drained after the sending
//             stops counts at the rate it drained (sustained throughput, not the offered rate)
//   latency   the fill's JetStream store time - the send call, matched by correlation id (the
//             platform's: the gateway's raw signal id, from X-Idempotency-Key; ce-correlationid
//             on the intent and the fill)
//   memory    VmHWM (peak resident) of every process during each platform load, reset before it
// exec-sim gets a risk config that admits the whole load (rate, position and notional limits for
// the tv-follow strategy); momentum-20 is disabled so that one webhook makes exactly one intent.
// Prints tables and writes dist/bench/end-to-end.json. Settings: BENCH_SECONDS (5), BENCH_LOADS
// (50,200,800,max), BENCH_MAX_CONNECTIONS (16), BENCH_WARMUP (100 webhooks), BENCH_DRAIN_SECONDS
// (90), BENCH_TARGETS (relay,platform), BENCH_LOG_LEVEL (the services' LOG_LEVEL, warn).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { stringify } from 'yaml';
import { provisionStreams } from '../../generated/index.js';
import { connectNats, deterministicId, type NatsRuntime } from '../../services/core/src/index.js';
import { headersRecord } from '../../services/core/src/nats/headers.js';
import { type NatsServerHandle, startNatsServer } from '../../services/core/src/nats/local-server.js';
import { launchPlatform } from '../platform/launcher.js';
import { SERVICES } from '../platform/services.js';
import { percentile, sleep } from './support/measure.js';
import { type BenchProcess, type MemoryKb, memoryOf, resetPeakMemory, startTsxProcess, waitHttpOk } from './support/processes.js';
import { relayPayload } from './support/relay-hop.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STREAM = 'trading-events';
const RELAY_STREAM = 'bench-relay';
const TOKEN = 'bench-e2e-token-0123456789';
const SECRET = 'bench-e2e-secret-0123456789';
const CORRELATION = 'ce-correlationid';
const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];
const DRAIN_IDLE_MS = 15_000;
const TARGET_NAMES = ['relay', 'platform'] as const;
type TargetName = (typeof TARGET_NAMES)[number];
type Load = number | 'max';

const settings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  loads: (process.env.BENCH_LOADS ?? '50,200,800,max').split(',').map((l): Load => (l.trim() === 'max' ? 'max' : Number(l))),
  maxConnections: Number(process.env.BENCH_MAX_CONNECTIONS ?? 16),
  warmup: Number(process.env.BENCH_WARMUP ?? 100),
  drainSeconds: Number(process.env.BENCH_DRAIN_SECONDS ?? 90),
  targets: (process.env.BENCH_TARGETS ?? 'relay,platform').split(',').map((t) => t.trim()) as TargetName[],
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
};

const wallMs = () => performance.timeOrigin + performance.now();
const nanosToMs = (ns: bigint) => Number(ns / 1_000n) / 1_000;
const loadLabel = (load: Load) => (load === 'max' ? `max (${settings.maxConnections} concurrent)` : `${load}/s`);
const log = (line: string) => console.log(`[e2e] ${line}`);

// ---------------------------------------------------------------------------------------------
// What arrives at the end of each target, by correlation id.

interface Arrivals {
  /** Fill store time (ms since the epoch) by correlation id. */
  fills: Map<string, number>;
  /** Rejection reason by correlation id (the platform's risk checks). */
  rejections: Map<string, string>;
  /** Store time of the intermediate events by subject, in flow order (signal, intent), for the per-hop split. */
  stages: Map<string, Map<string, number>>;
}

function arrivalsOf(stageSubjects: string[]): Arrivals {
  return { fills: new Map(), rejections: new Map(), stages: new Map(stageSubjects.map((subject) => [subject, new Map()])) };
}

/** Records every event's store time by its ce-correlationid; `fill` says whether a fill event completes the flow. */
function recordArrival(arrivals: Arrivals, fillSubject: string, fillCompletes: (msg: JsMsg) => boolean) {
  return (msg: JsMsg) => {
    const correlationId = msg.headers?.get(CORRELATION) ?? '';
    const storedMs = nanosToMs(msg.timestampNanos);
    if (msg.subject === fillSubject) {
      if (fillCompletes(msg)) arrivals.fills.set(correlationId, storedMs);
    } else if (msg.subject === 'executions.order') {
      const update = msg.json<{ status: string; reasonCode?: string }>();
      if (update.status === 'rejected') arrivals.rejections.set(correlationId, update.reasonCode ?? 'rejected');
    } else {
      arrivals.stages.get(msg.subject)?.set(correlationId, storedMs);
    }
  };
}

async function observe(runtime: NatsRuntime, stream: string, filter: string, handle: (msg: JsMsg) => void): Promise<() => Promise<void>> {
  const consumer = await runtime.js.consumers.get(stream, { filter_subjects: filter, deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume({ max_messages: 1_000 });
  const done = (async () => {
    for await (const msg of messages) handle(msg);
  })();
  return async () => {
    await messages.close();
    await done.catch(() => undefined);
  };
}

// ---------------------------------------------------------------------------------------------
// Targets: how one message is sent, and what its correlation id is.

interface Sent {
  correlationId: string;
  /** Accepted (202 / a publish ack); else the refusal (status code or error). */
  refused?: string;
}

interface Target {
  name: TargetName;
  arrivals: Arrivals;
  /** Names of the flow's segments: send -> first stage, each stage -> the next, last stage -> fill. */
  segments: string[];
  send(run: number, n: number): Promise<Sent>;
  /** Prints where the flow stopped for messages that got no answer. */
  explainMissing?(ids: string[]): Promise<void>;
}

/**
 * The n-th webhook of a run: an E-mini market order alert, sides alternating, price moving a
 * little. No marketPosition: "sell" with a flat strategy position is an exit, which the agent
 * skips when it believes it is flat already (webhooks sent concurrently may arrive out of order).
 */
function webhookBody(run: number, n: number): string {
  const side = n % 2 === 0 ? 'buy' : 'sell';
  const now = new Date();
  return JSON.stringify({
    ticker: 'CME_MINI:ESZ2026',
    exchange: 'CME_MINI',
    interval: '1',
    time: new Date(now.getTime() - (now.getTime() % 60_000)).toISOString().replace('.000Z', 'Z'),
    timenow: now.toISOString(),
    action: side,
    contracts: 1,
    price: 6000 + (n % 40) * 0.25,
    orderType: 'market',
    orderId: side === 'buy' ? 'Bench Long' : 'Bench Short',
    comment: 'end-to-end bench',
    alertMessage: `ES ${side} 1 (run ${run}, alert ${n})`,
  });
}

function postWebhook(agent: Agent, port: number, body: string, idempotencyKey: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/webhooks/tradingview/${TOKEN}`,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'x-idempotency-key': idempotencyKey,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

function platformTarget(gatewayPort: number, arrivals: Arrivals): Target & { agent: Agent } {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return {
    name: 'platform',
    arrivals,
    segments: ['gateway', 'agent-mcp', 'exec-sim'],
    agent,
    async send(run, n) {
      const key = `e2e-${run}-${n}`;
      const correlationId = deterministicId('signals.raw', `tradingview:key:${key}`);
      try {
        const status = await postWebhook(agent, gatewayPort, webhookBody(run, n), key);
        return status === 202 ? { correlationId } : { correlationId, refused: String(status) };
      } catch (err) {
        return { correlationId, refused: (err as NodeJS.ErrnoException).code ?? 'error' };
      }
    },
  };
}

interface MessageShape {
  payloadBytes: number;
  headers: Record<string, string>;
}

function relayTarget(runtime: NatsRuntime, signal: MessageShape, arrivals: Arrivals): Target {
  return {
    name: 'relay',
    arrivals,
    segments: ['publish', 'hop 1', 'hop 2'],
    async send(run, n) {
      const correlationId = `relay-${run}-${n}`;
      const h = natsHeaders();
      for (const [key, value] of Object.entries(signal.headers)) h.set(key, value);
      h.set(CORRELATION, correlationId);
      try {
        await runtime.js.publish('relay.signal', relayPayload(correlationId, signal.payloadBytes), { headers: h, msgID: correlationId });
        return { correlationId };
      } catch (err) {
        return { correlationId, refused: (err as Error).name };
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Offering a load, and waiting for what it produced.

interface Offered {
  sentAt: Map<string, number>;
  accepted: string[];
  refused: Record<string, number>;
  sendSeconds: number;
}

/** Sends for `seconds`: `rate` per second on a schedule (open loop), or `connections` back-to-back senders (closed loop). */
async function offer(target: Target, load: Load, seconds: number, run: number): Promise<Offered> {
  const sentAt = new Map<string, number>();
  const accepted: string[] = [];
  const refused: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let next = 0;
  const sendOne = () => {
    const n = next++;
    const at = wallMs();
    const p = target.send(run, n).then((sent) => {
      sentAt.set(sent.correlationId, at);
      if (sent.refused === undefined) accepted.push(sent.correlationId);
      else refused[sent.refused] = (refused[sent.refused] ?? 0) + 1;
    });
    pending.add(p);
    return p.finally(() => pending.delete(p));
  };
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  if (load === 'max') {
    await Promise.all(
      Array.from({ length: settings.maxConnections }, async () => {
        while (elapsed() < seconds) await sendOne();
      }),
    );
  } else {
    // Open loop: what is due by now goes out now, answered or not (bounded, so a stalled target cannot exhaust memory).
    const cap = Math.max(256, load);
    while (elapsed() < seconds) {
      const due = Math.min(Math.floor(load * elapsed()), Math.ceil(load * seconds));
      while (next < due && pending.size < cap) void sendOne();
      await sleep(2);
    }
  }
  const sendSeconds = elapsed();
  await Promise.all(pending);
  return { sentAt, accepted, refused, sendSeconds };
}

/** Waits until every accepted message has a fill or a rejection, reporting progress; gives up when nothing moves for a while. */
async function drain(target: Target, label: string, accepted: string[]): Promise<void> {
  const deadline = Date.now() + settings.drainSeconds * 1000;
  const answered = () => accepted.filter((id) => target.arrivals.fills.has(id) || target.arrivals.rejections.has(id)).length;
  let last = -1;
  let lastChange = Date.now();
  let lastPrint = 0;
  for (;;) {
    const done = answered();
    if (done === accepted.length) return;
    if (done !== last) {
      last = done;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > DRAIN_IDLE_MS || Date.now() > deadline) {
      log(`${label}: gave up waiting, ${accepted.length - done} of ${accepted.length} accepted without a fill`);
      return;
    }
    if (Date.now() - lastPrint > 2_000) {
      log(`${label}: waiting for fills, ${done} of ${accepted.length} so far`);
      lastPrint = Date.now();
    }
    await sleep(50);
  }
}

interface RunRecord {
  target: TargetName;
  load: Load;
  sent: number;
  sentPerSec: number;
  accepted: number;
  refused: Record<string, number>;
  filled: number;
  rejected: Record<string, number>;
  missing: number;
  fillsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** [percentile, ms] pairs: the latency distribution, for the report's charts. */
  latencyPercentiles: [number, number][];
  /** Each segment's latency (ms): the gateway's, agent-mcp's and exec-sim's share (store time to store time). */
  segmentsMs: Record<string, { p50: number; p99: number }>;
  /** Last fill stored - end of sending: how long the backlog took to drain. */
  drainSeconds: number;
  /** Peak and current resident memory (kB) of each process of the target (and nats-server) during this run. */
  memoryKb: Record<string, MemoryKb>;
}

/** p50 and p99 of each segment over the filled messages: send -> stage 1 -> stage 2 -> fill. */
function segmentLatencies(target: Target, offered: Offered): Record<string, { p50: number; p99: number }> {
  const stages = [...target.arrivals.stages.values()];
  const bySegment = target.segments.map(() => [] as number[]);
  for (const id of offered.accepted) {
    const points = [offered.sentAt.get(id), ...stages.map((stage) => stage.get(id)), target.arrivals.fills.get(id)];
    if (points.some((p) => p === undefined)) continue;
    for (let i = 0; i < bySegment.length; i++) bySegment[i]?.push((points[i + 1] as number) - (points[i] as number));
  }
  return Object.fromEntries(
    target.segments.map((name, i) => {
      const sorted = (bySegment[i] ?? []).sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  );
}

async function runOnce(
  target: Target,
  load: Load,
  run: number,
  processes: BenchProcess[],
  natsPid: number | undefined,
): Promise<RunRecord> {
  const label = `${target.name.padEnd(8)} ${loadLabel(load)}`;
  const measured = [...processes.map((p) => [p.name, p.pid] as const), ['nats-server', natsPid] as const];
  for (const [, pid] of measured) resetPeakMemory(pid);
  log(`${label}: sending for ${settings.seconds} s`);
  const offered = await offer(target, load, settings.seconds, run);
  const sendEnd = wallMs();
  const refusedNote = Object.keys(offered.refused).length ? `, refused ${JSON.stringify(offered.refused)}` : '';
  log(
    `${label}: sent ${offered.sentAt.size} (${(offered.sentAt.size / offered.sendSeconds).toFixed(0)}/s), accepted ${offered.accepted.length}${refusedNote}`,
  );
  await drain(target, label, offered.accepted);
  const memoryKb = Object.fromEntries(measured.map(([name, pid]) => [name, memoryOf(pid)]));
  for (const proc of processes) if (proc.exited()) throw new Error(`${proc.name} ${proc.exited()} during the run:\n${proc.logTail()}`);

  const latencies: number[] = [];
  const rejected: Record<string, number> = {};
  let firstSend = Number.POSITIVE_INFINITY;
  let lastFill = 0;
  for (const id of offered.accepted) {
    const sent = offered.sentAt.get(id) as number;
    firstSend = Math.min(firstSend, sent);
    const fill = target.arrivals.fills.get(id);
    const rejection = target.arrivals.rejections.get(id);
    if (fill !== undefined) {
      latencies.push(fill - sent);
      lastFill = Math.max(lastFill, fill);
    } else if (rejection !== undefined) rejected[rejection] = (rejected[rejection] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const segmentsMs = segmentLatencies(target, offered);
  const rejectedCount = Object.values(rejected).reduce((a, b) => a + b, 0);
  const record: RunRecord = {
    target: target.name,
    load,
    sent: offered.sentAt.size,
    sentPerSec: offered.sentAt.size / offered.sendSeconds,
    accepted: offered.accepted.length,
    refused: offered.refused,
    filled: latencies.length,
    rejected,
    missing: offered.accepted.length - latencies.length - rejectedCount,
    fillsPerSec: latencies.length / Math.max(0.001, (lastFill - firstSend) / 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    latencyPercentiles: PERCENTILES.map((p) => [p, percentile(latencies, p)]),
    segmentsMs,
    drainSeconds: Math.max(0, (lastFill - sendEnd) / 1000),
    memoryKb,
  };
  record.memoryKb = memoryKb;
  log(
    `${label}: ${record.fillsPerSec.toFixed(0)} fills/s, p50 ${record.latencyMs.p50.toFixed(1)} ms, p99 ${record.latencyMs.p99.toFixed(1)} ms; ` +
      `filled ${record.filled}/${record.accepted}${rejectedCount ? `, rejected ${JSON.stringify(rejected)}` : ''}${record.missing ? `, MISSING ${record.missing}` : ''}`,
  );
  const split = Object.entries(segmentsMs).map(([name, ms]) => `${name} ${fmt(ms.p50, 1)}/${fmt(ms.p99, 1)}`);
  log(`${label}: p50/p99 ms by segment: ${split.join(', ')}`);
  if (record.missing > 0 && target.explainMissing) {
    const answered = (id: string) => target.arrivals.fills.has(id) || target.arrivals.rejections.has(id);
    await target.explainMissing(offered.accepted.filter((id) => !answered(id)));
  }
  return record;
}

/** Where the flow stopped for a few unanswered ids: the events the stream holds with their correlation id. */
async function traceMissing(runtime: NatsRuntime, stream: string, ids: string[]): Promise<void> {
  const wanted = new Map(ids.slice(0, 3).map((id) => [id, [] as string[]]));
  const last = (await runtime.jsm.streams.info(stream)).state.last_seq;
  const consumer = await runtime.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1_000 });
  for await (const msg of messages) {
    const steps = wanted.get(msg.headers?.get(CORRELATION) ?? '');
    if (steps) {
      const status = msg.subject === 'executions.order' ? `(${msg.json<{ status: string }>().status})` : '';
      steps.push(`${msg.subject}${status}`);
    }
    if (msg.seq >= last) break;
  }
  await messages.close();
  for (const [id, steps] of wanted) log(`  unanswered ${id}: ${steps.join(' -> ') || 'nothing in the stream'}`);
}

// ---------------------------------------------------------------------------------------------
// Setting up: nats-server, streams, the services, the relay hops.

/** Risk limits that admit the whole load: the bench measures the pipeline, not the throttle. */
function writeEngineConfig(dir: string): string {
  const file = path.join(dir, 'exec-sim-bench.yaml');
  const unlimited = { maxOrdersPerSecond: 1_000_000, maxOpenOrders: 1_000_000, maxGrossNotional: { USD: 1e15 } };
  writeFileSync(file, stringify({ risk: { instruments: { ES: { maxPosition: 1_000_000 } }, strategies: { 'tv-follow': unlimited } } }));
  return file;
}

/**
 * gateway, agent-mcp (tv-follow only) and exec-sim as `make dev` starts them (the shared launcher,
 * free ports, run order); observability stays out so the load measures the trading path alone.
 */
async function startPlatform(natsUrl: string, work: string): Promise<{ processes: BenchProcess[]; gatewayPort: number }> {
  const platform = await launchPlatform({
    natsUrl,
    stream: STREAM,
    ports: 'free',
    dataDir: work,
    services: SERVICES.filter((service) => service.name !== 'observability'),
    env: {
      HOST: '127.0.0.1',
      LOG_LEVEL: settings.logLevel,
      ENV: 'bench',
      EXEC_API_KEY: SECRET,
      AGENT_API_KEY: SECRET,
      MCP_AUTH_TOKEN: SECRET,
      AGENTS_DISABLED: 'momentum-20',
      TRADINGVIEW_WEBHOOK_TOKEN: TOKEN,
      EXEC_SIM_CONFIG: writeEngineConfig(work),
      EXEC_JOURNAL_STREAM: 'exec-sim-journal',
    },
    onStarting: (spec, url) => log(`starting ${spec.name} at ${url}, waiting for /health`),
  });
  const processes = [...platform.services.values()].map(
    ({ spec, child }): BenchProcess => ({
      name: spec.name,
      pid: child.pid ?? 0,
      logTail: () => platform.recentLines(spec.name).join('\n'),
      exited: () => (child.exitCode !== null || child.signalCode !== null ? `exited (${child.signalCode ?? child.exitCode})` : undefined),
      stop: () => platform.kill(spec.name, 'SIGTERM'),
    }),
  );
  // Ready, not just alive: connected to NATS with its consumers bound, so the warm-up is published.
  for (const proc of processes) await waitHttpOk(proc, platform.services.get(proc.name)?.port ?? 0, '/ready');
  return { processes, gatewayPort: platform.services.get('gateway')?.port ?? 0 };
}

/** The size and headers of the last event stored on `subject`: the relay copies them. */
async function shapeOf(runtime: NatsRuntime, subject: string): Promise<MessageShape> {
  const msg = await runtime.jsm.streams.getMessage(STREAM, { last_by_subj: subject });
  if (!msg) throw new Error(`no ${subject} event in ${STREAM} after the warm-up`);
  return { payloadBytes: msg.data.length, headers: headersRecord(msg.header) };
}

async function startRelay(natsUrl: string, runtime: NatsRuntime, shapes: Record<string, MessageShape>): Promise<BenchProcess[]> {
  await runtime.jsm.streams.add({ name: RELAY_STREAM, subjects: ['relay.>'], duplicate_window: 120_000_000_000 });
  const hops = [
    { name: 'relay-hop-1', from: 'relay.signal', to: 'relay.intent', shape: shapes.intent as MessageShape },
    { name: 'relay-hop-2', from: 'relay.intent', to: 'relay.fill', shape: shapes.fill as MessageShape },
  ];
  const processes: BenchProcess[] = [];
  for (const hop of hops) {
    log(`starting ${hop.name} (${hop.from} -> ${hop.to}, ${hop.shape.payloadBytes} B payloads)`);
    const proc = startTsxProcess(hop.name, 'scripts/bench/support/relay-hop.ts', rootDir, {
      PATH: process.env.PATH,
      RELAY_NATS_URL: natsUrl,
      RELAY_STREAM,
      RELAY_DURABLE: hop.name,
      RELAY_FROM: hop.from,
      RELAY_TO: hop.to,
      RELAY_PAYLOAD_BYTES: String(hop.shape.payloadBytes),
      RELAY_HEADERS: JSON.stringify(hop.shape.headers),
    });
    processes.push(proc);
    const deadline = Date.now() + 30_000;
    while (!(await runtime.jsm.consumers.info(RELAY_STREAM, hop.name).catch(() => undefined))) {
      if (proc.exited() || Date.now() > deadline) throw new Error(`${hop.name} did not start:\n${proc.logTail()}`);
      await sleep(100);
    }
  }
  return processes;
}

// ---------------------------------------------------------------------------------------------
// Output.

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function printTables(records: RunRecord[]): void {
  console.log(
    '\nfills/s: fills / (last fill stored - first send); latency: send -> fill stored in JetStream; x relay: platform / relay at the same load',
  );
  const head = ['load', 'target', 'sent/s', 'accepted', 'fills/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'drain s', 'x fills/s', 'x p50'];
  const widths = [14, 9, 7, 9, 8, 8, 8, 8, 8, 8, 10, 7];
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' ');
  console.log(line(head));
  for (const r of records) {
    const relay = records.find((o) => o.target === 'relay' && o.load === r.load);
    const ratio = r.target === 'platform' && relay;
    console.log(
      line([
        String(r.load),
        r.target,
        fmt(r.sentPerSec),
        String(r.accepted),
        fmt(r.fillsPerSec),
        fmt(r.latencyMs.p50, 1),
        fmt(r.latencyMs.p90, 1),
        fmt(r.latencyMs.p99, 1),
        fmt(r.latencyMs.max, 1),
        fmt(r.drainSeconds, 1),
        ratio ? fmt(r.fillsPerSec / relay.fillsPerSec, 2) : '',
        ratio ? fmt(r.latencyMs.p50 / relay.latencyMs.p50, 1) : '',
      ]),
    );
  }
  const platformRuns = records.filter((r) => r.target === 'platform');
  if (platformRuns.length === 0) return;
  const names = Object.keys(platformRuns[0]?.memoryKb ?? {});
  console.log('\npeak resident memory (VmHWM, MB) of each process during each platform load');
  console.log(`${'process'.padEnd(12)} ${platformRuns.map((r) => String(r.load).padStart(8)).join(' ')}`);
  for (const name of names) {
    console.log(
      `${name.padEnd(12)} ${platformRuns.map((r) => fmt((r.memoryKb?.[name]?.peak ?? Number.NaN) / 1024, 1).padStart(8)).join(' ')}`,
    );
  }
}

async function main(): Promise<void> {
  for (const t of settings.targets) if (!TARGET_NAMES.includes(t)) throw new Error(`BENCH_TARGETS: unknown target ${t}`);
  if (!settings.loads.every((l) => l === 'max' || (Number.isFinite(l) && l > 0))) throw new Error('BENCH_LOADS: positive rates or max');
  if (!(settings.seconds > 0 && settings.maxConnections > 0 && settings.warmup >= 2 && settings.drainSeconds > 0))
    throw new Error('bad BENCH_* setting');
  const runs = settings.loads.length * settings.targets.length;
  const budgetMs = (runs * (settings.seconds + settings.drainSeconds + 20) + 180) * 1000;
  setTimeout(() => {
    console.error(`end-to-end bench: still running after ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(2);
  }, budgetMs).unref();
  process.once('SIGINT', () => process.exit(130));

  const work = mkdtempSync(path.join(tmpdir(), 'bench-e2e-'));
  const stack: (() => Promise<unknown>)[] = [async () => rmSync(work, { recursive: true, force: true })];
  const records: RunRecord[] = [];
  let shapes: Record<string, MessageShape> = {};
  try {
    log(
      `${settings.loads.map(loadLabel).join(', ')} for ${settings.seconds} s each; targets ${settings.targets.join(', ')}; ${cpus().length} CPUs; node ${process.version}`,
    );
    log('starting nats-server');
    const nats: NatsServerHandle = await startNatsServer();
    stack.push(() => nats.stop());
    const runtime = await connectNats({ servers: nats.url, name: 'bench-e2e' });
    stack.push(() => runtime.close());
    await provisionStreams(runtime.jsm, { stream: STREAM });

    const { processes, gatewayPort } = await startPlatform(nats.url, work);
    for (const proc of processes) stack.push(() => proc.stop());
    const platformArrived = arrivalsOf(['signals.normalized', 'decisions.order_intent']);
    const completes = (msg: JsMsg) => msg.json<{ leavesQty: number }>().leavesQty === 0;
    stack.push(await observe(runtime, STREAM, '>', recordArrival(platformArrived, 'executions.fill', completes)));
    const platform = {
      ...platformTarget(gatewayPort, platformArrived),
      explainMissing: (ids: string[]) => traceMissing(runtime, STREAM, ids),
    };
    stack.push(async () => platform.agent.destroy());

    log(`warm-up: ${settings.warmup} webhooks at 50/s (JIT, exec-sim's first price, message sizes for the relay)`);
    const warm = await offer(platform, 50, settings.warmup / 50, 0);
    await drain(platform, 'warm-up', warm.accepted);
    const filledWarm = warm.accepted.filter((id) => platformArrived.fills.has(id)).length;
    if (filledWarm === 0)
      throw new Error(`no warm-up webhook was filled (accepted ${warm.accepted.length}, refused ${JSON.stringify(warm.refused)})`);
    shapes = {
      signal: await shapeOf(runtime, 'signals.normalized'),
      intent: await shapeOf(runtime, 'decisions.order_intent'),
      fill: await shapeOf(runtime, 'executions.fill'),
    };
    const idleMemory = Object.fromEntries([...processes.map((p) => [p.name, memoryOf(p.pid)]), ['nats-server', memoryOf(nats.pid)]]);

    const relayArrived = arrivalsOf(['relay.signal', 'relay.intent']);
    const targets = new Map<TargetName, Target>([['platform', platform]]);
    const relayProcesses: BenchProcess[] = [];
    if (settings.targets.includes('relay')) {
      relayProcesses.push(...(await startRelay(nats.url, runtime, shapes)));
      for (const proc of relayProcesses) stack.push(() => proc.stop());
      stack.push(
        await observe(
          runtime,
          RELAY_STREAM,
          'relay.>',
          recordArrival(relayArrived, 'relay.fill', () => true),
        ),
      );
      const relay = relayTarget(runtime, shapes.signal as MessageShape, relayArrived);
      targets.set('relay', relay);
      const relayWarm = await offer(relay, 50, settings.warmup / 50, 0);
      await drain(relay, 'relay warm-up', relayWarm.accepted);
    }

    let run = 0;
    for (const load of settings.loads) {
      for (const name of settings.targets) {
        records.push(await runOnce(targets.get(name) as Target, load, ++run, name === 'platform' ? processes : relayProcesses, nats.pid));
      }
    }
    printTables(records);
    const outDir = path.join(rootDir, 'dist', 'bench');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'end-to-end.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          node: process.version,
          cpus: cpus().length,
          settings,
          messageBytes: Object.fromEntries(Object.entries(shapes).map(([k, v]) => [k, v.payloadBytes])),
          idleMemoryKb: idleMemory,
          runs: records,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`written ${path.relative(rootDir, file)}`);
  } finally {
    for (const undo of stack.reverse()) await undo().catch((err: unknown) => console.error('end-to-end bench: cleanup failed:', err));
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error('end-to-end bench failed:', err);
    process.exit(1);
  },
);
