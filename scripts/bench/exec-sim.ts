// exec-sim throughput and intent-to-fill latency against a bare relay, side by side in one run
// against one nats-server (the machines are shared: compare the ratio, not the absolute figures).
//   relay     a durable pull consumer on decisions.order_intent that, per message, JSON.parses it,
//             awaits one JetStream publish on executions.fill (Nats-Msg-Id set) and acks: the
//             consume-then-publish shape with no engine, journal, headers or validation.
//   relay4    (opt-in, BENCH_TARGETS=relay,relay4,relay4p,exec-sim) exec-sim's I/O without its
//             logic: a journal append, then executions.order accepted, executions.fill,
//             executions.order filled, each awaited, then the ack: the floor of what exec-sim awaits.
//   relay4p   (opt-in) relay4 with the three outputs published at once (one write, one wait): what
//             pipelining an input's outputs would leave of that floor.
//   exec-sim  the real service started in-process (startExecSim): decode and validate, journal,
//             engine (risk, fill model, positions), three validated publishes with headers, ack.
// Every run gets fresh streams (trading-events, its DLQ and exec-sim-journal are deleted and
// provisioned again), one ES price, a warm-up, then BENCH_INTENTS market intents of quantity 1
// spread over BENCH_STRATEGIES strategies, each strategy alternating buy and sell so positions
// stay at 0 or 1 (far inside DEFAULT_ENGINE_CONFIG's position and notional limits). An intent's
// input time (its ce-time, which exec-sim's rate limit counts in) advances by a fixed step per
// intent, so no strategy goes over maxOrdersPerSecond whatever the wall-clock rate.
// Load is a closed loop: at most BENCH_IN_FLIGHT intents published and not yet answered (a fill,
// or a final non-filled order update), for each level of the list; the targets alternate
// (relay, exec-sim, then exec-sim, relay) over BENCH_ROUNDS rounds to spread drift. The load
// generator and the observer run in a worker thread with their own connection, so the main
// thread holds the target alone (BENCH_LOADGEN=inline puts them on the target's thread).
//   throughput  filled intents / (last fill's JetStream timestamp - first intent's publish call)
//   latency     fill's JetStream timestamp - the intent's publish call, per intent (p50, p99)
// After each run every intent must have ended filled (exec-sim: its final executions.order
// update is awaited and checked) and the stream must hold exactly one fill per intent; rejections
// are counted by reason code and printed. Prints a table, writes dist/bench/exec-sim.json;
// BENCH_PROFILE=1 also CPU-profiles the target's thread in the measured runs (figures then not
// comparable) and writes dist/bench/exec-sim-<target>.cpuprofile.
// Settings: BENCH_INTENTS (5000 per run), BENCH_WARMUP (500), BENCH_IN_FLIGHT (1,256),
// BENCH_ROUNDS (2), BENCH_STRATEGIES (50), BENCH_TARGETS (relay,exec-sim), BENCH_LOADGEN
// (worker | inline), BENCH_PROFILE (1 to profile), BENCH_EXEC_SIM_CONFIG (an engine config file
// for exec-sim instead of the defaults). The whole run is bounded by a time budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { CONSUMERS, type OrderIntent, provisionStreams, publishOrderIntent, publishSignalNormalized } from '../../generated/index.js';
import {
  connectNats,
  consumerSpec,
  createLogger,
  deadLetterStreamName,
  deterministicId,
  ensureConsumer,
  type NatsRuntime,
} from '../../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../../services/core/src/testing/nats-harness.js';
import { loadExecSimConfig } from '../../services/exec-sim/src/config.js';
import { DEFAULT_ENGINE_CONFIG } from '../../services/exec-sim/src/domain/config.js';
import { startExecSim } from '../../services/exec-sim/src/exec-sim.js';
import { Journal } from '../../services/exec-sim/src/journal.js';
import { type CpuProfile, ProfileSummary } from './support/cpu-profile.js';
import { median, percentile, procCpuMs, sleep } from './support/measure.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STREAM = 'trading-events';
const JOURNAL_STREAM = 'exec-sim-journal';
const RELAY_DURABLE = 'bench-relay';
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;
const ES_PRICE = 6000.25;
const T0 = Date.UTC(2026, 0, 5, 14, 30);
const TARGET_NAMES = ['relay', 'relay4', 'relay4p', 'exec-sim'] as const;
type TargetName = (typeof TARGET_NAMES)[number];
const TERMINAL = new Set(['filled', 'rejected', 'canceled', 'expired']);

const settings = {
  intents: Number(process.env.BENCH_INTENTS ?? 5_000),
  warmup: Number(process.env.BENCH_WARMUP ?? 500),
  inFlight: (process.env.BENCH_IN_FLIGHT ?? '1,256').split(',').map(Number),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  strategies: Number(process.env.BENCH_STRATEGIES ?? 50),
  targets: (process.env.BENCH_TARGETS ?? 'relay,exec-sim').split(',').map((t) => t.trim()) as TargetName[],
  profile: process.env.BENCH_PROFILE === '1',
  loadgen: process.env.BENCH_LOADGEN ?? 'worker',
};

// ---------------------------------------------------------------------------------------------
// Load: the g-th intent of a run, and its input time.

/** Input-time step between consecutive intents: each strategy gets one every `strategies × step` ms, 1.5× the throttle's spacing. */
function inputStepMs(strategies: number): number {
  const perSecond = DEFAULT_ENGINE_CONFIG.risk.strategyDefaults.maxOrdersPerSecond ?? 1_000;
  return Math.ceil((1.5 * 1_000) / (perSecond * strategies));
}

function benchIntent(run: number, g: number, strategies: number, stepMs: number): OrderIntent {
  const strategy = g % strategies;
  const nth = Math.floor(g / strategies);
  return {
    clientOrderId: `bench-r${run}-${g}`,
    strategyId: `bench-s${String(strategy).padStart(3, '0')}`,
    agentId: 'bench',
    instrument: ES,
    side: nth % 2 === 0 ? 'buy' : 'sell',
    orderType: 'market',
    timeInForce: 'GTC',
    quantity: 1,
    reduceOnly: false,
    createdAt: new Date(T0 + g * stepMs).toISOString(),
  };
}

const wallMs = () => performance.timeOrigin + performance.now();
const nanosToMs = (ns: bigint) => Number(ns / 1_000n) / 1_000;

// ---------------------------------------------------------------------------------------------
// The observer: an ordered consumer on executions.> that tells when each intent is answered.

interface Answer {
  /** JetStream timestamp of the fill that completed the order (ms since the epoch), when filled. */
  fillMs?: number;
  /** Last terminal executions.order status seen, and its reason code. */
  status?: string;
  reasonCode?: string;
  finalMs?: number;
}

class Observer {
  readonly answers = new Map<string, Answer>();
  /** Called once per intent: on its completing fill, or on a final order update that is not a fill. */
  onAnswer: ((clientOrderId: string) => void) | undefined;
  private readonly answered = new Set<string>();

  private constructor(private readonly messages: ConsumerMessages) {}

  static async start(runtime: NatsRuntime): Promise<{ observer: Observer; done: Promise<void> }> {
    const consumer = await runtime.js.consumers.get(STREAM, { filter_subjects: 'executions.>' });
    const messages = await consumer.consume({ max_messages: 1_000 });
    const observer = new Observer(messages);
    const done = (async () => {
      for await (const msg of messages) observer.handle(msg);
    })();
    return { observer, done };
  }

  private answerOf(id: string): Answer {
    let answer = this.answers.get(id);
    if (!answer) {
      answer = {};
      this.answers.set(id, answer);
    }
    return answer;
  }

  private handle(msg: JsMsg): void {
    if (msg.subject === 'executions.fill') {
      const fill = msg.json<{ clientOrderId: string; leavesQty: number }>();
      if (fill.leavesQty !== 0) return;
      this.answerOf(fill.clientOrderId).fillMs = nanosToMs(msg.timestampNanos);
      this.complete(fill.clientOrderId);
    } else if (msg.subject === 'executions.order') {
      const update = msg.json<{ clientOrderId: string; status: string; reasonCode?: string }>();
      if (!TERMINAL.has(update.status)) return;
      const answer = this.answerOf(update.clientOrderId);
      answer.status = update.status;
      answer.finalMs = nanosToMs(msg.timestampNanos);
      if (update.reasonCode) answer.reasonCode = update.reasonCode;
      if (update.status !== 'filled') this.complete(update.clientOrderId);
    }
  }

  private complete(id: string): void {
    if (this.answered.has(id)) return;
    this.answered.add(id);
    this.onAnswer?.(id);
  }

  async close(): Promise<void> {
    await this.messages.close();
  }
}

/** Publishes `intents` keeping at most `window` unanswered; resolves with each intent's publish time once all are answered. */
function drive(
  client: NatsRuntime,
  observer: Observer,
  intents: OrderIntent[],
  window: number,
  timeoutMs: number,
): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const sentAt = new Map<string, number>();
    let next = 0;
    let inFlight = 0;
    let answered = 0;
    const timer = setTimeout(() => {
      observer.onAnswer = undefined;
      reject(new Error(`${intents.length - answered} of ${intents.length} intents unanswered after ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      observer.onAnswer = undefined;
      reject(err);
    };
    const pump = () => {
      while (inFlight < window && next < intents.length) {
        const intent = intents[next++] as OrderIntent;
        inFlight++;
        sentAt.set(intent.clientOrderId, wallMs());
        publishOrderIntent(client.js, intent, {
          source: 'bench',
          eventId: deterministicId('decisions.order_intent', intent.clientOrderId),
          time: new Date(intent.createdAt),
        }).catch(fail);
      }
    };
    observer.onAnswer = (id) => {
      if (!sentAt.has(id)) return;
      inFlight--;
      answered++;
      if (answered < intents.length) return pump();
      clearTimeout(timer);
      observer.onAnswer = undefined;
      resolve(sentAt);
    };
    pump();
  });
}

export interface LoadRequest {
  run: number;
  window: number;
  /** Wait for every measured intent's final executions.order update before answering. */
  orderUpdates: boolean;
}

export interface LoadResult {
  /** Publish call time of each measured intent (ms since the epoch, fractional). */
  sentAt: Map<string, number>;
  answers: Map<string, Answer>;
  /** Warm-up intents that were filled (every one, unless a setting makes the engine refuse some). */
  warmupFilled: number;
}

interface LoadHooks {
  /** Warm-up done, the measured intents start now. */
  measuring(): void;
  /** Every measured intent answered (final order updates may still be on their way). */
  measured(): void;
}

/** One run's load: observer up, warm-up, measured intents, final order updates. */
export async function generateLoad(client: NatsRuntime, request: LoadRequest, hooks: LoadHooks): Promise<LoadResult> {
  const { observer, done } = await Observer.start(client);
  try {
    const step = inputStepMs(settings.strategies);
    const all = Array.from({ length: settings.warmup + settings.intents }, (_, g) =>
      benchIntent(request.run, g, settings.strategies, step),
    );
    const timeoutMs = 60_000 + all.length * 20;
    const warmup = all.slice(0, settings.warmup);
    if (warmup.length > 0) await drive(client, observer, warmup, request.window, timeoutMs);
    const measured = all.slice(settings.warmup);
    hooks.measuring();
    const sentAt = await drive(client, observer, measured, request.window, timeoutMs);
    hooks.measured();
    if (request.orderUpdates) {
      const ids = measured.map((i) => i.clientOrderId);
      await until(() => ids.every((id) => observer.answers.get(id)?.status !== undefined), 'the final executions.order updates', 30_000);
    }
    return {
      sentAt,
      answers: new Map(measured.map((i) => [i.clientOrderId, observer.answers.get(i.clientOrderId) ?? {}])),
      warmupFilled: warmup.filter((i) => observer.answers.get(i.clientOrderId)?.fillMs !== undefined).length,
    };
  } finally {
    await observer.close();
    await done.catch(() => undefined);
  }
}

type ToWorker = { kind: 'run'; request: LoadRequest } | { kind: 'close' };
type FromWorker =
  | { kind: 'measuring' }
  | { kind: 'measured' }
  | { kind: 'result'; result: LoadResult }
  | { kind: 'error'; message: string };

// The load generator's thread: its own connection, one run at a time as the main thread asks.
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'loadgen') {
  const port = parentPort;
  const client = await connectNats({ servers: (workerData as { url: string }).url, name: 'bench-loadgen' });
  const post = (message: FromWorker) => port?.postMessage(message);
  port?.on('message', (message: ToWorker) => {
    if (message.kind === 'close') {
      void client.close().finally(() => port.close());
      return;
    }
    generateLoad(client, message.request, {
      measuring: () => post({ kind: 'measuring' }),
      measured: () => post({ kind: 'measured' }),
    }).then(
      (result) => post({ kind: 'result', result }),
      (err: unknown) => post({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
}

type Load = (request: LoadRequest, hooks: LoadHooks) => Promise<LoadResult>;

/** This file again, in a worker thread; through tsx's API, as Node 20 workers do not inherit tsx's loader. */
function startLoadWorker(url: string): { load: Load; stop(): Promise<void> } {
  const self = JSON.stringify(import.meta.url);
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${self}, ${self}))`;
  const thread = new Worker(boot, { eval: true, workerData: { role: 'loadgen', url } });
  let current: { hooks: LoadHooks; resolve(result: LoadResult): void; reject(err: Error): void } | undefined;
  thread.on('message', (message: FromWorker) => {
    if (!current) return;
    if (message.kind === 'measuring') current.hooks.measuring();
    else if (message.kind === 'measured') current.hooks.measured();
    else {
      const { resolve, reject } = current;
      current = undefined;
      if (message.kind === 'result') resolve(message.result);
      else reject(new Error(`load generator: ${message.message}`));
    }
  });
  thread.on('error', (err) => current?.reject(err));
  thread.on('exit', (code) => current?.reject(new Error(`the load generator thread exited (${code})`)));
  return {
    load: (request, hooks) =>
      new Promise((resolve, reject) => {
        current = { hooks, resolve, reject };
        thread.postMessage({ kind: 'run', request } satisfies ToWorker);
      }),
    async stop() {
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage({ kind: 'close' } satisfies ToWorker);
      const timer = setTimeout(() => void thread.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The targets.

interface RunningTarget {
  /** Publishes executions.order updates (the run then waits for every intent's final one). */
  orderUpdates: boolean;
  stop(): Promise<void>;
}

/** exec-sim in this process, with the price applied before it returns. */
async function startExecSimTarget(url: string, client: NatsRuntime): Promise<RunningTarget> {
  const config = loadExecSimConfig({
    NATS_URL: url,
    NATS_STREAM: STREAM,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ENV: 'bench',
    EXEC_JOURNAL_STREAM: JOURNAL_STREAM,
    // No periodic reconciliation in the middle of a run: runs stay comparable.
    EXEC_RECONCILE_INTERVAL_MS: String(3_600_000),
    // Another engine configuration (risk limits, fill model) as a JSON or YAML file; the defaults when absent.
    ...(process.env.BENCH_EXEC_SIM_CONFIG ? { EXEC_SIM_CONFIG: process.env.BENCH_EXEC_SIM_CONFIG } : {}),
  });
  const sim = await startExecSim(config, createLogger({ service: 'exec-sim', env: 'bench', level: 'silent' }));
  await until(async () => {
    const info = await client.jsm.consumers.info(STREAM, 'exec-sim-prices');
    return info.delivered.stream_seq > 0 && info.num_pending === 0 && info.num_ack_pending === 0;
  }, 'exec-sim to apply the price');
  return { orderUpdates: true, stop: () => sim.stop() };
}

/** relay (one publish), relay4 (journal + three publishes) or relay4p (three at once), on its own connection and durable. */
async function startRelay(url: string, client: NatsRuntime, name: Exclude<TargetName, 'exec-sim'>): Promise<RunningTarget> {
  const intentsDurable = CONSUMERS.find((c) => c.durable === 'exec-sim-intents');
  await ensureConsumer(
    client.jsm,
    STREAM,
    consumerSpec({
      durable: RELAY_DURABLE,
      service: 'bench',
      subject: 'decisions.order_intent',
      maxAckPending: intentsDurable?.maxAckPending,
    }),
  );
  const runtime = await connectNats({ servers: url, name: `bench-${name}` });
  const js = runtime.js;
  const journal = name === 'relay' ? undefined : await Journal.open<unknown>(runtime, JOURNAL_STREAM);
  const consumer = await js.consumers.get(STREAM, RELAY_DURABLE);
  const messages = await consumer.consume();
  const loop = (async () => {
    for await (const msg of messages) {
      try {
        const intent = msg.json<OrderIntent>();
        const id = intent.clientOrderId;
        const fill = { clientOrderId: id, strategyId: intent.strategyId, side: intent.side, lastQty: intent.quantity, leavesQty: 0 };
        if (journal) {
          const eventId = msg.headers?.get('Nats-Msg-Id') || id;
          await journal.append({ id: eventId, input: { input: { kind: 'intent', intent, eventId, at: intent.createdAt }, trace: {} } });
          const outputs: [string, string, string][] = [
            ['executions.order', JSON.stringify({ ...intent, status: 'accepted', leavesQty: 1 }), `accepted-${id}`],
            ['executions.fill', JSON.stringify(fill), `fill-${id}`],
            ['executions.order', JSON.stringify({ ...intent, status: 'filled', leavesQty: 0 }), `filled-${id}`],
          ];
          if (name === 'relay4p') await Promise.all(outputs.map(([subject, data, msgID]) => js.publish(subject, data, { msgID })));
          else for (const [subject, data, msgID] of outputs) await js.publish(subject, data, { msgID });
        } else {
          await js.publish('executions.fill', JSON.stringify(fill), { msgID: `fill-${id}` });
        }
        msg.ack();
      } catch {
        msg.nak(1_000);
      }
    }
  })();
  return {
    orderUpdates: name !== 'relay',
    async stop() {
      await messages.close();
      await loop;
      await runtime.close();
    },
  };
}

function startTarget(name: TargetName, url: string, client: NatsRuntime): Promise<RunningTarget> {
  if (name === 'exec-sim') return startExecSimTarget(url, client);
  return startRelay(url, client, name);
}

// ---------------------------------------------------------------------------------------------
// Helpers.

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Deletes the platform stream, its DLQ and the journal, and provisions the platform again. */
async function freshStreams(client: NatsRuntime): Promise<void> {
  for (const name of [STREAM, deadLetterStreamName(STREAM), JOURNAL_STREAM]) await client.jsm.streams.delete(name).catch(() => undefined);
  await provisionStreams(client.jsm, { stream: STREAM });
}

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// One run: fresh streams, the target, warm-up, measured intents, checks.

interface RunRecord {
  round: number;
  target: TargetName;
  inFlight: number;
  intents: number;
  intentsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  filled: number;
  rejected: number;
  rejections: Record<string, number>;
  warmupFilled: number;
  /** Fills and order updates the stream holds (measured and warm-up intents). */
  streamFills: number;
  streamOrderUpdates: number;
  /** Last fill stored to last final executions.order update stored (exec-sim, relay4, relay4p). */
  finalUpdateLagMs: number;
  elapsedSeconds: number;
  /** Event loop utilization of the main thread (the target's; shared with the load generator when inline). */
  elu: number;
  /** CPU time per measured intent: the main thread, the rest of this process (the load generator's thread, GC helpers), nats-server. */
  cpuUsPerIntent: { mainThread: number; mainThreadSystem: number; restOfProcess: number; natsServer: number };
}

interface Context {
  server: NatsServerHandle;
  client: NatsRuntime;
  load: Load;
  natsStat: string | undefined;
  session: Session | undefined;
  profiles: Map<string, ProfileSummary>;
}

interface CpuSnapshot {
  mainThread: { user: number; system: number };
  processMs: number;
  natsServerMs: number;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  at: number;
}

const total = (cpu: { user: number; system: number }) => cpu.user + cpu.system;

function cpuSnapshot(natsStat: string | undefined): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    mainThread: procCpuMs(`/proc/self/task/${process.pid}/stat`),
    processMs: (usage.user + usage.system) / 1000,
    natsServerMs: total(procCpuMs(natsStat)),
    elu: performance.eventLoopUtilization(),
    at: wallMs(),
  };
}

async function sendPrice(client: NatsRuntime, run: number): Promise<void> {
  const at = new Date(T0 - 60_000).toISOString();
  await publishSignalNormalized(
    client.js,
    {
      signalId: deterministicId('bench-price', String(run)),
      rawSignalId: deterministicId('bench-price-raw', String(run)),
      idempotencyKey: `bench:${run}`,
      source: 'bench',
      instrument: ES,
      action: 'buy',
      price: ES_PRICE,
      eventTime: at,
      receivedAt: at,
    },
    { source: 'bench', eventId: deterministicId('signals.normalized', `bench:${run}`) },
  );
}

async function runOnce(ctx: Context, target: TargetName, window: number, round: number, run: number): Promise<RunRecord> {
  const { client, session } = ctx;
  await freshStreams(client);
  await sendPrice(client, run);
  const running = await startTarget(target, ctx.server.url, client);
  let before: CpuSnapshot | undefined;
  let after: CpuSnapshot | undefined;
  let profiling: Promise<unknown> = Promise.resolve();
  let result: LoadResult;
  try {
    result = await ctx.load(
      { run, window, orderUpdates: running.orderUpdates },
      {
        measuring: () => {
          before = cpuSnapshot(ctx.natsStat);
          if (session) profiling = session.post('Profiler.start');
        },
        measured: () => {
          after = cpuSnapshot(ctx.natsStat);
          if (session) profiling = profiling.then(() => session.post('Profiler.stop'));
        },
      },
    );
  } finally {
    await running.stop();
  }
  if (!before || !after) throw new Error('the load generator did not report its measured phase');
  if (session) {
    const { profile } = (await profiling) as { profile: CpuProfile };
    const summary = ctx.profiles.get(target) ?? new ProfileSummary(target, 'intent', 'main thread');
    summary.add(profile, settings.intents);
    ctx.profiles.set(target, summary);
    writeFileSync(path.join(rootDir, 'dist', 'bench', `exec-sim-${target}.cpuprofile`), JSON.stringify(profile));
  }

  const latencies: number[] = [];
  const rejections: Record<string, number> = {};
  let filled = 0;
  let firstSent = Number.POSITIVE_INFINITY;
  let lastFill = 0;
  let lastFinal = 0;
  for (const [id, sent] of result.sentAt) {
    const answer = result.answers.get(id) ?? {};
    firstSent = Math.min(firstSent, sent);
    lastFinal = Math.max(lastFinal, answer.finalMs ?? 0);
    if (answer.fillMs !== undefined && (!running.orderUpdates || answer.status === 'filled')) {
      filled++;
      latencies.push(answer.fillMs - sent);
      lastFill = Math.max(lastFill, answer.fillMs);
    } else {
      const code = answer.reasonCode ?? answer.status ?? 'no answer';
      rejections[code] = (rejections[code] ?? 0) + 1;
    }
  }
  latencies.sort((a, b) => a - b);
  const counts = (await client.jsm.streams.info(STREAM, { subjects_filter: 'executions.>' })).state.subjects ?? {};
  const intents = result.sentAt.size;
  const mainThreadMs = total(after.mainThread) - total(before.mainThread);
  return {
    round,
    target,
    inFlight: window,
    intents,
    intentsPerSec: filled / ((lastFill - firstSent) / 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    filled,
    rejected: intents - filled,
    rejections,
    warmupFilled: result.warmupFilled,
    streamFills: counts['executions.fill'] ?? 0,
    streamOrderUpdates: counts['executions.order'] ?? 0,
    finalUpdateLagMs: running.orderUpdates ? lastFinal - lastFill : 0,
    elapsedSeconds: (after.at - before.at) / 1000,
    elu: performance.eventLoopUtilization(after.elu, before.elu).utilization,
    cpuUsPerIntent: {
      mainThread: (mainThreadMs * 1000) / intents,
      mainThreadSystem: ((after.mainThread.system - before.mainThread.system) * 1000) / intents,
      restOfProcess: ((after.processMs - before.processMs - mainThreadMs) * 1000) / intents,
      natsServer: ((after.natsServerMs - before.natsServerMs) * 1000) / intents,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The run.

async function main(): Promise<void> {
  for (const name of settings.targets) if (!TARGET_NAMES.includes(name)) throw new Error(`unknown target ${name}`);
  if (!settings.inFlight.every((n) => Number.isInteger(n) && n > 0)) throw new Error('BENCH_IN_FLIGHT must list positive integers');
  if (!(settings.intents > 0 && settings.warmup >= 0 && settings.rounds > 0 && settings.strategies > 0))
    throw new Error('bad BENCH_* setting');
  if (!['worker', 'inline'].includes(settings.loadgen)) throw new Error('BENCH_LOADGEN must be worker or inline');
  const runs = settings.rounds * settings.inFlight.length * settings.targets.length;
  // A bounded run: whatever hangs, the process ends (the harness kills nats-server on exit).
  const budgetMs = (runs * (90 + ((settings.intents + settings.warmup) * 25) / 1000) + 60) * 1000;
  setTimeout(() => {
    console.error(`exec-sim bench: still running after ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(2);
  }, budgetMs).unref();

  mkdirSync(path.join(rootDir, 'dist', 'bench'), { recursive: true });
  const stack: (() => Promise<unknown>)[] = [];
  const records: RunRecord[] = [];
  const profiles = new Map<string, ProfileSummary>();
  try {
    const server = await startNatsServer();
    stack.push(() => server.stop());
    const client = await connectNats({ servers: server.url, name: 'bench-client' });
    stack.push(() => client.close());
    let load: Load;
    if (settings.loadgen === 'worker') {
      const worker = startLoadWorker(server.url);
      stack.push(() => worker.stop());
      load = worker.load;
    } else {
      const loadClient = await connectNats({ servers: server.url, name: 'bench-loadgen' });
      stack.push(() => loadClient.close());
      load = (request, hooks) => generateLoad(loadClient, request, hooks);
    }
    const session = settings.profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      stack.push(async () => session.disconnect());
    }
    const ctx: Context = {
      server,
      client,
      load,
      natsStat: server.pid === undefined ? undefined : `/proc/${server.pid}/stat`,
      session,
      profiles,
    };

    console.log(
      `exec-sim bench: ${settings.intents} market intents per run (+${settings.warmup} warm-up) over ${settings.strategies} strategies, ` +
        `in flight ${settings.inFlight.join(' and ')}, ${settings.rounds} rounds, targets ${settings.targets.join(', ')}, ` +
        `load generator ${settings.loadgen}; node ${process.version}, ${cpus().length} cpus${settings.profile ? ', PROFILING' : ''}`,
    );
    let run = 0;
    for (let round = 1; round <= settings.rounds; round++) {
      for (const window of settings.inFlight) {
        const order = round % 2 === 1 ? settings.targets : [...settings.targets].reverse();
        for (const target of order) {
          const record = await runOnce(ctx, target, window, round, ++run);
          records.push(record);
          const rejected = Object.entries(record.rejections)
            .map(([code, n]) => `${code}=${n}`)
            .join(' ');
          const cpu = record.cpuUsPerIntent;
          console.log(
            `  round ${round} ${target.padEnd(8)} in flight ${String(window).padStart(4)}: ${record.intentsPerSec.toFixed(0).padStart(5)} intents/s, ` +
              `p50 ${record.latencyMs.p50.toFixed(2)} ms, p99 ${record.latencyMs.p99.toFixed(2)} ms, filled ${record.filled}/${record.intents}` +
              `${rejected ? `, rejected ${rejected}` : ''}, stream fills ${record.streamFills}; cpu us/intent: main ${cpu.mainThread.toFixed(0)}, ` +
              `(system ${cpu.mainThreadSystem.toFixed(0)}), rest ${cpu.restOfProcess.toFixed(0)}, nats-server ${cpu.natsServer.toFixed(0)}; main elu ${record.elu.toFixed(2)}`,
          );
          const expectedFills = record.filled + record.warmupFilled;
          if (record.streamFills !== expectedFills) {
            throw new Error(`${target}: the stream holds ${record.streamFills} fills for ${expectedFills} filled intents`);
          }
        }
      }
    }
  } finally {
    for (const undo of stack.reverse()) await undo().catch((err: unknown) => console.error('cleanup failed:', err));
  }

  // The table: medians over the rounds, each target against relay at the same load.
  const rows = settings.inFlight.flatMap((window) =>
    settings.targets.map((target) => {
      const mine = records.filter((r) => r.target === target && r.inFlight === window);
      return {
        target,
        inFlight: window,
        intents: mine[0]?.intents ?? 0,
        intentsPerSec: median(mine.map((r) => r.intentsPerSec)),
        p50Ms: median(mine.map((r) => r.latencyMs.p50)),
        p99Ms: median(mine.map((r) => r.latencyMs.p99)),
        rejected: mine.reduce((sum, r) => sum + r.rejected, 0),
        mainThreadUsPerIntent: median(mine.map((r) => r.cpuUsPerIntent.mainThread)),
        mainThreadSystemUsPerIntent: median(mine.map((r) => r.cpuUsPerIntent.mainThreadSystem)),
        natsServerUsPerIntent: median(mine.map((r) => r.cpuUsPerIntent.natsServer)),
        mainElu: median(mine.map((r) => r.elu)),
      };
    }),
  );
  const summary = rows.map((row) => {
    const base = rows.find((r) => r.target === 'relay' && r.inFlight === row.inFlight);
    return {
      ...row,
      throughputRatio: base ? row.intentsPerSec / base.intentsPerSec : Number.NaN,
      p50Ratio: base ? row.p50Ms / base.p50Ms : Number.NaN,
    };
  });
  console.log(`\nmedians over ${settings.rounds} rounds; ratio = target / relay (the baseline) at the same in-flight limit`);
  const head = [
    'target',
    'in flight',
    'intents',
    'intents/s',
    'p50 ms',
    'p99 ms',
    'rejected',
    'ratio/s',
    'ratio p50',
    'main us',
    '(sys)',
    'nats us',
    'main elu',
  ];
  const widths = [9, 9, 8, 10, 8, 8, 8, 8, 9, 8, 6, 8, 8];
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' ');
  console.log(line(head));
  for (const r of summary) {
    console.log(
      line([
        r.target,
        String(r.inFlight),
        String(r.intents),
        r.intentsPerSec.toFixed(0),
        r.p50Ms.toFixed(2),
        r.p99Ms.toFixed(2),
        String(r.rejected),
        r.throughputRatio.toFixed(2),
        r.p50Ratio.toFixed(2),
        r.mainThreadUsPerIntent.toFixed(0),
        r.mainThreadSystemUsPerIntent.toFixed(0),
        r.natsServerUsPerIntent.toFixed(0),
        r.mainElu.toFixed(2),
      ]),
    );
  }
  console.log(
    `main us: CPU of the main thread per intent (the target${settings.loadgen === 'inline' ? ' + load generator + observer' : ''}), (sys) its system part; ` +
      "nats us: nats-server's CPU per intent; main elu: the main thread's event loop utilization",
  );
  for (const profile of profiles.values()) profile.print();

  const out = path.join(rootDir, 'dist', 'bench', 'exec-sim.json');
  writeFileSync(
    out,
    `${JSON.stringify({ node: process.version, settings, inputStepMs: inputStepMs(settings.strategies), summary, runs: records }, null, 2)}\n`,
  );
  console.log(`\nwrote ${path.relative(rootDir, out)}`);
}

if (isMainThread) await main();
