// momentum: an N-period momentum or breakout rule over each instrument's price stream (every
// normalized signal that carries a price is one observation). Deterministic: the state is the
// last `lookback` prices per instrument and the positions (position-book.ts), nothing else.
//   momentum   r = (p - p[-lookback]) / |p[-lookback]|; r > threshold -> long, r < -threshold -> short
//   breakout   p > max(last lookback) + threshold·|max| -> long; p < min - threshold·|min| -> short
// Otherwise the position is held. Without `allowShort` a short signal only closes a long.
// A change of direction is two intents: a reduce-only close, then the opening order.
// `quantity` is one number or one per asset class (contracts; FX and crypto base units), rounded
// down to the instrument's lot; a class without a quantity, or less than a lot, places nothing.
// Price windows are kept per signal instrument (the ES1! series stays one series across rolls);
// positions per instrument the orders name, from fills and order updates (position-book.ts).
import { z } from 'zod';
import type { SignalNormalized } from '../../../../generated/index.js';
import { instrumentSpec } from './instrument-spec.js';
import { movePosition } from './position.js';
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

export const momentumConfigSchema = z.strictObject({
  /** Symbols traded; empty trades every symbol that has prices. */
  symbols: z.array(z.string().min(1)).default([]),
  /** Signal sources whose prices count; empty counts every source. */
  sources: z.array(z.string().min(1)).default([]),
  mode: z.enum(['momentum', 'breakout'], { error: 'must be "momentum" or "breakout"' }).default('momentum'),
  lookback: z.number().int('must be a whole number of observations').min(1, 'must be at least 1').max(10_000, 'must be at most 10000'),
  /** Fraction (0.002 = 0.2 %) the move must exceed. */
  threshold: z.number().min(0, 'must not be negative').max(1, 'must be a fraction (at most 1)'),
  /** Size of the position: one number, or one per asset class. */
  quantity: quantityByAssetClassSchema,
  allowShort: z.boolean().default(true),
  timeInForce: z.enum(TIME_IN_FORCE, { error: `must be one of ${TIME_IN_FORCE.join(', ')}` }).default('GTC'),
});

export type MomentumConfig = z.infer<typeof momentumConfigSchema>;

interface SavedState extends Partial<PositionBookState> {
  /** Price windows; before fills were followed each also held the believed `position`. */
  instruments?: Record<string, { prices?: unknown[]; position?: unknown }>;
}

export class MomentumAgent implements Agent {
  readonly kind = 'momentum';
  private readonly windows = new Map<string, number[]>();
  private readonly book: PositionBook;

  constructor(
    readonly config: MomentumConfig,
    state?: AgentState,
  ) {
    const saved = (state ?? {}) as SavedState;
    const legacy: Record<string, number> = {};
    for (const [key, track] of Object.entries(saved.instruments ?? {})) {
      const prices = Array.isArray(track.prices) ? track.prices.filter((p): p is number => typeof p === 'number') : [];
      this.windows.set(key, prices.slice(-config.lookback));
      if (typeof track.position === 'number') legacy[key] = track.position;
    }
    this.book = new PositionBook(saved.filled || saved.positions ? saved : { filled: legacy });
  }

  state(): AgentState {
    return {
      instruments: Object.fromEntries([...this.windows].map(([key, prices]) => [key, { prices: [...prices] }])),
      ...this.book.state(),
    };
  }

  onFill(fill: FillReport): void {
    this.book.onFill(fill);
  }

  onOrderUpdate(update: OrderReport): void {
    this.book.onOrderUpdate(update);
  }

  /** +1 long, -1 short, undefined hold. */
  private direction(prices: readonly number[], price: number): { direction: 1 | -1; why: string } | undefined {
    const { lookback, threshold, mode } = this.config;
    if (prices.length < lookback) return undefined;
    if (mode === 'momentum') {
      const base = prices[prices.length - lookback] as number;
      if (base === 0) return undefined;
      const change = (price - base) / Math.abs(base);
      const why = `${lookback}-period momentum ${(change * 100).toFixed(4)}% vs ±${(threshold * 100).toFixed(4)}%`;
      if (change > threshold) return { direction: 1, why };
      if (change < -threshold) return { direction: -1, why };
      return undefined;
    }
    const high = Math.max(...prices);
    const low = Math.min(...prices);
    if (price > high + threshold * Math.abs(high)) return { direction: 1, why: `breakout above the ${lookback}-period high ${high}` };
    if (price < low - threshold * Math.abs(low)) return { direction: -1, why: `breakdown below the ${lookback}-period low ${low}` };
    return undefined;
  }

  onSignal(signal: SignalNormalized, ctx: AgentContext = { agentId: 'momentum' }): OrderIntentDraft[] {
    if (signal.price === undefined) return [];
    if (this.config.symbols.length > 0 && !this.config.symbols.includes(signal.instrument.symbol)) return [];
    if (this.config.sources.length > 0 && !this.config.sources.includes(signal.source.toLowerCase())) return [];
    const seriesKey = instrumentKey(signal.instrument);
    const prices = this.windows.get(seriesKey) ?? [];
    this.windows.set(seriesKey, prices);
    const decision = this.direction(prices, signal.price);
    prices.push(signal.price);
    if (prices.length > this.config.lookback) prices.splice(0, prices.length - this.config.lookback);
    if (!decision) return [];
    const instrument = ctx.instrument ?? signal.instrument;
    const key = instrumentKey(instrument);
    const quantity = quantityFor(this.config.quantity, instrument.assetClass);
    if (quantity === undefined) {
      ctx.skipped?.(`no quantity configured for ${instrument.assetClass}`);
      return [];
    }
    const lots = toLots(quantity, instrumentSpec(ctx.catalog, instrument), instrument.symbol);
    if ('skip' in lots) {
      ctx.skipped?.(lots.skip);
      return [];
    }
    const target = decision.direction === 1 ? lots.quantity : this.config.allowShort ? -lots.quantity : 0;
    const drafts = movePosition(
      this.book.position(key),
      target,
      { orderType: 'market', timeInForce: this.config.timeInForce },
      decision.why,
    );
    return this.book.track(key, drafts, (leg) => orderIdOf(ctx, signal, leg));
  }
}

export const momentum: AgentKind<MomentumConfig> = {
  kind: 'momentum',
  description: 'N-period momentum or breakout over each instrument’s normalized price stream.',
  configSchema: momentumConfigSchema,
  create: (config, state) => new MomentumAgent(config, state),
};
