// Gateway throughput against its bare ceiling, side by side in one run against one nats-server
// (the machines are shared: compare the ratio, not the absolute figures).
//   gateway  POST /webhooks/tradingview/<token> through the real gateway: token check, body checks,
//            signals.raw and signals.normalized built, validated and published, 202 after the acks.
//   bare     a node:http server that reads the body, JSON.parses it, awaits one JetStream publish of
//            it on signals.raw (Nats-Msg-Id set) and answers 202: what any gateway pays at least.
//   bare2    (opt-in, BENCH_TARGETS=bare,bare2,gateway) the same with a second awaited publish on
//            signals.normalized, as the gateway makes: the ceiling for two acks per webhook.
// Every run comes after a warm-up, lasts BENCH_SECONDS at each of BENCH_CONNECTIONS, and the
// targets alternate (bare, gateway, bare, gateway) over BENCH_ROUNDS rounds to spread drift.
// autocannon runs in a worker thread (BENCH_LOADGEN=inline puts it on the servers' thread, to see
// what sharing it costs). After every run the stream is counted: it must hold exactly as many
// signals.raw events as the server answered 202 for. Prints a table, writes dist/bench/gateway.json;
// BENCH_PROFILE=1 also CPU-profiles the server thread in the measured runs (figures then not comparable).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { provisionStreams } from '../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../services/core/src/index.js';
import { type NatsServerHandle, startNatsServer } from '../../services/core/src/testing/nats-harness.js';
import { loadGatewayConfig } from '../../services/gateway/src/config.js';
import { type RunningGateway, startGateway } from '../../services/gateway/src/gateway.js';
import { type CpuProfile, ProfileSummary } from './support/cpu-profile.js';
import { procCpuMs, sleep } from './support/measure.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STREAM = 'trading-events';
const TOKEN = 'bench-token-0123456789abcdef';

// ---------------------------------------------------------------------------------------------
// Load: unique, realistic TradingView alerts (the gateway deduplicates identical bodies).

const ALERT_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Go-http-client/1.1' };
const T0 = Date.UTC(2026, 0, 5, 14, 30);

/** The n-th alert: three alert templates (futures strategy, FX, crypto), price and times from n, so every body differs. */
export function alertBody(n: number): string {
  const side = n % 2 === 0 ? 'buy' : 'sell';
  const at = T0 + n * 1_000;
  const timenow = new Date(at).toISOString().replace('.000Z', 'Z');
  const barTime = (minutes: number) => new Date(at - (at % (minutes * 60_000))).toISOString().replace('.000Z', 'Z');
  switch (n % 3) {
    case 0: {
      const contracts = 1 + (n % 4);
      return JSON.stringify({
        ticker: 'ES1!',
        exchange: 'CME_MINI',
        interval: '5',
        time: barTime(5),
        timenow,
        action: side,
        contracts,
        price: 5800 + (n % 4000) * 0.25,
        orderType: 'limit',
        marketPosition: side === 'buy' ? 'long' : 'short',
        positionSize: contracts,
        orderId: side === 'buy' ? 'ORB Long' : 'ORB Short',
        comment: 'opening range breakout',
        alertMessage: `ES ORB ${side} ${contracts}`,
      });
    }
    case 1:
      return JSON.stringify({
        ticker: 'OANDA:EURUSD',
        action: side,
        contracts: String(10_000 * (1 + (n % 5))),
        price: (1.05 + (n % 10_000) * 0.00001).toFixed(5),
        interval: '60',
        time: barTime(60),
        timenow,
      });
    default:
      return JSON.stringify({
        ticker: 'BINANCE:BTCUSDT',
        action: side,
        contracts: '0.25',
        close: (90_000 + (n % 20_000) * 0.5).toFixed(1),
        interval: '15',
        time: barTime(15),
        timenow,
      });
  }
}

// The part of autocannon 9 this script uses (it ships no types).
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; pipelining: number; requests: AutocannonRequest[] },
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

export interface LoadRequest {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  /** Number of the first alert: runs get disjoint ranges, so no body repeats in the whole run. */
  firstAlert: number;
}

export interface LoadResult {
  responses: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Alerts built (requests started, the last ones possibly cut off by the end of the run). */
  built: number;
  elapsedSeconds: number;
  latencyMs: { mean: number; p50: number; p99: number; p999: number; max: number };
  /** Event loop utilization of the load generator's thread (near 1: the generator is the bottleneck). */
  loadgenElu: number;
}

/** One autocannon run; latencies recorded per response in microseconds (autocannon's own are whole ms). */
export function generateLoad(request: LoadRequest): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const histogram = createHistogram();
  const statusCodes: Record<string, number> = {};
  let next = request.firstAlert;
  let responses = 0;
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        duration: request.seconds,
        pipelining: 1,
        requests: [
          { method: 'POST', path: request.path, headers: ALERT_HEADERS, setupRequest: (req) => ({ ...req, body: alertBody(next++) }) },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const elapsedSeconds = (performance.now() - started) / 1000;
        const us = (p: number) => histogram.percentile(p) / 1000;
        resolve({
          responses,
          ok2xx: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
          built: next - request.firstAlert,
          elapsedSeconds,
          latencyMs: { mean: histogram.mean / 1000, p50: us(50), p99: us(99), p999: us(99.9), max: histogram.max / 1000 },
          loadgenElu: performance.eventLoopUtilization(elu).utilization,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      responses++;
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      histogram.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
}

// The load generator's thread: runs what the main thread asks, one run at a time.
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'loadgen') {
  parentPort?.on('message', (request: LoadRequest) => {
    generateLoad(request).then(
      (result) => parentPort?.postMessage({ ok: true, result }),
      (err: unknown) => parentPort?.postMessage({ ok: false, message: String(err) }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The targets.

/** 202 answers so far, by outcome (the gateway's own counters, for the gateway). */
interface Answered {
  /** JetStream acknowledged before the answer. */
  published: number;
  /** Spooled to disk (JetStream too slow or away), published by the gateway's flusher later. */
  queued: number;
  /** JetStream already held the event: nothing new stored (never expected here, every body differs). */
  duplicate: number;
}

interface Target {
  name: string;
  port: number;
  answered(): Promise<Answered>;
  /** Resolves once no request is being handled and nothing waits in a spool. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** node:http, read, JSON.parse, one (or two) awaited JetStream publishes, 202. */
async function startBare(name: string, runtime: NatsRuntime, publishes: 1 | 2): Promise<Target> {
  let answered = 0;
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        res.writeHead(400).end();
        inFlight--;
        return;
      }
      try {
        const id = createHash('sha256').update(body).digest('hex');
        await runtime.js.publish('signals.raw', body, { msgID: id });
        if (publishes === 2) await runtime.js.publish('signals.normalized', body, { msgID: `n-${id}` });
        answered++;
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"published"}');
      } catch {
        res.writeHead(503).end();
      } finally {
        inFlight--;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    name,
    port: typeof address === 'object' && address ? address.port : 0,
    answered: async () => ({ published: answered, queued: 0, duplicate: 0 }),
    settle: () => until(() => inFlight === 0),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startBenchGateway(natsUrl: string, spoolDir: string): Promise<{ target: Target; gateway: RunningGateway }> {
  const config = loadGatewayConfig({
    NATS_URL: natsUrl,
    NATS_STREAM: STREAM,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ENV: 'bench',
    TRADINGVIEW_WEBHOOK_TOKEN: TOKEN,
    GATEWAY_SPOOL_DIR: spoolDir,
    // No consumer runs here, so the signal consumers' backlog only grows: the bench measures ingest, not the 429s.
    GATEWAY_MAX_CONSUMER_PENDING: '100000000',
  });
  const gateway = await startGateway(config, createLogger({ service: 'gateway', env: 'bench', level: 'silent' }));
  await until(() => gateway.nats()?.connected === true, 15_000);
  const answered = async (): Promise<Answered> => {
    const { outcomes } = await gatewayMetrics(gateway.port);
    return { published: outcomes.published ?? 0, queued: outcomes.queued ?? 0, duplicate: outcomes.duplicate ?? 0 };
  };
  return {
    gateway,
    target: {
      name: 'gateway',
      port: gateway.port,
      answered,
      // Handlers still awaiting an ack when autocannon hung up finish within the publish timeout; spooled ones once flushed.
      async settle() {
        const deadline = Date.now() + 60_000;
        let last = '';
        for (;;) {
          const { outcomes, spoolDepth } = await gatewayMetrics(gateway.port);
          const now = JSON.stringify(outcomes);
          if ((now === last && spoolDepth === 0) || Date.now() > deadline) return;
          last = now;
          await sleep(200);
        }
      },
      stop: () => gateway.stop(),
    },
  };
}

/** gateway_webhooks_total by outcome and gateway_spool_depth, from the gateway's /metrics. */
async function gatewayMetrics(port: number): Promise<{ outcomes: Record<string, number>; spoolDepth: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const outcomes: Record<string, number> = {};
  let spoolDepth = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('gateway_spool_depth')) spoolDepth = value;
    if (!line.startsWith('gateway_webhooks_total{')) continue;
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + value;
  }
  return { outcomes, spoolDepth };
}

/** Posts one alert of each template: every one must be published and normalized, or the bench measures the wrong path. */
async function checkGatewayPath(port: number, firstAlert: number): Promise<void> {
  for (let n = firstAlert; n < firstAlert + 3; n++) {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/tradingview/${TOKEN}`, {
      method: 'POST',
      headers: ALERT_HEADERS,
      body: alertBody(n),
    });
    const answer = (await res.json()) as { status?: string; normalized?: boolean; reason?: string };
    if (res.status !== 202 || answer.status !== 'published' || answer.normalized !== true) {
      throw new Error(`alert ${n} was not published and normalized (${res.status}): ${JSON.stringify(answer)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await sleep(20);
  }
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.idle + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  }
  return { idle, total };
}

/** CPU time (user + system, ms) of a process or of one of this process's threads. */
const cpuMsOf = (statPath: string): number => {
  const cpu = procCpuMs(statPath);
  return cpu.user + cpu.system;
};

interface CpuSnapshot {
  serverThreadMs: number;
  processMs: number;
  natsServerMs: number;
}

function cpuSnapshot(natsPid: number | undefined): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    serverThreadMs: cpuMsOf(`/proc/self/task/${process.pid}/stat`),
    processMs: (usage.user + usage.system) / 1000,
    natsServerMs: natsPid === undefined ? Number.NaN : cpuMsOf(`/proc/${natsPid}/stat`),
  };
}

async function streamCounts(runtime: NatsRuntime): Promise<{ raw: number; normalized: number }> {
  const info = await runtime.jsm.streams.info(STREAM, { subjects_filter: 'signals.>' });
  const subjects = info.state.subjects ?? {};
  return { raw: subjects['signals.raw'] ?? 0, normalized: subjects['signals.normalized'] ?? 0 };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

// ---------------------------------------------------------------------------------------------
interface RunRecord {
  round: number;
  target: string;
  connections: number;
  reqPerSec: number;
  latencyMs: LoadResult['latencyMs'];
  ok2xx: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** 202 answers the server counted, published or spooled (requests cut off by the end of the run may be answered after autocannon hung up). */
  answered: number;
  /** Of which spooled (JetStream did not ack within the gateway's publish timeout), and duplicates (expected 0). */
  queued: number;
  duplicate: number;
  streamRaw: number;
  streamNormalized: number;
  verified: boolean;
  serverElu: number;
  loadgenElu: number;
  machineCpuBusy: number;
  /** CPU time per answered request: the servers' thread (main), the rest of this process (load generator, GC helpers), nats-server. */
  cpuUsPerRequest: { serverThread: number; restOfProcess: number; natsServer: number };
  /** Cores kept busy by processes other than this one and its nats-server (a shared machine): high values mean a noisy run. */
  otherLoadCores: number;
  elapsedSeconds: number;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
  const targetNames = (process.env.BENCH_TARGETS ?? 'bare,gateway').split(',').map((t) => t.trim());
  const loadgen = process.env.BENCH_LOADGEN ?? 'worker';
  const profiling = process.env.BENCH_PROFILE === '1';
  for (const name of targetNames) if (!['bare', 'bare2', 'gateway'].includes(name)) throw new Error(`unknown target ${name}`);
  if (!['worker', 'inline'].includes(loadgen)) throw new Error('BENCH_LOADGEN must be worker or inline');

  // A bounded run: whatever hangs, the process ends (the harness kills nats-server on exit).
  const budgetMs = (rounds * connectionCounts.length * targetNames.length * (seconds + warmupSeconds + 20) + 90) * 1000;
  setTimeout(() => {
    console.error(`gateway bench: still running after ${Math.round(budgetMs / 1000)} s; giving up`);
    process.exit(2);
  }, budgetMs).unref();

  const spoolDir = mkdtempSync(path.join(tmpdir(), 'bench-gateway-spool-'));
  process.once('exit', () => rmSync(spoolDir, { recursive: true, force: true }));
  const stack: (() => Promise<unknown>)[] = [async () => rmSync(spoolDir, { recursive: true, force: true })];
  const records: RunRecord[] = [];
  const profiles = new Map<string, ProfileSummary>();
  let worker: Worker | undefined;
  try {
    const nats: NatsServerHandle = await startNatsServer();
    stack.push(() => nats.stop());
    const natsPid = nats.pid;
    const observer = await connectNats({ servers: nats.url, name: 'bench-observer' });
    stack.push(() => observer.close());
    await provisionStreams(observer.jsm, { stream: STREAM });
    const bareRuntime = await connectNats({ servers: nats.url, name: 'bench-bare' });
    stack.push(() => bareRuntime.close());

    const targets = new Map<string, Target>();
    let firstAlert = 0;
    for (const name of targetNames) {
      if (name === 'gateway') {
        const { target } = await startBenchGateway(nats.url, spoolDir);
        stack.push(() => target.stop());
        await checkGatewayPath(target.port, firstAlert);
        firstAlert += 3;
        targets.set(name, target);
      } else {
        const target = await startBare(name, bareRuntime, name === 'bare2' ? 2 : 1);
        stack.push(() => target.stop());
        targets.set(name, target);
      }
    }

    let load: (request: LoadRequest) => Promise<LoadResult> = generateLoad;
    if (loadgen === 'worker') {
      // This file again, in a worker thread; through tsx's API, as Node 20 workers do not inherit tsx's loader.
      const self = JSON.stringify(import.meta.url);
      const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${self}, ${self}))`;
      const thread = new Worker(boot, { eval: true, workerData: { role: 'loadgen' } });
      worker = thread;
      let failed: ((err: Error) => void) | undefined;
      thread.on('error', (err) => failed?.(err));
      thread.on('exit', (code) => failed?.(new Error(`the load generator thread exited (${code})`)));
      load = (request) =>
        new Promise((resolve, reject) => {
          failed = reject;
          thread.once('message', (reply: { ok: true; result: LoadResult } | { ok: false; message: string }) => {
            failed = undefined;
            if (reply.ok) resolve(reply.result);
            else reject(new Error(reply.message));
          });
          thread.postMessage(request);
        });
    }

    const session = profiling ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
    }

    console.log(
      `gateway bench: ${rounds} round(s) x ${connectionCounts.join('/')} connections x ${targetNames.join('/')}; ` +
        `${warmupSeconds} s warm-up + ${seconds} s each; load generator: ${loadgen}; ${cpus().length} CPUs; node ${process.version}` +
        (profiling ? '; PROFILING (figures not comparable)' : ''),
    );
    for (let round = 1; round <= rounds; round++) {
      for (const connections of connectionCounts) {
        for (const name of targetNames) {
          const target = targets.get(name) as Target;
          const request = (secs: number): LoadRequest => ({
            url: `http://127.0.0.1:${target.port}`,
            path: name === 'gateway' ? `/webhooks/tradingview/${TOKEN}` : '/webhooks/tradingview/bare',
            connections,
            seconds: secs,
            firstAlert,
          });
          // Warm-up, then an empty stream (consumer backlogs stay far below the gateway's backpressure threshold).
          if (warmupSeconds > 0) {
            const warm = await load(request(warmupSeconds));
            firstAlert += warm.built + connections;
            await target.settle();
          }
          await observer.jsm.streams.purge(STREAM);
          const answeredBefore = await target.answered();
          const cpuBefore = cpuTimes();
          const usageBefore = cpuSnapshot(natsPid);
          const elu = performance.eventLoopUtilization();
          if (session) await session.post('Profiler.start');
          const result = await load(request(seconds));
          const serverElu = performance.eventLoopUtilization(elu).utilization;
          const cpuAfter = cpuTimes();
          const usageAfter = cpuSnapshot(natsPid);
          if (session) {
            const { profile } = await session.post('Profiler.stop');
            let summary = profiles.get(name);
            if (!summary) {
              // The first profile of each target is kept whole, for a flame graph (e.g. speedscope, Chrome DevTools).
              summary = new ProfileSummary(name, 'req', 'server thread');
              profiles.set(name, summary);
              mkdirSync(path.join(rootDir, 'dist', 'bench'), { recursive: true });
              writeFileSync(path.join(rootDir, 'dist', 'bench', `gateway-${name}.cpuprofile`), JSON.stringify(profile));
            }
            summary.add(profile as CpuProfile, result.responses);
          }
          firstAlert += result.built + connections;
          await target.settle();
          const answeredAfter = await target.answered();
          const queued = answeredAfter.queued - answeredBefore.queued;
          const duplicate = answeredAfter.duplicate - answeredBefore.duplicate;
          // Every 202 is in the stream: the acknowledged ones and the spooled ones (flushed by now).
          const answered = answeredAfter.published - answeredBefore.published + queued;
          const counts = await streamCounts(observer);
          const expectedNormalized = name === 'bare' ? 0 : counts.raw;
          // autocannon hangs up at the end with up to one request in flight per connection, which the server may still answer.
          const verified =
            counts.raw === answered &&
            counts.normalized === expectedNormalized &&
            duplicate === 0 &&
            result.ok2xx <= answered + duplicate &&
            answered + duplicate <= result.ok2xx + connections;
          if (!verified) process.exitCode = 1;
          const record: RunRecord = {
            round,
            target: name,
            connections,
            reqPerSec: result.responses / result.elapsedSeconds,
            latencyMs: result.latencyMs,
            ok2xx: result.ok2xx,
            non2xx: result.non2xx,
            errors: result.errors,
            statusCodes: result.statusCodes,
            answered,
            queued,
            duplicate,
            streamRaw: counts.raw,
            streamNormalized: counts.normalized,
            verified,
            serverElu,
            loadgenElu: result.loadgenElu,
            machineCpuBusy: 1 - (cpuAfter.idle - cpuBefore.idle) / Math.max(1, cpuAfter.total - cpuBefore.total),
            cpuUsPerRequest: {
              serverThread: ((usageAfter.serverThreadMs - usageBefore.serverThreadMs) * 1000) / result.responses,
              restOfProcess:
                ((usageAfter.processMs - usageBefore.processMs - (usageAfter.serverThreadMs - usageBefore.serverThreadMs)) * 1000) /
                result.responses,
              natsServer: ((usageAfter.natsServerMs - usageBefore.natsServerMs) * 1000) / result.responses,
            },
            otherLoadCores: Math.max(
              0,
              (1 - (cpuAfter.idle - cpuBefore.idle) / Math.max(1, cpuAfter.total - cpuBefore.total)) * cpus().length -
                (usageAfter.processMs - usageBefore.processMs + (usageAfter.natsServerMs - usageBefore.natsServerMs)) /
                  (result.elapsedSeconds * 1000),
            ),
            elapsedSeconds: result.elapsedSeconds,
          };
          records.push(record);
          console.log(
            `  round ${round} ${name.padEnd(7)} ${String(connections).padStart(3)} conns: ${fmt(record.reqPerSec).padStart(7)} req/s, ` +
              `p50 ${record.latencyMs.p50.toFixed(2)} ms, p99 ${record.latencyMs.p99.toFixed(2)} ms; ` +
              `server thread ${pctOf(serverElu)} busy, load generator ${pctOf(result.loadgenElu)}, machine ${pctOf(record.machineCpuBusy)}; ` +
              `CPU us/req: server thread ${fmt(record.cpuUsPerRequest.serverThread)}, rest of process ${fmt(record.cpuUsPerRequest.restOfProcess)}, ` +
              `nats-server ${fmt(record.cpuUsPerRequest.natsServer)}; other processes ${record.otherLoadCores.toFixed(2)} cores; ` +
              `stream: ${counts.raw} signals.raw${name === 'bare' ? '' : ` + ${counts.normalized} signals.normalized`} for ${answered} answered 202 ` +
              `${queued || duplicate ? `(${queued} of them spooled, ${duplicate} duplicates) ` : ''}` +
              `(autocannon saw ${result.ok2xx} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors) ${verified ? 'OK' : 'MISMATCH: events lost or extra'}`,
          );
        }
      }
    }
    printTable(records, targetNames, connectionCounts);
    for (const summary of profiles.values()) summary.print();

    const outDir = path.join(rootDir, 'dist', 'bench');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'gateway.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          node: process.version,
          cpus: cpus().length,
          seconds,
          warmupSeconds,
          rounds,
          loadgen,
          profiling,
          summary: summarize(records, targetNames, connectionCounts),
          runs: records,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`written ${path.relative(rootDir, file)}${profiling ? ' and dist/bench/gateway-<target>.cpuprofile' : ''}`);
    if (process.exitCode === 1) console.error('gateway bench: the stream did not hold what was answered (see MISMATCH above)');
  } finally {
    await worker?.terminate();
    for (const step of stack.reverse()) {
      try {
        await step();
      } catch (err) {
        console.error('gateway bench: cleanup step failed:', err);
      }
    }
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pctOf = (x: number) => `${Math.round(x * 100)}%`;

interface SummaryRow {
  target: string;
  connections: number;
  reqPerSec: number;
  reqPerSecRuns: number[];
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  non2xx: number;
  serverElu: number;
  machineCpuBusy: number;
  serverThreadCpuUsPerRequest: number;
  /** This target's req/s over bare's at the same connection count (means over the rounds). */
  ratioToBare: number | undefined;
  /** The same ratio within each round (adjacent runs: less drift from a shared machine). */
  ratioToBareRounds: number[];
  /** Over bare2's (two awaited publishes per request, as the gateway makes), when it ran. */
  ratioToBare2: number | undefined;
}

function summarize(records: RunRecord[], targetNames: string[], connectionCounts: number[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const connections of connectionCounts) {
    const meanReqPerSec = (target: string) => {
      const runs = records.filter((r) => r.target === target && r.connections === connections);
      return runs.length === 0 ? undefined : mean(runs.map((r) => r.reqPerSec));
    };
    const bare = meanReqPerSec('bare');
    const bare2 = meanReqPerSec('bare2');
    for (const target of targetNames) {
      const runs = records.filter((r) => r.target === target && r.connections === connections);
      const reqPerSec = mean(runs.map((r) => r.reqPerSec));
      rows.push({
        target,
        connections,
        reqPerSec,
        reqPerSecRuns: runs.map((r) => Math.round(r.reqPerSec)),
        p50Ms: mean(runs.map((r) => r.latencyMs.p50)),
        p99Ms: mean(runs.map((r) => r.latencyMs.p99)),
        p999Ms: mean(runs.map((r) => r.latencyMs.p999)),
        non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
        serverElu: mean(runs.map((r) => r.serverElu)),
        machineCpuBusy: mean(runs.map((r) => r.machineCpuBusy)),
        serverThreadCpuUsPerRequest: mean(runs.map((r) => r.cpuUsPerRequest.serverThread)),
        ratioToBare: target === 'bare' || bare === undefined ? undefined : reqPerSec / bare,
        ratioToBareRounds:
          target === 'bare'
            ? []
            : runs.flatMap((run) => {
                const base = records.find((r) => r.target === 'bare' && r.connections === connections && r.round === run.round);
                return base ? [run.reqPerSec / base.reqPerSec] : [];
              }),
        ratioToBare2: target !== 'gateway' || bare2 === undefined ? undefined : reqPerSec / bare2,
      });
    }
  }
  return rows;
}

function printTable(records: RunRecord[], targetNames: string[], connectionCounts: number[]): void {
  const rows = summarize(records, targetNames, connectionCounts);
  const withBare2 = targetNames.includes('bare2');
  console.log(
    '\nmeans over the rounds (each round in brackets); non-2xx counts errors too; us cpu/req: CPU time of the server thread per request; ' +
      "srv busy: its event loop utilization; machine: all CPUs busy; x bare: req/s over bare's at the same connections",
  );
  console.log(
    `${'target'.padEnd(8)} ${'conns'.padStart(5)} ${'req/s'.padStart(8)} ${'(rounds)'.padEnd(17)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ` +
      `${'p99.9 ms'.padStart(8)} ${'non-2xx'.padStart(7)} ${'us cpu/req'.padStart(10)} ${'srv busy'.padStart(8)} ${'machine'.padStart(7)} ` +
      `${withBare2 ? `${'x bare2'.padStart(7)} ` : ''}x bare (rounds)`,
  );
  for (const r of rows) {
    const bare2 = r.ratioToBare2 === undefined ? '' : r.ratioToBare2.toFixed(2);
    const bare =
      r.ratioToBare === undefined ? '' : `${r.ratioToBare.toFixed(2)} (${r.ratioToBareRounds.map((x) => x.toFixed(2)).join(', ')})`;
    console.log(
      `${r.target.padEnd(8)} ${String(r.connections).padStart(5)} ${fmt(r.reqPerSec).padStart(8)} ${`(${r.reqPerSecRuns.map(fmt).join(', ')})`.padEnd(17)} ` +
        `${r.p50Ms.toFixed(2).padStart(7)} ${r.p99Ms.toFixed(2).padStart(7)} ${r.p999Ms.toFixed(2).padStart(8)} ${String(r.non2xx).padStart(7)} ` +
        `${fmt(r.serverThreadCpuUsPerRequest).padStart(10)} ${pctOf(r.serverElu).padStart(8)} ${pctOf(r.machineCpuBusy).padStart(7)} ` +
        `${withBare2 ? `${bare2.padStart(7)} ` : ''}${bare}`,
    );
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(),
    (err: unknown) => {
      console.error('gateway bench failed:', err);
      process.exit(1);
    },
  );
}
