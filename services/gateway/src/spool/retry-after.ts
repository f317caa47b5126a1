// The Retry-After suggested to a sender whose webhook found the spool full.

const DEFAULT_SECONDS = 30;
const MIN_SECONDS = 1;
const MAX_SECONDS = 300;

/**
 * Room comes back when the pending entries are published and the log is compacted, so the estimate
 * is the time the last flush's rate needs for the current depth. Without a measured rate (NATS has
 * been down all along) a flat default: a sender retrying every second would only add load.
 */
export function suggestRetryAfterSeconds(depth: number, flushRatePerSecond: number): number {
  if (flushRatePerSecond <= 0 || depth <= 0) return DEFAULT_SECONDS;
  return Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, Math.ceil(depth / flushRatePerSecond)));
}
