// The gateway's configuration: the shared variables plus its own, validated at start-up.
import { z } from 'zod';
import { commaList, loadConfig } from '../../core/src/index.js';

export const GATEWAY_DEFAULTS = { serviceName: 'gateway', port: 8001 };

const positiveInt = (fallback: number) => z.coerce.number().int('must be an integer').positive('must be positive').default(fallback);

export const gatewayVariables = {
  /** Accepted path tokens for TradingView webhooks, comma-separated (rotation). */
  TRADINGVIEW_WEBHOOK_TOKEN: commaList.optional(),
  /** Only these senders may post TradingView alerts (addresses or CIDR ranges), when set. */
  TRADINGVIEW_IP_ALLOWLIST: commaList.optional(),
  /** Proxies whose X-Forwarded-For is believed. */
  TRUSTED_PROXIES: commaList.optional(),
  /** Secrets for signed webhooks, comma-separated (rotation); overrides the base variable's single value. */
  API_KEY_HMAC_SECRET: commaList.optional(),
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: positiveInt(300),
  GATEWAY_BODY_LIMIT_BYTES: positiveInt(64 * 1024),
  GATEWAY_SPOOL_DIR: z.string().min(1).default('.tmp/gateway-spool'),
  GATEWAY_SPOOL_MAX_BYTES: positiveInt(64 * 1024 * 1024),
  /** Spooled webhooks past which new ones get 503 + Retry-After. */
  GATEWAY_MAX_SPOOL_DEPTH: positiveInt(50_000),
  /** Signals waiting in a consumer past which new webhooks get 429 + Retry-After. */
  GATEWAY_MAX_CONSUMER_PENDING: positiveInt(100_000),
  /** How long to wait for JetStream's ack before spooling instead (TradingView gives up after 3 s). */
  GATEWAY_PUBLISH_TIMEOUT_MS: positiveInt(1_500),
  INSTRUMENTS_FILE: z.string().min(1).optional(),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(GATEWAY_DEFAULTS, gatewayVariables, env);
}
