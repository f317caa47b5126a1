// The logging surface the runtime needs; pino's Logger fits it (object first, then message).

export interface EventLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const ignore = (): void => {};

/** Default when the caller passes no logger: the runtime must not write to stdout on its own. */
export const silentLogger: EventLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
