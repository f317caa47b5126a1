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

function randomHex(bytes: number): string {
  // An all-zero id is invalid; with 64+ random bits this loop practically never repeats.
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}
