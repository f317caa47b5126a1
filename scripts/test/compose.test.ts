// docker-compose.dev.yml (validated by docker-compose, no Docker engine needed) and `make status`.
import { execFile, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { provisionStreams } from '../../generated/index.js';
import { connectNats } from '../../services/core/src/index.js';
import { freePort, type NatsServerHandle, startNatsServer } from '../../services/core/src/testing/nats-harness.js';
import { collectStatus, renderStatus, type StatusReport } from '../status.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const compose = (...args: string[]) => run('docker-compose', ['-f', 'docker-compose.dev.yml', ...args], { cwd: rootDir });

/** The original design's ports table and run order (NATS, gateway, agent-mcp, exec-sim, observability). */
const RUN_ORDER = [
  { name: 'nats', port: 4222 },
  { name: 'gateway', port: 8001 },
  { name: 'agent-mcp', port: 8002 },
  { name: 'exec-sim', port: 8004 },
  { name: 'observability', port: 8005 },
  { name: 'prometheus', port: 9090 },
  { name: 'grafana', port: 3000 },
];

interface ComposeService {
  ports?: (string | { published: number | string; target: number })[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string>;
  build?: { args?: Record<string, string> };
  volumes?: (string | { source: string; target: string })[];
}

function publishedPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((p) => (typeof p === 'string' ? Number(p.split(':')[0]) : Number(p.published)));
}

describe('docker-compose.dev.yml', () => {
  let services: Record<string, ComposeService>;

  beforeAll(async () => {
    services = (parse((await compose('config')).stdout) as { services: Record<string, ComposeService> }).services;
  });

  it('is valid for docker-compose (config -q exits 0)', async () => {
    await expect(compose('config', '-q')).resolves.toMatchObject({ stderr: '' });
  });

  it.each(RUN_ORDER)('$name publishes its port $port and has a healthcheck', ({ name, port }) => {
    const service = services[name];
    expect(service, `service ${name}`).toBeDefined();
    expect(publishedPorts(service as ComposeService)).toContain(port);
    expect(service?.healthcheck?.test, `${name} healthcheck`).toBeTruthy();
  });

  it('starts in the run order: each waits for the previous one to be healthy', () => {
    for (const [i, { name }] of RUN_ORDER.entries()) {
      const dependsOn = services[name]?.depends_on ?? {};
      expect(Array.isArray(dependsOn), `${name}: depends_on needs conditions`).toBe(false);
      const conditions = dependsOn as Record<string, { condition?: string }>;
      for (const [dependency, { condition }] of Object.entries(conditions))
        expect(condition, `${name} -> ${dependency}`).toBe('service_healthy');
      // prometheus and grafana come after observability, side by side.
      const previous = name === 'grafana' ? 'observability' : RUN_ORDER[i - 1]?.name;
      if (previous) expect(Object.keys(conditions), name).toContain(previous);
      else expect(Object.keys(conditions)).toEqual([]);
    }
  });

  it('builds every platform service from the one Dockerfile and wires it to NATS and exec-sim in the network', () => {
    for (const name of ['gateway', 'agent-mcp', 'exec-sim', 'observability']) {
      const service = services[name] as ComposeService;
      expect(service.build?.args?.SERVICE).toBe(name);
      expect(service.environment).toMatchObject({ NATS_URL: 'nats://nats:4222', EXEC_SIM_URL: 'http://exec-sim:8004', SERVICE: name });
      // env_file: .env.example is read in.
      expect(service.environment?.NATS_STREAM).toBe('trading-events');
    }
    expect(services['agent-mcp']?.environment?.MCP_HOST).toBe('0.0.0.0');
    expect(services.grafana?.environment).toMatchObject({ GF_SECURITY_ADMIN_USER: 'admin', GF_SECURITY_ADMIN_PASSWORD: 'admin' });
  });
});

const down = { error: 'ECONNREFUSED' };

function report(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    services: [
      { name: 'gateway', url: 'http://127.0.0.1:8001', health: { code: 200, status: 'ok' }, ready: { code: 200, status: 'degraded' } },
      { name: 'agent-mcp', url: 'http://127.0.0.1:8002', health: { code: 200, status: 'ok' }, ready: { code: 200, status: 'ready' } },
      { name: 'exec-sim', url: 'http://127.0.0.1:8004', health: { code: 200, status: 'ok' }, ready: { code: 200, status: 'ready' } },
    ],
    nats: {
      url: 'nats://127.0.0.1:4222',
      stream: 'trading-events',
      consumers: [{ name: 'exec-sim-intents', service: 'exec-sim', pending: 3, ackPending: 1, waiting: 1 }],
    },
    prometheus: { url: 'http://127.0.0.1:9090', running: false, targets: [], error: 'ECONNREFUSED' },
    ...overrides,
  };
}

describe('status rendering', () => {
  it('is healthy when every service is ready or degraded, with consumers and Prometheus not running', () => {
    const { text, healthy, problems } = renderStatus(report());
    expect(problems).toEqual([]);
    expect(healthy).toBe(true);
    expect(text).toMatch(/gateway\s+http:\/\/127\.0\.0\.1:8001\s+200 ok\s+200 degraded\s+degraded/);
    expect(text).toMatch(/exec-sim-intents\s+exec-sim\s+3\s+1\s+1\s+yes/);
    expect(text).toContain('Prometheus not running');
    expect(text).toMatch(/HEALTHY$/);
  });

  it('names a service that is down or not ready, an unreachable NATS and a Prometheus target down', () => {
    const base = report();
    const { text, healthy, problems } = renderStatus({
      services: [
        { ...(base.services[0] as StatusReport['services'][number]), ready: { code: 503, status: 'not ready' } },
        { name: 'agent-mcp', url: 'http://127.0.0.1:8002', health: down, ready: down },
        base.services[2] as StatusReport['services'][number],
      ],
      nats: { url: 'nats://127.0.0.1:4222', stream: 'trading-events', consumers: [], error: 'connection refused' },
      prometheus: {
        url: 'http://127.0.0.1:9090',
        running: true,
        targets: [
          { job: 'exec-sim', instance: 'exec-sim:8004', health: 'up' },
          { job: 'gateway', instance: 'gateway:8001', health: 'down', lastError: 'connection refused' },
        ],
      },
    });
    expect(healthy).toBe(false);
    expect(problems).toEqual([
      'gateway is not ready (/ready 503 not ready)',
      'agent-mcp is down (http://127.0.0.1:8002: ECONNREFUSED)',
      'NATS is unreachable at nats://127.0.0.1:4222 (connection refused)',
      'Prometheus target gateway gateway:8001 is down (connection refused)',
    ]);
    expect(text).toContain('1/2 targets up');
    expect(text).toMatch(/agent-mcp\s+http:\/\/127\.0\.0\.1:8002\s+ECONNREFUSED\s+ECONNREFUSED\s+DOWN/);
  });
});

describe('status against a real nats-server with no services running', () => {
  let server: NatsServerHandle;
  let prometheus: Server;
  let closedPort: number;

  beforeAll(async () => {
    server = await startNatsServer();
    const nats = await connectNats({ servers: server.url, name: 'compose-test' });
    await provisionStreams(nats.jsm);
    await nats.close();
    closedPort = await freePort(); // nothing listens there
    // A stand-in Prometheus answering /api/v1/targets.
    prometheus = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            activeTargets: [{ labels: { job: 'gateway', instance: 'gateway:8001' }, health: 'down', lastError: 'connection refused' }],
          },
        }),
      );
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => prometheus?.close(resolve));
    await server?.stop();
  });

  it('lists the provisioned consumers, reads Prometheus targets and names every down service', async () => {
    const started = Date.now();
    const status = await collectStatus({
      services: ['gateway', 'agent-mcp', 'exec-sim'].map((name) => ({ name, url: `http://127.0.0.1:${closedPort}` })),
      natsUrl: server.url,
      stream: 'trading-events',
      prometheusUrl: `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(status.nats.error).toBeUndefined();
    expect(status.nats.consumers.map((c) => c.name)).toContain('exec-sim-intents');
    expect(status.nats.consumers.find((c) => c.name === 'exec-sim-intents')).toMatchObject({
      service: 'exec-sim',
      pending: 0,
      ackPending: 0,
    });
    const { healthy, problems } = renderStatus(status);
    expect(healthy).toBe(false);
    for (const name of ['gateway', 'agent-mcp', 'exec-sim'])
      expect(
        problems.some((p) => p.startsWith(`${name} is down`)),
        name,
      ).toBe(true);
    expect(problems).toContain('Prometheus target gateway gateway:8001 is down (connection refused)');
  });

  it('the script exits 1, names the down services and says Prometheus is not running', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/status.ts'], {
      cwd: rootDir,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        ...process.env,
        NATS_URL: server.url,
        NATS_STREAM: 'trading-events',
        PROMETHEUS_URL: `http://127.0.0.1:${closedPort}`,
        GATEWAY_URL: `http://127.0.0.1:${closedPort}`,
        AGENT_MCP_URL: `http://127.0.0.1:${closedPort}`,
        EXEC_SIM_URL: `http://127.0.0.1:${closedPort}`,
        OBSERVABILITY_URL: `http://127.0.0.1:${closedPort}`,
      },
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('Prometheus not running');
    expect(result.stdout).toMatch(/NATS nats:\/\/127\.0\.0\.1:\d+: connected; stream trading-events/);
    for (const name of ['gateway', 'agent-mcp', 'exec-sim', 'observability']) expect(result.stdout).toContain(`- ${name} is down`);
  });

  it('says so when NATS is unreachable', async () => {
    const status = await collectStatus({
      services: [],
      natsUrl: `nats://127.0.0.1:${closedPort}`,
      stream: 'trading-events',
      prometheusUrl: `http://127.0.0.1:${closedPort}`,
    });
    const { healthy, text } = renderStatus(status);
    expect(healthy).toBe(false);
    expect(text).toContain(`NATS nats://127.0.0.1:${closedPort}: unreachable`);
  });
});
