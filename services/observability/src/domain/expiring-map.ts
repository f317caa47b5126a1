// A Map with a size bound and a time to live, so what the tap remembers per event stays bounded
// whatever the traffic. One TTL for every entry and re-insertion at the end keep the oldest entry
// first: eviction only ever looks at the front.

export interface ExpiringMapOptions {
  maxEntries: number;
  ttlMs: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
}

export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ExpiringMapOptions) {
    if (!(options.maxEntries > 0) || !(options.ttlMs > 0)) throw new RangeError('ExpiringMap needs a positive maxEntries and ttlMs');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    this.evict();
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size <= this.options.maxEntries) return;
      this.entries.delete(key);
    }
  }
}
