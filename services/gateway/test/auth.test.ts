// Webhook authentication: TradingView path tokens, timestamped HMAC signatures, GitHub
// signatures, and the sender's address behind trusted proxies.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AddressSet, clientAddress } from '../src/auth/client-address.js';
import { signTimestamped, verifyGithubSignature, verifyTimestampedSignature } from '../src/auth/signatures.js';
import { tokenMatches } from '../src/auth/tokens.js';

describe('tokenMatches', () => {
  it('accepts any of the rotated tokens and nothing else', () => {
    const tokens = ['old-token-0123456789', 'new-token-9876543210'];
    expect(tokenMatches('old-token-0123456789', tokens)).toBe(true);
    expect(tokenMatches('new-token-9876543210', tokens)).toBe(true);
    expect(tokenMatches('new-token-987654321', tokens)).toBe(false);
    expect(tokenMatches('', tokens)).toBe(false);
    expect(tokenMatches('anything', [])).toBe(false);
  });
});

describe('verifyTimestampedSignature', () => {
  const body = Buffer.from('{"ticker":"ES1!","action":"buy"}');
  const now = 1_795_000_000;
  const secrets = ['current-secret', 'previous-secret'];
  const verify = (header: string | undefined, rawBody = body, nowSeconds = now) =>
    verifyTimestampedSignature({ header, rawBody, secrets, nowSeconds, toleranceSeconds: 300 });

  it.each([
    ['a valid signature', signTimestamped('current-secret', now, body), true],
    ['the rotated (previous) secret', signTimestamped('previous-secret', now, body), true],
    [
      'several v1 values, one valid',
      `${signTimestamped('wrong', now, body)},v1=${signTimestamped('current-secret', now, body).split('v1=')[1]}`,
      true,
    ],
    ['a wrong secret', signTimestamped('wrong-secret', now, body), false],
    ['a stale timestamp (301 s old)', signTimestamped('current-secret', now - 301, body), false],
    ['a future timestamp (301 s ahead)', signTimestamped('current-secret', now + 301, body), false],
    ['a timestamp at the edge (300 s old)', signTimestamped('current-secret', now - 300, body), true],
    ['a missing header', undefined, false],
    ['a malformed header', 'v1=abc', false],
    ['a non-numeric timestamp', 't=soon,v1=00', false],
    ['a short signature', `t=${now},v1=abcd`, false],
    ['garbage', 'x', false],
  ])('%s -> %s', (_name, header, ok) => {
    expect(verify(header).ok).toBe(ok);
  });

  it('rejects a tampered body', () => {
    expect(verify(signTimestamped('current-secret', now, body), Buffer.from('{"ticker":"ES1!","action":"sell"}')).ok).toBe(false);
  });

  it('rejects a signature moved to another timestamp', () => {
    const signature = signTimestamped('current-secret', now, body).split('v1=')[1];
    expect(verify(`t=${now + 1},v1=${signature}`).ok).toBe(false);
  });
});

describe('verifyGithubSignature', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it.each([
    ['valid', sign('gh-secret'), true],
    ['rotated secret', sign('gh-old'), true],
    ['wrong secret', sign('nope'), false],
    ['missing', undefined, false],
    ['sha1 prefix', sign('gh-secret').replace('sha256=', 'sha1='), false],
  ])('%s', (_name, header, ok) => {
    expect(verifyGithubSignature({ header, rawBody: body, secrets: ['gh-secret', 'gh-old'] }).ok).toBe(ok);
  });
});

describe('clientAddress', () => {
  const proxies = new AddressSet(['10.0.0.0/8', '127.0.0.1']);

  it('uses the socket address when it is not a trusted proxy, ignoring X-Forwarded-For', () => {
    expect(clientAddress('203.0.113.9', '52.89.214.238', proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    expect(clientAddress('10.1.2.3', '6.6.6.6, 52.89.214.238, 10.0.0.7', proxies)).toBe('52.89.214.238');
  });

  it('normalizes IPv4-mapped IPv6 addresses', () => {
    expect(clientAddress('::ffff:52.89.214.238', undefined, proxies)).toBe('52.89.214.238');
    expect(new AddressSet(['52.89.214.238']).has('::ffff:52.89.214.238')).toBe(true);
  });

  it('refuses an allowlist entry that is not an address', () => {
    expect(() => new AddressSet(['tradingview.com'])).toThrow(/not an IP address or CIDR range: tradingview.com/);
  });
});
