// How much to fuzz and from which seed. FUZZ_RUNS is the gateway's request count (the other
// services get a tenth of it each, at least 1,000 by default); FUZZ_SEED replays a run. The seed
// is printed, so a failure in CI is reproduced with `FUZZ_SEED=<seed> make fuzz`.

const DEFAULT_SEED = 20_261_125;
const DEFAULT_RUNS = 10_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const FUZZ_SEED = positiveInt('FUZZ_SEED', DEFAULT_SEED);
/** Requests against the gateway in total. */
export const GATEWAY_RUNS = positiveInt('FUZZ_RUNS', DEFAULT_RUNS);
/** Requests (or MCP calls) against each of the other APIs. */
export const SERVICE_RUNS = Math.max(1, Math.ceil(GATEWAY_RUNS / 10));

/**
 * fast-check's options for a property checked in batches of `batchSize` examples. No shrinking:
 * a batch is dozens of requests, and the property's own message names the ones that failed.
 */
export function fuzzOptions(label: string, examples: number, batchSize: number) {
  const numRuns = Math.max(1, Math.ceil(examples / batchSize));
  console.info(`[fuzz] ${label}: ${numRuns * batchSize} examples in ${numRuns} batches, FUZZ_SEED=${FUZZ_SEED}`);
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true } as const;
}
