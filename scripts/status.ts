// `make status`: the original design's "healthy looks like" as one table. Every service answers
// /health and /ready, NATS shows the consumers of the stream (pending, ack pending, waiting pulls),
// and Prometheus, when it runs, scrapes its targets. Exit 0 when everything that runs is healthy.
// Every probe has a short timeout, so the whole run is bounded (a few seconds).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '../generated/index.js';
import { connectNats, DEFAULT_STREAM_NAME, type NatsRuntime } from '../services/core/src/index.js';
import { SERVICES } from './platform/services.js';

const PROBE_TIMEOUT_MS = 2_000;

/** `<NAME>_URL` (GATEWAY_URL, AGENT_MCP_URL, ...) overrides where a service is probed. */
const urlVariable = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;

export interface HttpProbe {
  /** HTTP status code, absent when nothing answered. */
  code?: number;
  /** The `status` field of the JSON body (/ready: ready, degraded, not ready). */
  status?: string;
  /** Why nothing answered (connection refused, timeout). */
  error?: string;
}

export interface ServiceProbe {
  name: string;
  url: string;
  health: HttpProbe;
  ready: HttpProbe;
}

export interface ConsumerProbe {
  name: string;
  /** The service that owns the durable (from the generated consumer declarations). */
  service?: string;
  pending: number;
  ackPending: number;
  /** Pull requests waiting: > 0 while a consumer is attached and pulling. */
  waiting: number;
}

export interface NatsProbe {
  url: string;
  stream: string;
  /** Why NATS could not be reached; absent when connected. */
  error?: string;
  /** Why the stream could not be read (not provisioned yet); absent when it was. */
  streamError?: string;
  consumers: ConsumerProbe[];
}

export interface PrometheusTarget {
  job: string;
  instance: string;
  /** up, down or unknown (not scraped yet). */
  health: string;
  lastError?: string;
}

export interface PrometheusProbe {
  url: string;
  running: boolean;
  targets: PrometheusTarget[];
  error?: string;
}

export interface StatusReport {
  services: ServiceProbe[];
  nats: NatsProbe;
  prometheus: PrometheusProbe;
}

export interface RenderedStatus {
  text: string;
  healthy: boolean;
  /** One line per unhealthy thing, each naming it. */
  problems: string[];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeHttp(probe: HttpProbe): string {
  if (probe.code === undefined) return probe.error ?? 'no answer';
  return probe.status ? `${probe.code} ${probe.status}` : String(probe.code);
}

/** Pure: the table and the verdict from probe results. */
export function renderStatus(report: StatusReport): RenderedStatus {
  const problems: string[] = [];
  const up = new Set<string>();

  const serviceRows = report.services.map((s) => {
    const healthy = s.health.code === 200;
    // /ready answers 200 for ready and degraded (a non-critical check failing), 503 for not ready.
    const ready = s.ready.code === 200;
    if (healthy) up.add(s.name);
    if (s.health.code === undefined) problems.push(`${s.name} is down (${s.url}: ${s.health.error ?? 'no answer'})`);
    else if (!healthy) problems.push(`${s.name} /health answered ${s.health.code}`);
    else if (!ready) problems.push(`${s.name} is not ready (/ready ${describeHttp(s.ready)})`);
    const state =
      s.health.code === undefined ? 'DOWN' : healthy && ready ? (s.ready.status === 'degraded' ? 'degraded' : 'ok') : 'UNHEALTHY';
    return [s.name, s.url, describeHttp(s.health), describeHttp(s.ready), state];
  });

  const sections = [`Services\n${table(['service', 'url', '/health', '/ready', 'state'], serviceRows)}`];

  const { nats } = report;
  if (nats.error) {
    problems.push(`NATS is unreachable at ${nats.url} (${nats.error})`);
    sections.push(`NATS ${nats.url}: unreachable (${nats.error})`);
  } else if (nats.streamError) {
    problems.push(`stream ${nats.stream}: ${nats.streamError}`);
    sections.push(`NATS ${nats.url}: connected; stream ${nats.stream}: ${nats.streamError}`);
  } else {
    const rows = nats.consumers.map((c) => {
      // A consumer is expected to pull only while its service runs; others just accumulate pending.
      const attached = c.waiting > 0 ? 'yes' : c.service && up.has(c.service) ? 'NO' : 'no';
      return [c.name, c.service ?? '-', String(c.pending), String(c.ackPending), String(c.waiting), attached];
    });
    sections.push(
      `NATS ${nats.url}: connected; stream ${nats.stream}, ${nats.consumers.length} consumers\n${table(
        ['consumer', 'service', 'pending', 'ack pending', 'waiting', 'active'],
        rows,
      )}`,
    );
  }

  const { prometheus } = report;
  if (!prometheus.running) {
    sections.push(`Prometheus not running (${prometheus.url}${prometheus.error ? `: ${prometheus.error}` : ''})`);
  } else {
    for (const t of prometheus.targets)
      if (t.health === 'down') problems.push(`Prometheus target ${t.job} ${t.instance} is down${t.lastError ? ` (${t.lastError})` : ''}`);
    const upCount = prometheus.targets.filter((t) => t.health === 'up').length;
    const rows = prometheus.targets.map((t) => [t.job, t.instance, t.health, t.lastError ?? '']);
    sections.push(
      `Prometheus ${prometheus.url}: ${upCount}/${prometheus.targets.length} targets up\n${table(['job', 'instance', 'health', 'last error'], rows)}`,
    );
  }

  const healthy = problems.length === 0;
  sections.push(healthy ? 'HEALTHY' : `UNHEALTHY:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { text: sections.join('\n\n'), healthy, problems };
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${PROBE_TIMEOUT_MS} ms`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

async function probeHttp(url: string): Promise<HttpProbe> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await res.json().catch(() => undefined)) as { status?: unknown } | undefined;
    return { code: res.status, ...(typeof body?.status === 'string' ? { status: body.status } : {}) };
  } catch (err) {
    return { error: reason(err) };
  }
}

async function probeService(name: string, url: string): Promise<ServiceProbe> {
  const [health, ready] = await Promise.all([probeHttp(`${url}/health`), probeHttp(`${url}/ready`)]);
  return { name, url, health, ready };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probeNats(url: string, stream: string): Promise<NatsProbe> {
  const base = { url, stream, consumers: [] as ConsumerProbe[] };
  const connecting = connectNats({ servers: url, name: 'status', waitOnFirstConnect: false });
  let nats: NatsRuntime;
  try {
    nats = await withTimeout(connecting, PROBE_TIMEOUT_MS, 'connect');
  } catch (err) {
    // A connection that completes after the timeout must not keep the process alive.
    void connecting.then((late) => late.close()).catch(() => {});
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    const owners = new Map(CONSUMERS.map((c) => [c.durable, c.service]));
    const consumers: ConsumerProbe[] = [];
    const listing = async () => {
      for await (const info of nats.jsm.consumers.list(stream)) {
        // Strategy agents' durables (`agent-<id>`) belong to agent-mcp too.
        const service = owners.get(info.name) ?? (info.name.startsWith('agent-') ? 'agent-mcp' : undefined);
        consumers.push({
          name: info.name,
          ...(service ? { service } : {}),
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          waiting: info.num_waiting,
        });
      }
    };
    await withTimeout(listing(), PROBE_TIMEOUT_MS, 'consumer list');
    consumers.sort((a, b) => a.name.localeCompare(b.name));
    return { ...base, consumers };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ...base,
      streamError: /stream not found/i.test(message) ? 'not found (not provisioned yet: start a service or make dev)' : message,
    };
  } finally {
    await withTimeout(nats.close(), PROBE_TIMEOUT_MS, 'close').catch(() => nats.nc.close());
  }
}

async function probePrometheus(url: string): Promise<PrometheusProbe> {
  try {
    const res = await fetch(`${url}/api/v1/targets`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!res.ok) return { url, running: false, targets: [], error: `/api/v1/targets answered ${res.status}` };
    const body = (await res.json()) as {
      data?: { activeTargets?: { labels?: Record<string, string>; scrapeUrl?: string; health?: string; lastError?: string }[] };
    };
    const targets = (body.data?.activeTargets ?? []).map((t) => ({
      job: t.labels?.job ?? '?',
      instance: t.labels?.instance ?? t.scrapeUrl ?? '?',
      health: t.health ?? 'unknown',
      ...(t.lastError ? { lastError: t.lastError } : {}),
    }));
    return { url, running: true, targets };
  } catch (err) {
    return { url, running: false, targets: [], error: reason(err) };
  }
}

export interface StatusOptions {
  services: { name: string; url: string }[];
  natsUrl: string;
  stream: string;
  prometheusUrl: string;
}

export function optionsFromEnv(env: Record<string, string | undefined> = process.env): StatusOptions {
  const nonEmpty = (value: string | undefined) => (value ? value : undefined);
  return {
    services: SERVICES.map((s) => ({
      name: s.name,
      url: (nonEmpty(env[urlVariable(s.name)]) ?? `http://127.0.0.1:${s.port}`).replace(/\/+$/, ''),
    })),
    natsUrl: nonEmpty(env.NATS_URL) ?? 'nats://127.0.0.1:4222',
    stream: nonEmpty(env.NATS_STREAM) ?? DEFAULT_STREAM_NAME,
    prometheusUrl: (nonEmpty(env.PROMETHEUS_URL) ?? 'http://127.0.0.1:9090').replace(/\/+$/, ''),
  };
}

/** Runs every probe at once. */
export async function collectStatus(options: StatusOptions): Promise<StatusReport> {
  const [services, nats, prometheus] = await Promise.all([
    Promise.all(options.services.map((s) => probeService(s.name, s.url))),
    probeNats(options.natsUrl, options.stream),
    probePrometheus(options.prometheusUrl),
  ]);
  return { services, nats, prometheus };
}

async function main(): Promise<void> {
  // A last resort: the probes time out on their own, this only bounds the unexpected.
  setTimeout(() => {
    console.error('status: probes did not finish within 15 s');
    process.exit(1);
  }, 15_000).unref();
  const { text, healthy } = renderStatus(await collectStatus(optionsFromEnv()));
  console.log(text);
  process.exitCode = healthy ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`status: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
