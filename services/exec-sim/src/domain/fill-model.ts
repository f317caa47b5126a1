// How a fill is priced, charged and timed. Pure functions of the order's random stream, the
// instrument rules and the configuration.
//
//   taker price   last price, plus half the spread (fx), plus slippage drawn in [0, max] (bps of
//                 the price, or whole ticks), all adverse; rounded to the tick away from the
//                 taker (a buy up, a sell down) so rounding never improves a fill. A limit order
//                 never fills beyond its limit: it gets the better of its limit and this price.
//   maker price   the limit price exactly, no spread, no slippage.
//   commission    per FeeRule (instrument-rules.ts), rounded to 8 decimals.
//   latency       an integer number of ms in [min, max].
//   liquidity     per input and instrument, all orders together (null: unlimited).
import type { LiquiditySide, Money, Side } from '../../../../generated/types.js';
import type { FillModelConfig, SlippageConfig } from './config.js';
import type { InstrumentRules } from './instrument-rules.js';
import { roundMoney, roundToStep } from './numeric.js';
import type { Rng } from './rng.js';

/** Most specific first: the symbol, the futures root, the asset class. */
export function slippageFor(config: FillModelConfig, rules: InstrumentRules): SlippageConfig {
  const byInstrument = config.slippageByInstrument;
  return (
    byInstrument[rules.symbol] ?? (rules.root === undefined ? undefined : byInstrument[rules.root]) ?? config.slippage[rules.assetClass]
  );
}

/** Quantity one input can fill on the instrument; Infinity when unlimited. */
export function liquidityCapFor(config: FillModelConfig, rules: InstrumentRules): number {
  const byInstrument = config.liquidityByInstrument;
  const cap =
    byInstrument[rules.symbol] !== undefined
      ? byInstrument[rules.symbol]
      : rules.root !== undefined && byInstrument[rules.root] !== undefined
        ? byInstrument[rules.root]
        : config.liquidityPerEvent[rules.assetClass];
  return cap ?? Number.POSITIVE_INFINITY;
}

export function drawLatencyMs(config: FillModelConfig, rng: Rng): number {
  return rng.integer(config.latencyMs.min, config.latencyMs.max);
}

/** The price a taker gets against `lastPrice`, before any limit. */
export function takerPrice(side: Side, lastPrice: number, rules: InstrumentRules, slippage: SlippageConfig, rng: Rng): number {
  const halfSpread = rules.fee.kind === 'spread' ? rules.fee.halfSpread : 0;
  const slip =
    slippage.unit === 'ticks'
      ? rng.integer(0, Math.floor(slippage.max)) * rules.tickSize
      : (Math.abs(lastPrice) * rng.uniform(0, slippage.max)) / 10_000;
  const adverse = halfSpread + slip;
  return side === 'buy' ? roundToStep(lastPrice + adverse, rules.tickSize, 'up') : roundToStep(lastPrice - adverse, rules.tickSize, 'down');
}

/** The better of a limit and a taker price for the order's side. */
export function capAtLimit(side: Side, price: number, limitPrice: number | undefined): number {
  if (limitPrice === undefined) return price;
  return side === 'buy' ? Math.min(price, limitPrice) : Math.max(price, limitPrice);
}

export function commissionFor(rules: InstrumentRules, quantity: number, price: number, liquidity: LiquiditySide): Money {
  const { fee } = rules;
  switch (fee.kind) {
    case 'per-contract':
      return { amount: roundMoney(quantity * fee.perContract), currency: fee.currency };
    case 'bps': {
      const bps = liquidity === 'maker' ? fee.makerBps : fee.takerBps;
      return { amount: roundMoney((Math.abs(quantity * price * rules.multiplier) * bps) / 10_000), currency: rules.currency };
    }
    case 'spread':
      return { amount: 0, currency: rules.currency };
  }
}
