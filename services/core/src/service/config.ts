// One typed configuration object per service, built from the environment at start-up.
// A missing or malformed variable stops the process with a message naming it.
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The original design's variables, plus PORT; every service shares them. */
export const baseConfigSchema = z.object({
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|ws|wss):\/\/[^\s,]+(,(nats|tls|ws|wss):\/\/[^\s,]+)*$/, 'must be one or more nats://host:port URLs, comma-separated')
    .default('nats://127.0.0.1:4222'),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a JetStream stream name (letters, digits, _ and -)')
    .default('trading-events'),
  NATS_DURABLE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a durable consumer name (letters, digits, _ and -)')
    .optional(),
  API_KEY_HMAC_SECRET: z.string().min(1).optional(),
  // The design's sample is `INFO`: accept any case.
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  SERVICE_NAME: z.string().min(1).optional(),
  ENV: z.string().min(1).default('development'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(0, 'must be between 0 (any free port) and 65535')
    .max(65535, 'must be between 0 (any free port) and 65535')
    .optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Time to receive a whole HTTP request (headers and body) before answering 408. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int('must be an integer').positive('must be positive').default(10_000),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

export interface ServiceDefaults {
  serviceName: string;
  port: number;
}

export type ServiceConfig<Extra extends z.ZodRawShape> = Omit<BaseConfig, 'PORT' | 'SERVICE_NAME' | keyof Extra> & {
  PORT: number;
  SERVICE_NAME: string;
} & z.infer<z.ZodObject<Extra>>;

/** Parses the environment with the base schema plus the service's own variables. */
export function loadConfig<Extra extends z.ZodRawShape>(
  defaults: ServiceDefaults,
  extra: Extra,
  env: Record<string, string | undefined> = process.env,
): ServiceConfig<Extra> {
  const schema = baseConfigSchema.extend(extra);
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(env)', message: issue.message })));
  }
  const config = parsed.data as Record<string, unknown>;
  return {
    ...config,
    PORT: (config.PORT as number | undefined) ?? defaults.port,
    SERVICE_NAME: (config.SERVICE_NAME as string | undefined) ?? defaults.serviceName,
  } as ServiceConfig<Extra>;
}

/** Comma-separated lists (token and secret rotation, allowlists): trimmed, empty items dropped. */
export const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);
