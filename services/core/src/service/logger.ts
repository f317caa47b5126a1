// Structured JSON logs (pino): object first, then message; level from LOG_LEVEL.
import { type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export function createLogger(options: {
  service: string;
  env: string;
  level: LevelWithSilent;
  destination?: NodeJS.WritableStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, env: options.env },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
