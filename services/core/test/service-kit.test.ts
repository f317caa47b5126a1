// The service kit: config validation, the app factory's routes and errors, readiness, metrics,
// and closing the listener while a request is in flight.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  createLogger,
  createMetrics,
  createServiceApp,
  httpError,
  listen,
  loadConfig,
  Readiness,
} from '../src/service/index.js';

const silent = createLogger({ service: 'test', env: 'test', level: 'silent' });

function appWith(readiness = new Readiness(), bodyLimitBytes = 64) {
  const metrics = createMetrics('test');
  const app = createServiceApp({ logger: silent, metrics, readiness, bodyLimitBytes });
  app.post('/echo', async (c) => c.json(await c.req.json()));
  app.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/teapot', () => {
    throw httpError(422, 'quantity must be positive');
  });
  return { app, metrics };
}

describe('loadConfig', () => {
  const defaults = { serviceName: 'gateway', port: 8001 };

  it('applies defaults and the service port', () => {
    const config = loadConfig(defaults, {}, {});
    expect(config).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_STREAM: 'trading-events',
      LOG_LEVEL: 'info',
      PORT: 8001,
      SERVICE_NAME: 'gateway',
    });
  });

  it('accepts the original design sample values (LOG_LEVEL=INFO)', () => {
    const config = loadConfig(defaults, {}, { LOG_LEVEL: 'INFO', NATS_URL: 'nats://localhost:4222', PORT: '9001', ENV: 'development' });
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.PORT).toBe(9001);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['NATS_URL', 'http://localhost:4222'],
    ['LOG_LEVEL', 'verbose'],
    ['NATS_STREAM', 'trading events'],
  ])('names the variable when %s=%s is malformed', (variable, value) => {
    expect(() => loadConfig(defaults, {}, { [variable]: value })).toThrow(new RegExp(`^invalid configuration:\\n  ${variable}: `));
  });

  it('names a missing service-specific variable', () => {
    const error = (() => {
      try {
        loadConfig(defaults, { TRADINGVIEW_WEBHOOK_TOKEN: z.string().min(16) }, {});
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['TRADINGVIEW_WEBHOOK_TOKEN']);
  });
});

describe('createServiceApp', () => {
  it('answers /health and sets a request id', async () => {
    const res = await appWith().app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('X-Request-Id')).toMatch(/.{8,}/);
  });

  it('answers /ready 503 with every failing reason, 200 when all pass', async () => {
    let natsUp = false;
    const readiness = new Readiness()
      .add('nats', () => (natsUp ? { ok: true } : { ok: false, detail: 'not connected' }))
      .add('stream', () => ({ ok: true }));
    const { app } = appWith(readiness);
    const down = await app.request('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'not ready',
      checks: { nats: { ok: false, detail: 'not connected' }, stream: { ok: true } },
    });
    natsUp = true;
    expect((await app.request('/ready')).status).toBe(200);
  });

  it('answers /ready 200 "degraded" when only non-critical checks fail', async () => {
    const readiness = new Readiness()
      .add('nats', () => ({ ok: false, detail: 'not connected' }), { critical: false })
      .add('spool', () => ({ ok: true }));
    const res = await appWith(readiness).app.request('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', checks: { nats: { ok: false } } });
  });

  it('exposes Prometheus metrics with the HTTP counters by route pattern', async () => {
    const { app } = appWith();
    await app.request('/echo', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/echo",status="200",service="test"\} 1/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 and 405 with a reason', async () => {
    const { app } = appWith();
    const missing = await app.request('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for GET /nope' });
    const wrongMethod = await app.request('/echo', { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('Allow')).toContain('POST');
  });

  it('rejects an oversize body with 413 before the handler reads it', async () => {
    const res = await appWith().app.request('/echo', {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(200) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'request body exceeds the limit of 64 bytes' });
  });

  it('passes 4xx reasons through and leaks nothing on 5xx', async () => {
    const { app } = appWith();
    const clientError = await app.request('/teapot');
    expect(clientError.status).toBe(422);
    expect(await clientError.json()).toEqual({ error: 'quantity must be positive' });
    const serverError = await app.request('/boom');
    expect(serverError.status).toBe(500);
    const body = await serverError.text();
    expect(body).not.toContain('hunter2');
    expect(JSON.parse(body)).toEqual({ error: 'internal error', requestId: serverError.headers.get('X-Request-Id') });
  });

  it('logs JSON lines carrying the request id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'test', env: 'test', level: 'info', destination: sink });
    const app = createServiceApp({ logger, metrics: createMetrics('test'), readiness: new Readiness() });
    app.get('/x', (c) => c.text('ok'));
    const res = await app.request('/x');
    const entry = JSON.parse(lines.find((l) => l.includes('"request"')) ?? '{}');
    expect(entry).toMatchObject({
      level: 'info',
      service: 'test',
      msg: 'request',
      status: 200,
      requestId: res.headers.get('X-Request-Id'),
    });
  });
});

describe('listen', () => {
  it('finishes an in-flight request before close() resolves, and refuses new ones after', async () => {
    const { app } = appWith();
    let release: () => void = () => {};
    app.get('/slow', async (c) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return c.text('done');
    });
    const listener = await listen(app, 0, '127.0.0.1');
    const url = `http://127.0.0.1:${listener.port}`;
    const inFlight = fetch(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = listener.close();
    release();
    expect(await (await inFlight).text()).toBe('done');
    await closed;
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
