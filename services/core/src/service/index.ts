// Public API of the service kit.
export { type AppEnv, createServiceApp, DEFAULT_BODY_LIMIT, httpError, type ServiceAppOptions } from './app.js';
export { requireBearer } from './bearer.js';
export { limitBody, readBody } from './body.js';
export {
  type BaseConfig,
  baseConfigSchema,
  ConfigError,
  commaList,
  loadConfig,
  type ServiceConfig,
  type ServiceDefaults,
} from './config.js';
export { createEventMetrics } from './event-metrics.js';
export { exitOnStartupError, type HttpListener, listen, onShutdownSignal } from './lifecycle.js';
export { createLogger, type Logger } from './logger.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
export { registerNatsMetrics } from './nats-metrics.js';
export { type CheckOptions, type CheckResult, natsChecks, Readiness, type ReadinessCheck, type ReadinessStatus } from './readiness.js';
