// Pre-trade risk: nothing fills before an order passes every check. The engine runs them in this
// order and the first failure is the rejection's reasonCode:
//   DUPLICATE_CLIENT_ORDER_ID, UNKNOWN_INSTRUMENT, INVALID_ORDER   (engine, validation.ts)
//   RISK_TRADING_HALTED   HALTED; or REDUCING and the order does not only reduce the position
//   RISK_RATE_LIMIT       the strategy's orders admitted in the sliding second of input time
//   RISK_REDUCE_ONLY      a reduce-only order that would open, increase or flip the position
//   NO_MARKET_PRICE       a market order with no last price to fill against
//   RISK_PRICE_BAND       a limit or stop price outside ± band % of the last price (unchecked
//                         while no last price, or a last price of 0, is known)
//   RISK_MAX_ORDER_NOTIONAL  |quantity × price × multiplier| (price: limit, else stop, else last)
//   RISK_MAX_POSITION     |position + side × (same-side working quantity + quantity)|
//   RISK_STRATEGY_LIMIT   working orders, or gross notional in the order's currency
// An order that only reduces the position (opposite side, quantity <= |position|) skips the
// position and strategy limits: risk never blocks an exit. The notional cap still applies (a
// fat-finger check).
import type { OrderIntent, OrderReasonCode } from '../../../../generated/types.js';
import type { InstrumentLimits, RiskLimits, StrategyLimits } from './config.js';
import type { InstrumentRules } from './instrument-rules.js';
import { reducibleQty } from './matching.js';
import { roundMoney } from './numeric.js';
import { TradingState } from './types.js';

export type RiskDecision = { ok: true } | { ok: false; code: OrderReasonCode; reason: string };

const PASS: RiskDecision = { ok: true };
const RATE_WINDOW_MS = 1000;

/** Field by field, most specific first: the symbol, the futures root, the asset-class default. */
export function instrumentLimitsFor(risk: RiskLimits, rules: InstrumentRules): InstrumentLimits {
  const byRoot = rules.root === undefined ? undefined : risk.instruments[rules.root];
  return { ...risk.defaults[rules.assetClass], ...byRoot, ...risk.instruments[rules.symbol] };
}

export function strategyLimitsFor(risk: RiskLimits, strategyId: string): StrategyLimits {
  return { ...risk.strategyDefaults, ...risk.strategies[strategyId] };
}

export function onlyReduces(position: number, intent: OrderIntent): boolean {
  return reducibleQty(position, intent.side) >= intent.quantity;
}

export function checkTradingState(state: TradingState, position: number, intent: OrderIntent): RiskDecision {
  if (state === TradingState.Halted) return deny('RISK_TRADING_HALTED', 'Trading is halted: no new orders are accepted.');
  if (state === TradingState.Reducing && !onlyReduces(position, intent)) {
    return deny(
      'RISK_TRADING_HALTED',
      `Trading is reducing-only: a ${intent.side} of ${intent.quantity} against a position of ${position} does not only reduce it.`,
    );
  }
  return PASS;
}

/** The admitted times still inside the window ending at `atMs`. */
export function pruneRateWindow(times: readonly number[], atMs: number): number[] {
  return times.filter((time) => atMs - time < RATE_WINDOW_MS);
}

export function checkRateLimit(windowTimes: readonly number[], limits: StrategyLimits, strategyId: string): RiskDecision {
  const max = limits.maxOrdersPerSecond;
  if (max === undefined || windowTimes.length < max) return PASS;
  return deny('RISK_RATE_LIMIT', `Strategy ${strategyId} already sent ${windowTimes.length} orders in the last second (limit ${max}).`);
}

export interface OrderRiskContext {
  intent: OrderIntent;
  rules: InstrumentRules;
  limits: InstrumentLimits;
  strategyLimits: StrategyLimits;
  /** The strategy's signed position on the instrument. */
  position: number;
  lastPrice?: number;
  /** Σ leaves of the strategy's working orders on the instrument, same side as the intent. */
  sameSideWorkingQty: number;
  /** The strategy's working orders, all instruments. */
  workingOrders: number;
  /** The strategy's gross notional in the instrument's currency before this order. */
  grossNotional: number;
}

export function checkOrderLimits(ctx: OrderRiskContext): RiskDecision {
  const { intent, rules, limits, position, lastPrice } = ctx;
  const reduces = onlyReduces(position, intent);
  if (intent.reduceOnly && !reduces) {
    return deny('RISK_REDUCE_ONLY', `Reduce-only ${intent.side} of ${intent.quantity} would open or increase a position of ${position}.`);
  }
  if (intent.orderType === 'market' && lastPrice === undefined) {
    return deny('NO_MARKET_PRICE', `No last price is known for ${rules.symbol} to fill a market order against.`);
  }
  const band = checkPriceBand(intent, limits, lastPrice);
  if (!band.ok) return band;
  const price = intent.limitPrice ?? intent.stopPrice ?? lastPrice ?? 0;
  const notional = roundMoney(Math.abs(intent.quantity * price * rules.multiplier));
  if (limits.maxOrderNotional !== undefined && notional > limits.maxOrderNotional) {
    return deny(
      'RISK_MAX_ORDER_NOTIONAL',
      `Order notional ${notional} ${rules.currency} exceeds the per-order limit of ${limits.maxOrderNotional} ${rules.currency} on ${rules.symbol}.`,
    );
  }
  if (reduces) return PASS;
  const sign = intent.side === 'buy' ? 1 : -1;
  const projected = position + sign * (ctx.sameSideWorkingQty + intent.quantity);
  if (limits.maxPosition !== undefined && Math.abs(projected) > limits.maxPosition) {
    return deny(
      'RISK_MAX_POSITION',
      `Position ${position} plus working ${ctx.sameSideWorkingQty} plus this ${intent.side} of ${intent.quantity} reaches ${Math.abs(projected)} on ${rules.symbol}, over the limit of ${limits.maxPosition}.`,
    );
  }
  return checkStrategyLimits(ctx, notional);
}

function checkPriceBand(intent: OrderIntent, limits: InstrumentLimits, lastPrice: number | undefined): RiskDecision {
  const band = limits.priceBandPct;
  if (band === undefined || lastPrice === undefined || lastPrice === 0) return PASS;
  for (const [name, price] of [
    ['limit', intent.limitPrice],
    ['stop', intent.stopPrice],
  ] as const) {
    if (price === undefined) continue;
    const distancePct = (Math.abs(price - lastPrice) / Math.abs(lastPrice)) * 100;
    if (distancePct > band) {
      return deny(
        'RISK_PRICE_BAND',
        `The ${name} price ${price} is ${distancePct.toFixed(2)}% from the last price ${lastPrice} (band ±${band}%).`,
      );
    }
  }
  return PASS;
}

function checkStrategyLimits(ctx: OrderRiskContext, notional: number): RiskDecision {
  const { intent, rules, strategyLimits } = ctx;
  const maxOpen = strategyLimits.maxOpenOrders;
  if (maxOpen !== undefined && ctx.workingOrders >= maxOpen) {
    return deny('RISK_STRATEGY_LIMIT', `Strategy ${intent.strategyId} already has ${ctx.workingOrders} working orders (limit ${maxOpen}).`);
  }
  const maxGross = strategyLimits.maxGrossNotional?.[rules.currency];
  const gross = roundMoney(ctx.grossNotional + notional);
  if (maxGross !== undefined && gross > maxGross) {
    return deny(
      'RISK_STRATEGY_LIMIT',
      `Strategy ${intent.strategyId} would reach a gross notional of ${gross} ${rules.currency} (limit ${maxGross} ${rules.currency}).`,
    );
  }
  return PASS;
}

function deny(code: OrderReasonCode, reason: string): RiskDecision {
  return { ok: false, code, reason };
}
