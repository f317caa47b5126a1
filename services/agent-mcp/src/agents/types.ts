// What a strategy agent is: pure code from a normalized signal to order intent drafts. No NATS,
// no clock, no randomness: the same signals in the same order give the same drafts and state.
import type { z } from 'zod';
import type { Instrument, OrderType, Side, SignalNormalized, TimeInForce } from '../../../../generated/index.js';
import type { InstrumentCatalog } from '../../../core/src/index.js';

/** An order an agent wants; the runtime adds ids, strategy, agent, causation and time. */
export interface OrderIntentDraft {
  /** Defaults to the signal's instrument. */
  instrument?: Instrument;
  side: Side;
  quantity: number;
  orderType: OrderType;
  timeInForce: TimeInForce;
  limitPrice?: number;
  stopPrice?: number;
  reduceOnly: boolean;
  rationale?: string;
}

export interface AgentContext {
  agentId: string;
  /** Tick size, multiplier and lot size of instruments, for sizing; absent in tests that need none. */
  catalog?: InstrumentCatalog;
}

export type AgentState = Record<string, unknown>;

export interface Agent {
  readonly kind: string;
  /** Decides on one signal; may update the agent's own state. */
  onSignal(signal: SignalNormalized, ctx: AgentContext): OrderIntentDraft[];
  /** A JSON-safe copy of the state (positions it believes it has, indicator windows). */
  state(): AgentState;
}

/** A built-in kind: its configuration schema and a constructor taking a valid config and, optionally, the state to resume. */
export interface AgentKind<C = unknown> {
  kind: string;
  description: string;
  configSchema: z.ZodType<C>;
  create(config: C, state?: AgentState): Agent;
}

/** `ESZ6@CME`: the key positions and price windows are kept under. */
export const instrumentKey = (instrument: Instrument): string => `${instrument.symbol}@${instrument.venue}`;

export const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
