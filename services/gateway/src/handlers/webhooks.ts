// POST /webhooks/tradingview/:token and POST /webhooks/:source: authenticate, keep the webhook
// verbatim as signals.raw, normalize it, and answer 202 only once it is safe (JetStream ack or
// spool fsync). Rejections say why (except which credential failed) and publish nothing.
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { type AppEnv, httpError, readBody } from '../../../core/src/index.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';
import { type AddressSet, clientAddress } from '../auth/client-address.js';
import { verifyGithubSignature, verifyTimestampedSignature } from '../auth/signatures.js';
import { tokenMatches } from '../auth/tokens.js';
import { normalizeTradingView } from '../domain/normalize.js';
import type { Backpressure } from '../ingest/backpressure.js';
import type { SignalDelivery } from '../ingest/delivery.js';
import { type AcceptedWebhook, buildRawSignal, IDEMPOTENCY_KEY_PATTERN } from '../ingest/raw-signal.js';
import type { GatewayMetrics, WebhookOutcome } from '../metrics.js';
import { SpoolFullError } from '../spool/index.js';

export interface WebhookDeps {
  delivery: SignalDelivery;
  catalog: InstrumentCatalog;
  backpressure: Backpressure;
  metrics: GatewayMetrics;
  tradingViewTokens: readonly string[];
  tradingViewAllowlist: AddressSet | undefined;
  trustedProxies: AddressSet;
  hmacSecrets: readonly string[];
  timestampToleranceSeconds: number;
  now?: () => Date;
}

const SOURCE = /^[a-z][a-z0-9_-]{0,31}$/;
const UNAUTHORIZED = 'invalid or missing webhook credentials';

function senderOf(c: Context<AppEnv>, trustedProxies: AddressSet): string {
  let remote = '127.0.0.1';
  try {
    remote = getConnInfo(c).remote.address ?? remote;
  } catch {
    // app.request() in tests has no socket
  }
  return clientAddress(remote, c.req.header('x-forwarded-for'), trustedProxies);
}

function isJson(contentType: string): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType);
}

export function webhookRoutes(deps: WebhookDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const now = deps.now ?? (() => new Date());

  const reject = (source: string, outcome: WebhookOutcome, error: Error): never => {
    deps.metrics.webhooks.inc({ source, outcome });
    throw error;
  };

  /** `path`: what the raw signal records as the route posted to, never a secret in it. */
  async function ingest(c: Context<AppEnv>, source: string, path: string, body: Buffer, sender: string): Promise<Response> {
    const started = performance.now();
    const receivedAt = now();
    if (body.length === 0) reject(source, 'invalid', httpError(400, 'the request body is empty'));
    const idempotencyHeader = c.req.header('x-idempotency-key');
    if (idempotencyHeader !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyHeader)) {
      reject(source, 'invalid', httpError(400, 'X-Idempotency-Key must be 1-128 visible ASCII characters'));
    }
    const contentType = c.req.header('content-type') ?? '';
    if (isJson(contentType)) {
      try {
        JSON.parse(body.toString('utf8'));
      } catch (err) {
        reject(source, 'invalid', httpError(400, `malformed JSON body: ${(err as Error).message}`));
      }
    }
    const pressure = deps.backpressure.check();
    if (!pressure.ok)
      reject(source, 'throttled', httpError(pressure.status, pressure.reason, { 'Retry-After': String(pressure.retryAfterSeconds) }));

    const webhook: AcceptedWebhook = {
      source,
      path,
      body,
      contentType,
      headers: c.req.header(),
      clientAddress: sender,
      idempotencyHeader,
      receivedAt,
    };
    const raw = buildRawSignal(webhook);
    const normalized = normalizeTradingView(
      {
        rawSignalId: raw.rawSignalId,
        idempotencyKey: raw.idempotencyKey,
        source,
        receivedAt: raw.receivedAt,
        body: raw.body,
        bodyEncoding: raw.bodyEncoding,
        contentType,
      },
      deps.catalog,
    );
    if (!normalized.ok) {
      deps.metrics.normalizationFailures.inc({ source });
      c.get('log').warn({ rawSignalId: raw.rawSignalId, reason: normalized.reason }, 'signal not normalized; raw signal kept');
    }
    let outcome: Awaited<ReturnType<SignalDelivery['deliver']>>;
    try {
      outcome = await deps.delivery.deliver({ raw, ...(normalized.ok ? { normalized: normalized.signal } : {}) });
    } catch (err) {
      if (err instanceof SpoolFullError) {
        return reject(
          source,
          'unavailable',
          httpError(503, 'NATS is unavailable and the spool is full; retry later', { 'Retry-After': String(err.retryAfterSeconds) }),
        );
      }
      throw err;
    }
    const label: WebhookOutcome = outcome.duplicate ? 'duplicate' : outcome.status;
    deps.metrics.webhooks.inc({ source, outcome: label });
    deps.metrics.ingestDuration.observe({ source, outcome: label }, (performance.now() - started) / 1000);
    return c.json(
      {
        eventId: raw.rawSignalId,
        status: outcome.status,
        duplicate: outcome.duplicate,
        ...(normalized.ok ? { signalId: normalized.signal.signalId, normalized: true } : { normalized: false, reason: normalized.reason }),
        ...(outcome.status === 'queued'
          ? { message: 'NATS is unavailable: the signal is queued on disk and will be published in order' }
          : {}),
      },
      202,
    );
  }

  routes.post('/webhooks/tradingview/:token', async (c) => {
    const sender = senderOf(c, deps.trustedProxies);
    if (!tokenMatches(c.req.param('token'), deps.tradingViewTokens)) reject('tradingview', 'unauthorized', httpError(401, UNAUTHORIZED));
    if (deps.tradingViewAllowlist && !deps.tradingViewAllowlist.has(sender)) {
      reject('tradingview', 'forbidden', httpError(403, 'this sender address is not allowed'));
    }
    // The token is a credential: the raw signal (and whoever reads the stream) gets the route only.
    return ingest(c, 'tradingview', '/webhooks/tradingview', await readBody(c), sender);
  });

  routes.post('/webhooks/:source', async (c) => {
    const source = c.req.param('source');
    if (!SOURCE.test(source) || source === 'tradingview') throw httpError(404, `no route for POST ${c.req.path}`);
    const sender = senderOf(c, deps.trustedProxies);
    const body = await readBody(c);
    const github = c.req.header('x-hub-signature-256');
    const verdict =
      github !== undefined
        ? verifyGithubSignature({ header: github, rawBody: body, secrets: deps.hmacSecrets })
        : verifyTimestampedSignature({
            header: c.req.header('x-signature'),
            rawBody: body,
            secrets: deps.hmacSecrets,
            nowSeconds: Math.floor(now().getTime() / 1000),
            toleranceSeconds: deps.timestampToleranceSeconds,
          });
    if (!verdict.ok) {
      c.get('log').info({ source, reason: verdict.reason }, 'webhook signature rejected');
      reject(source, 'unauthorized', httpError(401, UNAUTHORIZED));
    }
    return ingest(c, source, c.req.path, body, sender);
  });
  return routes;
}
