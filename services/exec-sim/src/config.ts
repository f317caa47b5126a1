// exec-sim's configuration: the shared variables plus its own, validated at start-up.
import { z } from 'zod';
import { loadConfig } from '../../core/src/index.js';

export const EXEC_SIM_DEFAULTS = { serviceName: 'exec-sim', port: 8004 };

export const execSimVariables = {
  /** Bearer key for the write endpoints (POST /orders, cancel, halt, resume, reconcile). */
  EXEC_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Engine configuration (risk limits, fill model, seed) as a JSON or YAML file; defaults apply when absent. */
  EXEC_SIM_CONFIG: z.string().min(1).optional(),
  /** Overrides the fill model's seed from the config file. */
  EXEC_SIM_SEED: z.coerce.number().int('must be an integer').optional(),
  /** Period of the automatic reconciliation snapshot. */
  EXEC_RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  /** The journal stream every input is recorded in before it is applied (replayed at start-up). */
  EXEC_JOURNAL_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a JetStream stream name')
    .default('exec-sim-journal'),
  /** When DAY orders expire, daily, in UTC (HH:MM). */
  EXEC_SESSION_END_UTC: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)')
    .default('21:00'),
  INSTRUMENTS_FILE: z.string().min(1).optional(),
};

export type ExecSimConfig = ReturnType<typeof loadExecSimConfig>;

export function loadExecSimConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(EXEC_SIM_DEFAULTS, execSimVariables, env);
}
