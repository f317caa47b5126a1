// W3C Trace Context: start a trace, or continue the caller's with a new span, so every hop is linked.
import { randomBytes } from 'node:crypto';

export interface Traceparent {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SAMPLED = '01';

/** Parses a traceparent header; undefined when malformed or when an id is all zeros (invalid per spec). */
export function parseTraceparent(value: string | undefined): Traceparent | undefined {
  const match = value ? TRACEPARENT.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = ''] = match;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { version, traceId, parentId, flags };
}

export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-${SAMPLED}`;
}

/** Same trace id and sampling flags as the parent, new span id; a new trace when the parent is absent or invalid. */
export function childTraceparent(parent: string | undefined): string {
  const parsed = parseTraceparent(parent);
  if (!parsed) return newTraceparent();
  return `00-${parsed.traceId}-${randomHex(8)}-${parsed.flags}`;
}

// Span ids are drawn from a pooled buffer: one randomBytes call per 512 ids instead of per id
// (a synchronous call per event was a measurable share of the gateway's request path).
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  // An all-zero id is invalid; with 64+ random bits this loop practically never repeats.
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      pool = randomBytes(POOL_BYTES);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
}
