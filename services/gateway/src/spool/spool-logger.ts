// The logging surface the spool needs; a pino Logger fits it (object first, then message).

export interface SpoolLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const ignore = (): void => {};

/** Default when the caller passes no logger: a library must not write to stdout on its own. */
export const silentSpoolLogger: SpoolLogger = { info: ignore, warn: ignore, error: ignore };
