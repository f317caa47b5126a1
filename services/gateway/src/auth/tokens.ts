// TradingView cannot sign requests or add headers, so its webhooks carry a secret token in the
// path. Compared in constant time against every configured token (rotation), never early-exiting.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

// The accepted tokens are configuration: hash them once per list, not on every request. The list
// is checked against the one hashed (configured strings only, nothing the sender controls).
const acceptedDigests = new WeakMap<readonly string[], { tokens: readonly string[]; digests: readonly Buffer[] }>();

function digestsOf(accepted: readonly string[]): readonly Buffer[] {
  const cached = acceptedDigests.get(accepted);
  if (cached && cached.tokens.length === accepted.length && cached.tokens.every((token, i) => token === accepted[i])) return cached.digests;
  const digests = accepted.map(digest);
  acceptedDigests.set(accepted, { tokens: [...accepted], digests });
  return digests;
}

/** True when `token` equals one of `accepted`; the time taken does not depend on which or where they differ. */
export function tokenMatches(token: string, accepted: readonly string[]): boolean {
  // Hashing first gives equal-length buffers, so timingSafeEqual never leaks the length either.
  const presented = digest(token);
  let matched = false;
  for (const candidate of digestsOf(accepted)) {
    matched = timingSafeEqual(presented, candidate) || matched;
  }
  return matched;
}
