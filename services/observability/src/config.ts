// observability's configuration: the shared variables plus its alert thresholds and the bounds
// of its latency memory, validated at start-up.
import { z } from 'zod';
import { loadConfig } from '../../core/src/index.js';

// :8005 is free in the original design's table (gateway 8001, agent-mcp 8002, exec-sim 8004).
export const OBSERVABILITY_DEFAULTS = { serviceName: 'observability', port: 8005 };

const positiveInt = (fallback: number) => z.coerce.number().int('must be an integer').positive('must be positive').default(fallback);

export const observabilityVariables = {
  /** How often consumer lag and dead-letter depth are read from the JetStream API. */
  OBSERVABILITY_WATCH_INTERVAL_MS: positiveInt(15_000),
  /** Undelivered messages in a durable consumer past which ConsumerLagHigh fires on alerts.fired. */
  OBSERVABILITY_LAG_ALERT_THRESHOLD: positiveInt(1_000),
  /** A ContractViolation alert (per subject and version) fires once, and resolves after this long without a new violation. */
  OBSERVABILITY_VIOLATION_WINDOW_MS: positiveInt(300_000),
  /** DeadLettersGrowing (per original subject) resolves after this long without a new dead letter. */
  OBSERVABILITY_DEAD_LETTER_QUIET_MS: positiveInt(600_000),
  /** Signals remembered for the end-to-end latency join, at most (oldest dropped first). */
  OBSERVABILITY_LATENCY_MAX_ENTRIES: positiveInt(100_000),
  /** How long a signal (or an intent or fill waiting for its signal) is remembered. */
  OBSERVABILITY_LATENCY_TTL_MS: positiveInt(3_600_000),
};

export type ObservabilityConfig = ReturnType<typeof loadObservabilityConfig>;

export function loadObservabilityConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(OBSERVABILITY_DEFAULTS, observabilityVariables, env);
}
