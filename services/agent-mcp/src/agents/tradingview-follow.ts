// tradingview-follow: turns TradingView strategy alerts into orders.
//   buy / sell   an entry (or add) of the alert's quantity, or of a size from the risk budget;
//   exit         closes the position the agent believes it has (reduce-only, opposite side);
//                nothing when it believes it is flat;
//   reverse      closes what it holds against the new direction (reduce-only) and opens the
//                new position: two intents, see position.ts. The new side is the signal's
//                `side`, else the opposite of the believed position.
// Sizing `signal`: the alert's quantity, else `defaultQuantity`. Sizing `risk`:
// floor(riskPerTrade / (stopTicks × tickSize × multiplier)) in whole lots, from the catalog;
// no order when the instrument is unknown or the budget buys less than one lot.
// Orders are market orders unless the alert hints limit/stop/stop_limit with the price(s) it needs.
import { z } from 'zod';
import type { SignalNormalized } from '../../../../generated/index.js';
import { floorToLot, instrumentSpec } from './instrument-spec.js';
import { movePosition, type OrderShape } from './position.js';
import { type Agent, type AgentContext, type AgentKind, type AgentState, instrumentKey, type OrderIntentDraft } from './types.js';

const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'] as const;

export const tradingViewFollowConfigSchema = z
  .strictObject({
    /** Signal sources followed (lower case). */
    sources: z.array(z.string().min(1)).min(1, 'must name at least one source').default(['tradingview']),
    /** Symbols followed; empty follows every symbol. */
    symbols: z.array(z.string().min(1)).default([]),
    sizing: z.enum(['signal', 'risk'], { error: 'must be "signal" or "risk"' }).default('signal'),
    defaultQuantity: z.number().positive('must be positive').default(1),
    /** Caps every order's quantity. */
    maxQuantity: z.number().positive('must be positive').optional(),
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

interface FollowState {
  /** Signed quantity per instrument key, as the agent believes it (assumes its orders fill). */
  positions: Record<string, number>;
}

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
  private readonly positions: Map<string, number>;

  constructor(
    readonly config: TradingViewFollowConfig,
    state?: AgentState,
  ) {
    const saved = (state as Partial<FollowState> | undefined)?.positions ?? {};
    this.positions = new Map(Object.entries(saved).filter(([, qty]) => typeof qty === 'number' && Number.isFinite(qty)));
  }

  state(): AgentState {
    return { positions: Object.fromEntries(this.positions) } satisfies FollowState;
  }

  /** The entry size for this signal, or a reason there is none. */
  size(signal: SignalNormalized, ctx: AgentContext): { quantity: number; why: string } | { quantity: 0; why: string } {
    const cap = (quantity: number) => (this.config.maxQuantity === undefined ? quantity : Math.min(quantity, this.config.maxQuantity));
    if (this.config.sizing === 'signal') {
      const quantity = signal.quantity ?? this.config.defaultQuantity;
      return { quantity: cap(quantity), why: signal.quantity === undefined ? 'default quantity' : 'alert quantity' };
    }
    const spec = instrumentSpec(ctx.catalog, signal.instrument);
    if (!spec) return { quantity: 0, why: `no tick size known for ${signal.instrument.symbol}` };
    const { riskPerTrade = 0, stopTicks = 0 } = this.config;
    const riskPerLot = stopTicks * spec.tickSize * spec.multiplier * spec.lotSize;
    const quantity = floorToLot(cap((riskPerTrade / riskPerLot) * spec.lotSize), spec.lotSize);
    return { quantity, why: `risk ${riskPerTrade} / (${stopTicks} ticks × ${spec.tickSize} × ${spec.multiplier})` };
  }

  onSignal(signal: SignalNormalized, ctx: AgentContext): OrderIntentDraft[] {
    if (!this.config.sources.includes(signal.source.toLowerCase())) return [];
    if (this.config.symbols.length > 0 && !this.config.symbols.includes(signal.instrument.symbol)) return [];
    const key = instrumentKey(signal.instrument);
    const current = this.positions.get(key) ?? 0;
    const shape = orderShape(signal, this.config);
    let target: number;
    let rationale: string;
    switch (signal.action) {
      case 'exit':
        target = 0;
        rationale = 'tradingview exit';
        break;
      case 'buy':
      case 'sell': {
        const { quantity, why } = this.size(signal, ctx);
        if (quantity <= 0) return [];
        target = current + (signal.action === 'buy' ? quantity : -quantity);
        rationale = `tradingview ${signal.action} (${why})`;
        break;
      }
      case 'reverse': {
        const side = signal.side ?? (current > 0 ? 'sell' : current < 0 ? 'buy' : undefined);
        if (side === undefined) return [];
        const direction = side === 'buy' ? 1 : -1;
        if (Math.sign(current) === direction) return []; // already positioned that way
        const { quantity, why } = this.size(signal, ctx);
        if (quantity <= 0) return [];
        target = direction * quantity;
        rationale = `tradingview reverse to ${side} (${why})`;
        break;
      }
      default:
        return [];
    }
    const drafts = movePosition(current, target, shape, rationale);
    if (target === 0) this.positions.delete(key);
    else this.positions.set(key, target);
    return drafts;
  }
}

export const tradingViewFollow: AgentKind<TradingViewFollowConfig> = {
  kind: 'tradingview-follow',
  description: 'Follows TradingView strategy alerts: entries, exits and reversals, sized from the alert or a risk budget.',
  configSchema: tradingViewFollowConfigSchema,
  create: (config, state) => new TradingViewFollowAgent(config, state),
};
