// Deterministic event ids: the same subject and natural key always give the same id, so a
// re-sent webhook or a redelivered message republishes under the id JetStream already knows.
import { createHash } from 'node:crypto';

const PLATFORM_NAMESPACE = 'trading-platform';

/** A UUID (version 5 layout, SHA-1 based) from a subject and a natural key. */
export function deterministicId(subject: string, naturalKey: string): string {
  const hash = createHash('sha1').update(`${PLATFORM_NAMESPACE}:${subject}:${naturalKey}`, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
