// Signed webhooks from other sources: `X-Signature: t=<unix seconds>,v1=<hex>` (HMAC-SHA256 over
// `<t>.<raw body>`, Stripe-style, with a timestamp tolerance against replays) or GitHub's
// `X-Hub-Signature-256: sha256=<hex>` over the raw body. Every secret is tried (rotation) and
// every comparison is constant-time. Callers answer 401 without saying which part failed; the
// reason returned here is for the logs only.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

const HEX = /^[0-9a-f]+$/i;

function hmac(secret: string, data: Buffer): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

function anyMatches(expected: Buffer[], presented: string[]): boolean {
  let matched = false;
  for (const hex of presented) {
    if (hex.length !== 64 || !HEX.test(hex)) continue;
    const candidate = Buffer.from(hex, 'hex');
    for (const mac of expected) matched = timingSafeEqual(mac, candidate) || matched;
  }
  return matched;
}

export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) return undefined;
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

export function verifyTimestampedSignature(options: {
  header: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
  nowSeconds: number;
  toleranceSeconds: number;
}): SignatureVerdict {
  if (!options.header) return { ok: false, reason: 'missing X-Signature' };
  const parsed = parseSignatureHeader(options.header);
  if (!parsed) return { ok: false, reason: 'malformed X-Signature' };
  if (Math.abs(options.nowSeconds - parsed.timestamp) > options.toleranceSeconds) {
    return { ok: false, reason: `timestamp ${parsed.timestamp} outside the ${options.toleranceSeconds} s tolerance` };
  }
  const signed = Buffer.concat([Buffer.from(`${parsed.timestamp}.`, 'utf8'), options.rawBody]);
  const expected = options.secrets.map((secret) => hmac(secret, signed));
  return anyMatches(expected, parsed.signatures) ? { ok: true } : { ok: false, reason: 'no signature matches' };
}

export function verifyGithubSignature(options: {
  header: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
}): SignatureVerdict {
  if (!options.header) return { ok: false, reason: 'missing X-Hub-Signature-256' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(options.header.trim());
  if (!match?.[1]) return { ok: false, reason: 'malformed X-Hub-Signature-256' };
  const expected = options.secrets.map((secret) => hmac(secret, options.rawBody));
  return anyMatches(expected, [match[1]]) ? { ok: true } : { ok: false, reason: 'no signature matches' };
}

/** For tests and for documenting senders: the header a sender computes. */
export function signTimestamped(secret: string, timestamp: number, rawBody: Buffer | string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return `t=${timestamp},v1=${hmac(secret, Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body])).toString('hex')}`;
}
