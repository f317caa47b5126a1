// `make demo`: replays the bundled feed of TradingView alerts through the real webhook endpoint,
// waits until the agents and exec-sim have acted on every alert, prints fills and PnL per
// strategy, and writes dist/demo/report.html (equity curves, latency distributions).
//
// It uses the platform that answers at GATEWAY_URL (`make dev`), with the webhook token from the
// environment or .env; when none answers it starts a platform of its own (nats-server, streams,
// every service on free ports) with the demo's agents (scripts/demo/agents.yaml) and stops it at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrderFilled, OrderUpdated } from '../../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME, loadInstrumentCatalog, type NatsRuntime } from '../../services/core/src/index.js';
import { dotenv } from '../platform/dotenv.js';
import { startLocalPlatform } from '../platform/local-platform.js';
import { type AttributedFill, equityCurves, type StrategyEquity } from './equity.js';
import { type DemoFeed, generateFeed, seedFrom } from './feed.js';
import { tapEvents, waitSettled } from './observe.js';
import { replayFeed, type SentAlert } from './replay.js';
import { type ReportData, renderReport, type StrategyRow } from './report.js';
import { summarize } from './stats.js';

const demoDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(demoDir, '..', '..');

export interface DemoOptions {
  seed?: number;
  minAlerts?: number;
  /** Alerts per second; default 40 on the demo's own platform, 8 on a running one (its rate limit is 10 orders/s per strategy). */
  rate?: number;
  /** 'auto': the platform at gatewayUrl when it answers, else one of its own; 'own': always one of its own. */
  platform?: 'auto' | 'own';
  gatewayUrl?: string;
  execSimUrl?: string;
  natsUrl?: string;
  stream?: string;
  /** The running platform's webhook token. */
  token?: string;
  reportPath?: string;
  log?: (line: string) => void;
}

export interface DemoResult {
  feed: DemoFeed;
  sent: SentAlert[];
  strategies: StrategyRow[];
  equity: StrategyEquity[];
  fills: AttributedFill[];
  latency: ReportData['latency'];
  reportPath: string;
}

interface Target {
  label: string;
  own: boolean;
  gatewayUrl: string;
  execSimUrl: string;
  token: string;
  stream: string;
  nats: NatsRuntime;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) })).ok;
  } catch {
    return false;
  }
}

async function runningTarget(options: DemoOptions, gatewayUrl: string, log: (line: string) => void): Promise<Target> {
  const env = { ...dotenv(), ...process.env };
  const token = options.token ?? env.TRADINGVIEW_WEBHOOK_TOKEN;
  if (!token)
    throw new Error(
      `a platform answers at ${gatewayUrl}, but TRADINGVIEW_WEBHOOK_TOKEN is not set: export the token \`make dev\` printed ` +
        '("TradingView alerts: POST .../webhooks/tradingview/<token>") or put it in .env, which `make dev` reads too',
    );
  const execSimUrl = options.execSimUrl ?? env.EXEC_SIM_URL ?? 'http://127.0.0.1:8004';
  if (!(await answers(execSimUrl)))
    throw new Error(`the gateway answers at ${gatewayUrl} but exec-sim does not at ${execSimUrl} (set EXEC_SIM_URL)`);
  const natsUrl = options.natsUrl ?? env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nats = await connectNats({ servers: natsUrl, name: 'demo' }).catch((error: unknown) => {
    throw new Error(`cannot reach NATS at ${natsUrl} (the demo watches intents and fills there; set NATS_URL): ${String(error)}`);
  });
  log(`[demo] using the running platform: gateway ${gatewayUrl}, exec-sim ${execSimUrl}, NATS ${natsUrl}`);
  return {
    label: `the running platform at ${gatewayUrl}`,
    own: false,
    gatewayUrl,
    execSimUrl,
    token,
    stream: options.stream ?? env.NATS_STREAM ?? DEFAULT_STREAM_NAME,
    nats,
    stop: () => nats.close(),
  };
}

async function ownTarget(log: (line: string) => void): Promise<Target> {
  const local = await startLocalPlatform({
    env: { AGENTS_CONFIG: path.join(demoDir, 'agents.yaml'), EXEC_SIM_CONFIG: path.join(demoDir, 'exec-sim.yaml') },
    onStep: (message) => log(`[demo] ${message}`),
    onStarted: (service, healthy) => log(`[demo] ${service.spec.name} on ${service.url}: ${healthy ? 'healthy' : 'NOT healthy'}`),
  });
  const nats = await connectNats({ servers: local.nats.url, name: 'demo' });
  const { platform } = local;
  return {
    label: 'a platform of its own (free ports, scripts/demo/agents.yaml)',
    own: true,
    gatewayUrl: platform.url('gateway'),
    execSimUrl: platform.url('exec-sim'),
    token: platform.env.TRADINGVIEW_WEBHOOK_TOKEN as string,
    stream: local.stream,
    nats,
    async stop() {
      await nats.close();
      await local.stop();
    },
  };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** This run's orders and fills, each tied to the alert whose signal caused it. */
async function collect(target: Target, feed: DemoFeed, sent: readonly SentAlert[], intents: ReadonlyMap<string, { causationId?: string }>) {
  const seqBySignal = new Map(sent.flatMap((s) => (s.signalId ? [[s.signalId, s.alert.seq] as const] : [])));
  const seqByOrder = new Map<string, number>();
  for (const [clientOrderId, intent] of intents) {
    const seq = intent.causationId === undefined ? undefined : seqBySignal.get(intent.causationId);
    if (seq !== undefined) seqByOrder.set(clientOrderId, seq);
  }
  const { orders } = await getJson<{ orders: OrderUpdated[] }>(`${target.execSimUrl}/orders`);
  const { fills } = await getJson<{ fills: OrderFilled[] }>(`${target.execSimUrl}/fills?limit=5000`);
  const runOrders = orders.filter((order) => seqByOrder.has(order.clientOrderId));
  const runFills: AttributedFill[] = fills
    .filter((fill) => seqByOrder.has(fill.clientOrderId))
    .map((fill) => ({ fill, seq: seqByOrder.get(fill.clientOrderId) as number }));
  return { orders: runOrders, fills: runFills, equity: equityCurves(feed, runFills) };
}

function strategyRows(orders: readonly OrderUpdated[], equity: readonly StrategyEquity[]): StrategyRow[] {
  const ids = [...new Set([...orders.map((o) => o.strategyId), ...equity.map((e) => e.strategyId)])].sort();
  return ids.map((strategyId) => {
    const own = orders.filter((o) => o.strategyId === strategyId);
    const curve = equity.find((e) => e.strategyId === strategyId);
    return {
      strategyId,
      orders: own.length,
      filled: own.filter((o) => o.status === 'filled').length,
      rejected: own.filter((o) => o.status === 'rejected').length,
      fills: curve?.fills ?? 0,
      equity: curve?.final ?? 0,
    };
  });
}

function countBy(keys: readonly string[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const feed = generateFeed(loadInstrumentCatalog(), { seed: options.seed, minAlerts: options.minAlerts });
  log(
    `[demo] feed: ${feed.alerts.length} alerts over ${feed.bars} bars of ${feed.instruments.map((i) => i.key).join(', ')} (seed ${feed.seed})`,
  );
  const gatewayUrl = options.gatewayUrl ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:8001';
  log(options.platform === 'own' ? '[demo] starting a platform of its own' : `[demo] looking for a platform at ${gatewayUrl}`);
  const useRunning = options.platform !== 'own' && (await answers(gatewayUrl));
  if (options.platform !== 'own' && !useRunning) log(`[demo] nothing answers at ${gatewayUrl}: starting a platform of its own`);
  const target = useRunning ? await runningTarget(options, gatewayUrl, log) : await ownTarget(log);
  try {
    const rate = options.rate ?? (target.own ? 40 : 8);
    const tap = tapEvents(target.nats);
    log(`[demo] replaying ${feed.alerts.length} alerts at ${rate}/s to ${target.gatewayUrl}/webhooks/tradingview/<token>`);
    const sent = await replayFeed({ gatewayUrl: target.gatewayUrl, token: target.token, alerts: feed.alerts, rate, log });
    await waitSettled(target.nats, target.stream, log);
    await tap.stop();
    const { orders, fills, equity } = await collect(target, feed, sent, tap.intents);
    const arrival = new Map(tap.fills.map(({ fill, receivedAt }) => [fill.tradeId, receivedAt]));
    const sentAt = new Map(sent.map((s) => [s.alert.seq, s.sentAt]));
    const latency = {
      webhookToFill: fills.flatMap(({ fill, seq }) => {
        const at = arrival.get(fill.tradeId);
        return at === undefined ? [] : [at - (sentAt.get(seq) as number)];
      }),
      webhookToAccepted: sent.filter((s) => s.status === 202).map((s) => s.answeredAt - s.sentAt),
    };
    const strategies = strategyRows(orders, equity);
    const rejections = countBy(orders.filter((o) => o.status === 'rejected').map((o) => o.reasonCode ?? 'unknown'));
    const reportPath = options.reportPath ?? path.join(rootDir, 'dist', 'demo', 'report.html');
    mkdirSync(path.dirname(reportPath), { recursive: true });
    writeFileSync(
      reportPath,
      renderReport({
        generatedAt: new Date().toISOString(),
        seed: feed.seed,
        alerts: feed.alerts.length,
        bars: feed.bars,
        platform: target.label,
        rate,
        strategies,
        rejections,
        equity,
        latency,
      }),
    );
    printSummary(log, sent, strategies, rejections, latency);
    log(`[demo] report: ${path.relative(process.cwd(), reportPath) || reportPath}`);
    return { feed, sent, strategies, equity, fills, latency, reportPath };
  } finally {
    if (target.own) log('[demo] stopping its platform');
    await target.stop();
  }
}

function printSummary(
  log: (line: string) => void,
  sent: readonly SentAlert[],
  strategies: readonly StrategyRow[],
  rejections: readonly { reason: string; count: number }[],
  latency: ReportData['latency'],
): void {
  const accepted = sent.filter((s) => s.status === 202).length;
  const notNormalized = sent.filter((s) => s.status === 202 && !s.signalId);
  log(`[demo] ${accepted}/${sent.length} alerts accepted, ${accepted - notNormalized.length} normalized into signals`);
  for (const s of notNormalized.slice(0, 3)) log(`[demo]   alert ${s.alert.seq} not normalized: ${s.reason}`);
  log('');
  const money = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  log(
    table(
      ['strategy', 'orders', 'filled', 'rejected', 'fills', 'PnL USD'],
      strategies.map((s) => [s.strategyId, String(s.orders), String(s.filled), String(s.rejected), String(s.fills), money(s.equity)]),
    ),
  );
  if (rejections.length > 0) log(`rejections: ${rejections.map((r) => `${r.count} ${r.reason}`).join(', ')}`);
  log('');
  const row = (label: string, samples: readonly number[]) => {
    const s = summarize(samples);
    return [label, String(s.count), ...[s.p50, s.p90, s.p99, s.max].map((v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a'))];
  };
  log(
    table(
      ['latency (ms)', 'samples', 'p50', 'p90', 'p99', 'max'],
      [row('webhook -> fill received', latency.webhookToFill), row('webhook -> 202', latency.webhookToAccepted)],
    ),
  );
  log('');
}

function optionalNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  if (!(number > 0)) throw new Error(`${name} must be a positive number, got "${value}"`);
  return number;
}

async function main(): Promise<void> {
  const result = await runDemo({ seed: seedFrom(process.env.DEMO_SEED), rate: optionalNumber('DEMO_RATE') });
  if (result.fills.length === 0) {
    console.error('[demo] no fills: every order was rejected or no agent acted (see the rejections above)');
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
