// Who sent the request: the socket's address, or, when that is one of our trusted proxies, the
// right-most X-Forwarded-For entry that is not a trusted proxy (left entries can be forged).
import { BlockList, isIP } from 'node:net';

/** `::ffff:52.89.214.238` and `52.89.214.238` are the same sender. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/** A set of addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`). */
export class AddressSet {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) throw new Error(`not an IP address or CIDR range: ${entry}`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
    this.size = entries.length;
  }

  has(address: string): boolean {
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    return family !== 0 && this.list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export function clientAddress(remoteAddress: string, forwardedFor: string | undefined, trustedProxies: AddressSet): string {
  const remote = normalizeAddress(remoteAddress);
  if (!forwardedFor || !trustedProxies.has(remote)) return remote;
  const hops = forwardedFor
    .split(',')
    .map(normalizeAddress)
    .filter((hop) => hop.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trustedProxies.has(hop)) return hop;
  }
  return hops[0] ?? remote;
}
