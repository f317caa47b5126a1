// tradingview-follow: turns TradingView strategy alerts into orders.
//   buy / sell   an entry (or add) of the alert's quantity, or of a size from the risk budget;
//   exit         closes the position the agent holds (reduce-only, opposite side); nothing when flat;
//   reverse      closes what it holds against the new direction (reduce-only) and opens the
//                new position: two intents, see position.ts. The new side is the signal's
//                `side`, else the opposite of the position. The new position's size is the one
//                the alert reports (`strategy.positionSize`); else the alert's quantity is the
//                order TradingView sent, which covers the close as well (from +2 to -2 it sells
//                4), so the new size is that quantity minus what is held (when it is more);
//                else the same size as held, as the contract defines reverse.
// Sizing `signal`: the alert's quantity, else `defaultQuantity`. Sizing `risk`:
// floor(riskPerTrade / (stopTicks × tickSize × multiplier)) in whole lots, from the catalog;
// no order when the instrument is unknown. `defaultQuantity` and `maxQuantity` are one number or
// one per asset class (contracts; FX and crypto base units); every size is rounded down to the
// instrument's lot, and a size under one lot places nothing (the reason goes to ctx.skipped).
// The position is what exec-sim filled plus what the agent's working orders still expect
// (position-book.ts), keyed by the instrument the orders name.
// Orders are market orders unless the alert hints limit/stop/stop_limit with the price(s) it needs.
import { z } from 'zod';
import type { SignalNormalized } from '../../../../generated/index.js';
import { floorToLot, instrumentSpec } from './instrument-spec.js';
import { movePosition, type OrderShape } from './position.js';
import { type FillReport, type OrderReport, PositionBook, type PositionBookState } from './position-book.js';
import { quantityByAssetClassSchema, quantityFor, toLots } from './sizing.js';
import {
  type Agent,
  type AgentContext,
  type AgentKind,
  type AgentState,
  instrumentKey,
  type OrderIntentDraft,
  orderIdOf,
} from './types.js';

const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'] as const;

export const tradingViewFollowConfigSchema = z
  .strictObject({
    /** Signal sources followed (lower case). */
    sources: z.array(z.string().min(1)).min(1, 'must name at least one source').default(['tradingview']),
    /** Symbols followed; empty follows every symbol. */
    symbols: z.array(z.string().min(1)).default([]),
    sizing: z.enum(['signal', 'risk'], { error: 'must be "signal" or "risk"' }).default('signal'),
    /** Size of an alert without a quantity: one number, or one per asset class. */
    defaultQuantity: quantityByAssetClassSchema.default(1),
    /** Caps every entry and new position: one number, or one per asset class (a class left out is not capped). */
    maxQuantity: quantityByAssetClassSchema.optional(),
    /** Money risked per trade, in the instrument's quote currency (sizing `risk`). */
    riskPerTrade: z.number().positive('must be positive').optional(),
    /** Stop distance in ticks (sizing `risk`). */
    stopTicks: z.number().int('must be a whole number of ticks').positive('must be positive').optional(),
    timeInForce: z.enum(TIME_IN_FORCE, { error: `must be one of ${TIME_IN_FORCE.join(', ')}` }).default('GTC'),
    /** Use the alert's limit/stop hint when it carries the price; else always market. */
    useOrderTypeHints: z.boolean().default(true),
  })
  .superRefine((config, ctx) => {
    if (config.sizing !== 'risk') return;
    if (config.riskPerTrade === undefined)
      ctx.addIssue({ code: 'custom', path: ['riskPerTrade'], message: 'is required when sizing is "risk"' });
    if (config.stopTicks === undefined) ctx.addIssue({ code: 'custom', path: ['stopTicks'], message: 'is required when sizing is "risk"' });
  });

export type TradingViewFollowConfig = z.infer<typeof tradingViewFollowConfigSchema>;

type Sized = { quantity: number; why: string } | { skip: string };
type Decision = { target: number; rationale: string } | { skip: string };

function orderShape(signal: SignalNormalized, config: TradingViewFollowConfig): OrderShape {
  const base = { timeInForce: config.timeInForce };
  if (!config.useOrderTypeHints) return { ...base, orderType: 'market' };
  const { orderTypeHint: hint, limitPrice, stopPrice } = signal;
  if ((hint === 'limit' || hint === undefined) && limitPrice !== undefined) return { ...base, orderType: 'limit', limitPrice };
  if (hint === 'stop' && stopPrice !== undefined) return { ...base, orderType: 'stop', stopPrice };
  if (hint === 'stop_limit' && stopPrice !== undefined && limitPrice !== undefined)
    return { ...base, orderType: 'stop_limit', stopPrice, limitPrice };
  return { ...base, orderType: 'market' };
}

export class TradingViewFollowAgent implements Agent {
  readonly kind = 'tradingview-follow';
  private readonly book: PositionBook;

  constructor(
    readonly config: TradingViewFollowConfig,
    state?: AgentState,
  ) {
    this.book = new PositionBook(state as Partial<PositionBookState> | undefined);
  }

  state(): AgentState {
    return { ...this.book.state() };
  }

  onFill(fill: FillReport): void {
    this.book.onFill(fill);
  }

  onOrderUpdate(update: OrderReport): void {
    this.book.onOrderUpdate(update);
  }

  /** The size of an entry or a new position for this signal, in whole lots, or why there is none. */
  size(signal: SignalNormalized, ctx: AgentContext, requested = signal.quantity): Sized {
    const instrument = ctx.instrument ?? signal.instrument;
    const spec = instrumentSpec(ctx.catalog, instrument);
    let quantity: number;
    let why: string;
    if (this.config.sizing === 'signal') {
      const fallback = quantityFor(this.config.defaultQuantity, instrument.assetClass);
      if (requested === undefined && fallback === undefined)
        return { skip: `the alert has no quantity and defaultQuantity has none for ${instrument.assetClass}` };
      quantity = requested ?? (fallback as number);
      why = requested === undefined ? 'default quantity' : 'alert quantity';
    } else {
      if (!spec) return { skip: `no tick size known for ${instrument.symbol}` };
      const { riskPerTrade = 0, stopTicks = 0 } = this.config;
      const riskPerLot = stopTicks * spec.tickSize * spec.multiplier * spec.lotSize;
      quantity = floorToLot((riskPerTrade / riskPerLot) * spec.lotSize, spec.lotSize);
      why = `risk ${riskPerTrade} / (${stopTicks} ticks × ${spec.tickSize} × ${spec.multiplier})`;
    }
    const max = quantityFor(this.config.maxQuantity, instrument.assetClass);
    if (max !== undefined && quantity > max) {
      quantity = max;
      why = `${why}, capped at ${max}`;
    }
    const lots = toLots(quantity, spec, instrument.symbol);
    return 'skip' in lots ? lots : { quantity: lots.quantity, why };
  }

  /** The size of the new position a reverse asks for, before sizing rules (see the header). */
  private reversedSize(signal: SignalNormalized, held: number): number | undefined {
    const reported = signal.strategy?.positionSize;
    if (reported !== undefined && reported > 0) return reported;
    const ordered = signal.quantity;
    if (ordered === undefined) return held === 0 ? undefined : held;
    return ordered > held ? Number((ordered - held).toPrecision(12)) : ordered;
  }

  /** Where the position should go on this signal; undefined: nowhere (not an error). */
  private decide(signal: SignalNormalized, ctx: AgentContext, key: string, current: number): Decision | undefined {
    switch (signal.action) {
      case 'exit':
        return current === 0 ? { skip: `exit: no position on ${key}` } : { target: 0, rationale: 'tradingview exit' };
      case 'buy':
      case 'sell': {
        const sized = this.size(signal, ctx);
        if ('skip' in sized) return { skip: `${signal.action}: ${sized.skip}` };
        const target = current + (signal.action === 'buy' ? sized.quantity : -sized.quantity);
        return { target, rationale: `tradingview ${signal.action} (${sized.why})` };
      }
      case 'reverse': {
        const side = signal.side ?? (current > 0 ? 'sell' : current < 0 ? 'buy' : undefined);
        if (side === undefined) return { skip: `reverse without a side while flat on ${key}` };
        const direction = side === 'buy' ? 1 : -1;
        if (Math.sign(current) === direction) return undefined; // already positioned that way
        const sized = this.size(signal, ctx, this.reversedSize(signal, Math.abs(current)));
        if ('skip' in sized) return { skip: `reverse: ${sized.skip}` };
        return { target: direction * sized.quantity, rationale: `tradingview reverse to ${side} (${sized.why})` };
      }
      default:
        return undefined;
    }
  }

  onSignal(signal: SignalNormalized, ctx: AgentContext): OrderIntentDraft[] {
    if (!this.config.sources.includes(signal.source.toLowerCase())) return [];
    if (this.config.symbols.length > 0 && !this.config.symbols.includes(signal.instrument.symbol)) return [];
    const key = instrumentKey(ctx.instrument ?? signal.instrument);
    const current = this.book.position(key);
    const decision = this.decide(signal, ctx, key, current);
    if (!decision) return [];
    if ('skip' in decision) {
      ctx.skipped?.(decision.skip);
      return [];
    }
    const drafts = movePosition(current, decision.target, orderShape(signal, this.config), decision.rationale);
    return this.book.track(key, drafts, (leg) => orderIdOf(ctx, signal, leg));
  }
}

export const tradingViewFollow: AgentKind<TradingViewFollowConfig> = {
  kind: 'tradingview-follow',
  description: 'Follows TradingView strategy alerts: entries, exits and reversals, sized from the alert or a risk budget.',
  configSchema: tradingViewFollowConfigSchema,
  create: (config, state) => new TradingViewFollowAgent(config, state),
};
