// What a strategy agent is: pure code from a normalized signal to order intent drafts. No NATS,
// no clock, no randomness: the same signals in the same order give the same drafts and state.
import type { z } from 'zod';
import type { Instrument, OrderType, Side, SignalNormalized, TimeInForce } from '../../../../generated/index.js';
import type { InstrumentCatalog } from '../../../core/src/index.js';
import type { FillReport, OrderReport } from './position-book.js';

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
  /**
   * The instrument an order answering this signal names (a continuous ES1! rolled to its dated
   * ESZ6); positions are kept under it, as fills name it. The signal's instrument when absent.
   */
  instrument?: Instrument;
  /** The clientOrderId the runtime gives the draft at index `leg`; the agent tracks its orders by it. */
  clientOrderId?: (leg: number) => string;
  /** Told why the agent placed no order where it otherwise would have (the runtime logs it). */
  skipped?: (reason: string) => void;
}

export type AgentState = Record<string, unknown>;

export interface Agent {
  readonly kind: string;
  /** Decides on one signal; may update the agent's own state. */
  onSignal(signal: SignalNormalized, ctx: AgentContext): OrderIntentDraft[];
  /** A fill of the agent's strategy (deduplicated by the caller). */
  onFill(fill: FillReport): void;
  /** A change of one of the agent's orders: a refused, canceled or expired one stops counting. */
  onOrderUpdate(update: OrderReport): void;
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

/** The ids of an order's legs when no runtime gives them (pure tests): unique per signal and leg. */
export const orderIdOf = (ctx: AgentContext, signal: SignalNormalized, leg: number): string =>
  ctx.clientOrderId?.(leg) ?? `${signal.idempotencyKey}#${leg}`;

export const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
