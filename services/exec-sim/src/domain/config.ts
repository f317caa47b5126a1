// The engine's configuration: the seed of its randomness, the risk limits and the fill model.
// The service loads it from a JSON/YAML file plus the environment and passes the merged object
// to parseEngineConfig, which lays it over DEFAULT_ENGINE_CONFIG (so a file names only what it
// changes) and checks it. Limits are looked up most specific first: the instrument's symbol
// (`ESZ6`), then its futures root (`ES`), then the asset-class default; an absent limit is no limit.
import { z } from 'zod';
import { EngineConfigError } from './errors.js';

const positive = z.number().positive();
const currencyCode = z.string().regex(/^[A-Z0-9]{3,10}$/, 'must be an upper-case currency code (USD, USDT)');
const symbolKey = z.string().regex(/^[A-Z0-9][A-Z0-9.!]{0,63}$/, 'must be an upper-case symbol (ESZ6, EURUSD) or futures root (ES)');
const byAssetClass = <T extends z.ZodType>(schema: T) => z.strictObject({ futures: schema, fx: schema, crypto: schema });

export const instrumentLimitsSchema = z.strictObject({
  /** Largest absolute position of one strategy, counting its same-side working orders (contracts; base units for fx and crypto). */
  maxPosition: positive.optional(),
  /** Largest |quantity × price × multiplier| of one order, in the instrument's quote currency. */
  maxOrderNotional: positive.optional(),
  /** Limit and stop prices must lie within ± this percentage of the last price. */
  priceBandPct: positive.optional(),
});

export const strategyLimitsSchema = z.strictObject({
  /**
   * Largest gross notional per quote currency (open positions at the last price plus working
   * orders plus the new order). Per currency because the engine has no exchange rates; a
   * currency not listed is not limited.
   */
  maxGrossNotional: z.record(currencyCode, positive).optional(),
  /** New orders per sliding second of input time. */
  maxOrdersPerSecond: z.number().int().positive().optional(),
  /** Working orders at once. */
  maxOpenOrders: z.number().int().positive().optional(),
});

export const riskLimitsSchema = z.strictObject({
  defaults: byAssetClass(instrumentLimitsSchema),
  /** Overrides by symbol or futures root, merged field by field over the asset-class default. */
  instruments: z.record(symbolKey, instrumentLimitsSchema),
  strategyDefaults: strategyLimitsSchema,
  /** Overrides by strategy id, merged field by field over strategyDefaults. */
  strategies: z.record(z.string().min(1).max(128), strategyLimitsSchema),
});

/** Adverse slippage of taker fills, drawn uniformly in [0, max]: basis points of the price, or whole ticks. */
export const slippageSchema = z.strictObject({ unit: z.enum(['bps', 'ticks']), max: z.number().min(0) });

export const fillModelConfigSchema = z.strictObject({
  slippage: byAssetClass(slippageSchema),
  slippageByInstrument: z.record(symbolKey, slippageSchema),
  /** eventTime = input time + a latency drawn uniformly in [min, max] milliseconds. */
  latencyMs: z
    .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
    .refine((latency) => latency.min <= latency.max, { message: 'min must not exceed max' }),
  /** Quantity one input (a price or an intent) can fill per instrument, all orders together; null: unlimited. */
  liquidityPerEvent: byAssetClass(positive.nullable()),
  liquidityByInstrument: z.record(symbolKey, positive.nullable()),
});

export const engineConfigSchema = z.strictObject({
  seed: z.number().int(),
  risk: riskLimitsSchema,
  fillModel: fillModelConfigSchema,
});

export type InstrumentLimits = z.infer<typeof instrumentLimitsSchema>;
export type StrategyLimits = z.infer<typeof strategyLimitsSchema>;
export type RiskLimits = z.infer<typeof riskLimitsSchema>;
export type SlippageConfig = z.infer<typeof slippageSchema>;
export type FillModelConfig = z.infer<typeof fillModelConfigSchema>;
export type EngineConfig = z.infer<typeof engineConfigSchema>;

/**
 * Typical retail figures. Quantities differ by asset class (contracts, base units), so do the
 * defaults; JPY-quoted pairs get JPY-sized notionals. Crypto has no default position or
 * liquidity cap: one unit of BTC and one of SOL are too far apart for a shared number.
 */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  seed: 1,
  risk: {
    defaults: {
      futures: { maxPosition: 50, maxOrderNotional: 10_000_000, priceBandPct: 5 },
      fx: { maxPosition: 10_000_000, maxOrderNotional: 5_000_000, priceBandPct: 2 },
      crypto: { maxOrderNotional: 1_000_000, priceBandPct: 10 },
    },
    instruments: {
      USDJPY: { maxOrderNotional: 750_000_000 },
      EURJPY: { maxOrderNotional: 750_000_000 },
      GBPJPY: { maxOrderNotional: 750_000_000 },
    },
    strategyDefaults: {
      maxGrossNotional: { USD: 50_000_000, USDT: 5_000_000, USDC: 5_000_000, EUR: 50_000_000, GBP: 50_000_000, JPY: 7_500_000_000 },
      maxOrdersPerSecond: 10,
      maxOpenOrders: 100,
    },
    strategies: {},
  },
  fillModel: {
    slippage: { futures: { unit: 'ticks', max: 1 }, fx: { unit: 'bps', max: 0.5 }, crypto: { unit: 'bps', max: 2 } },
    slippageByInstrument: {},
    latencyMs: { min: 5, max: 50 },
    liquidityPerEvent: { futures: 100, fx: 10_000_000, crypto: null },
    liquidityByInstrument: {},
  },
};

/** Lays `overrides` (parsed JSON/YAML, env-derived values) over `base` and checks the result; throws EngineConfigError. */
export function parseEngineConfig(overrides: unknown = {}, base: EngineConfig = DEFAULT_ENGINE_CONFIG): EngineConfig {
  const result = engineConfigSchema.safeParse(deepMerge(base, overrides));
  if (result.success) return result.data;
  throw new EngineConfigError(result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
}

/** Plain objects merge key by key; anything else (arrays, numbers, null) replaces. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
