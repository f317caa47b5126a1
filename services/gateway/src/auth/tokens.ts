// TradingView cannot sign requests or add headers, so its webhooks carry a secret token in the
// path. Compared in constant time against every configured token (rotation), never early-exiting.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** True when `token` equals one of `accepted`; the time taken does not depend on which or where they differ. */
export function tokenMatches(token: string, accepted: readonly string[]): boolean {
  // Hashing first gives equal-length buffers, so timingSafeEqual never leaks the length either.
  const presented = digest(token);
  let matched = false;
  for (const candidate of accepted) {
    matched = timingSafeEqual(presented, digest(candidate)) || matched;
  }
  return matched;
}
