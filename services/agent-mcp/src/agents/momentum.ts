// momentum: an N-period momentum or breakout rule over each instrument's price stream (every
// normalized signal that carries a price is one observation). Deterministic: the state is the
// last `lookback` prices and the believed position per instrument, nothing else.
//   momentum   r = (p - p[-lookback]) / |p[-lookback]|; r > threshold -> long, r < -threshold -> short
//   breakout   p > max(last lookback) + threshold·|max| -> long; p < min - threshold·|min| -> short
// Otherwise the position is held. Without `allowShort` a short signal only closes a long.
// A change of direction is two intents: a reduce-only close, then the opening order.
import { z } from 'zod';
import type { SignalNormalized } from '../../../../generated/index.js';
import { movePosition } from './position.js';
import { type Agent, type AgentKind, type AgentState, instrumentKey, type OrderIntentDraft } from './types.js';

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
  quantity: z.number().positive('must be positive'),
  allowShort: z.boolean().default(true),
  timeInForce: z.enum(TIME_IN_FORCE, { error: `must be one of ${TIME_IN_FORCE.join(', ')}` }).default('GTC'),
});

export type MomentumConfig = z.infer<typeof momentumConfigSchema>;

interface Track {
  prices: number[];
  position: number;
}

export class MomentumAgent implements Agent {
  readonly kind = 'momentum';
  private readonly tracks = new Map<string, Track>();

  constructor(
    readonly config: MomentumConfig,
    state?: AgentState,
  ) {
    const saved = (state?.instruments ?? {}) as Record<string, Partial<Track>>;
    for (const [key, track] of Object.entries(saved)) {
      const prices = Array.isArray(track.prices) ? track.prices.filter((p): p is number => typeof p === 'number') : [];
      this.tracks.set(key, { prices: prices.slice(-config.lookback), position: typeof track.position === 'number' ? track.position : 0 });
    }
  }

  state(): AgentState {
    return {
      instruments: Object.fromEntries([...this.tracks].map(([key, t]) => [key, { prices: [...t.prices], position: t.position }])),
    };
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

  onSignal(signal: SignalNormalized): OrderIntentDraft[] {
    if (signal.price === undefined) return [];
    if (this.config.symbols.length > 0 && !this.config.symbols.includes(signal.instrument.symbol)) return [];
    if (this.config.sources.length > 0 && !this.config.sources.includes(signal.source.toLowerCase())) return [];
    const key = instrumentKey(signal.instrument);
    const track = this.tracks.get(key) ?? { prices: [], position: 0 };
    this.tracks.set(key, track);
    const decision = this.direction(track.prices, signal.price);
    track.prices.push(signal.price);
    if (track.prices.length > this.config.lookback) track.prices.splice(0, track.prices.length - this.config.lookback);
    if (!decision) return [];
    const target = decision.direction === 1 ? this.config.quantity : this.config.allowShort ? -this.config.quantity : 0;
    const drafts = movePosition(track.position, target, { orderType: 'market', timeInForce: this.config.timeInForce }, decision.why);
    track.position = target;
    return drafts;
  }
}

export const momentum: AgentKind<MomentumConfig> = {
  kind: 'momentum',
  description: 'N-period momentum or breakout over each instrument’s normalized price stream.',
  configSchema: momentumConfigSchema,
  create: (config, state) => new MomentumAgent(config, state),
};
