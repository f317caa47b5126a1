// The gateway's durable webhook spool: accept while NATS is down, publish in order when it returns.
export { SpoolClosedError, SpoolCorruptError, SpoolFullError, SpoolWriteError } from './errors.js';
export type { SpoolEntry } from './log-format.js';
export { openSpool } from './spool.js';
export type { FlushResult, PublishEntry, Spool, SpoolOptions } from './spool-api.js';
export type { SpoolLogger } from './spool-logger.js';
