// The Hono app every service starts from: request ids, request logs and metrics, a body size
// limit, one error handler, 404/405, and /health, /ready, /metrics. No listen() here.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import { limitBody } from './body.js';
import type { ServiceMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export type AppEnv = { Variables: { requestId: string; log: Logger } };

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: Readiness;
  /** Largest request body accepted; larger ones get 413. Default 64 KiB. */
  bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** An HTTP error whose message is safe and useful to show the client. */
export function httpError(
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
  reason: string,
  headers?: Record<string, string>,
): HTTPException {
  return new HTTPException(status, { res: Response.json({ error: reason }, { status, headers }) });
}

export function createServiceApp({ logger, metrics, readiness, bodyLimitBytes = DEFAULT_BODY_LIMIT }: ServiceAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async function requestLog(c, next) {
    const started = performance.now();
    c.set('log', logger.child({ requestId: c.get('requestId') }));
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath && c.req.routePath !== '/*' && c.req.routePath !== '*' ? c.req.routePath : 'unmatched';
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    if (route !== '/health' && route !== '/metrics') {
      // Secrets in the path (TradingView's token) never reach the logs: log the route pattern instead.
      const path = route.includes(':token') ? route : c.req.path;
      c.get('log').info({ method: c.req.method, path, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
    }
  });
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, allowed) =>
        c.json({ error: `method ${c.req.method} not allowed; use ${allowed.join(', ')}` }, 405, { Allow: allowed.join(', ') }),
    }),
  );
  app.use(limitBody(bodyLimitBytes));

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const { ready, status, checks } = await readiness.run();
    return c.json({ status, checks }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // 5xx: log everything, tell the client nothing but the request id to quote.
    (c.get('log') ?? logger).error({ err }, 'unhandled error');
    return c.json({ error: 'internal error', requestId: c.get('requestId') }, 500);
  });
  return app;
}
