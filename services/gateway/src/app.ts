// The gateway's Hono app: the service kit plus the webhook routes (no listen(): tests call
// app.request() or listen on port 0).
import type { Hono } from 'hono';
import { type AppEnv, createServiceApp, type Logger, type Readiness, type ServiceMetrics } from '../../core/src/index.js';
import { type WebhookDeps, webhookRoutes } from './handlers/webhooks.js';

export interface GatewayAppDeps extends WebhookDeps {
  logger: Logger;
  serviceMetrics: ServiceMetrics;
  readiness: Readiness;
  bodyLimitBytes: number;
}

export function buildGatewayApp(deps: GatewayAppDeps): Hono<AppEnv> {
  const app = createServiceApp({
    logger: deps.logger,
    metrics: deps.serviceMetrics,
    readiness: deps.readiness,
    bodyLimitBytes: deps.bodyLimitBytes,
  });
  app.route('/', webhookRoutes(deps));
  return app;
}
