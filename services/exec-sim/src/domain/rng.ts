// Seeded randomness. Each order draws from its own streams (one per fill, one per status change),
// seeded from hash(engine seed, clientOrderId, stream, index): the draws of one order never depend
// on how many other orders ran before it, so replaying the same inputs reproduces every price and
// time, and adding an unrelated order to a scenario does not shift the others' slippage.

/** A 32-bit string hash (cyrb53's mixing, first half), good enough to seed a PRNG; not cryptographic. */
export function hashString(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** mulberry32: a tiny, fast 32-bit PRNG; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max]. */
  uniform(min: number, max: number): number;
  /** A uniformly drawn integer in [min, max] (both included). */
  integer(min: number, max: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor((max - min + 1) * next()),
  };
}

/** The stream named by `parts` under the engine seed (`streamRng(seed, clientOrderId, 'fill', 2)`). */
export function streamRng(seed: number, ...parts: readonly (string | number)[]): Rng {
  return createRng(hashString([seed, ...parts].join('\u001f')));
}
