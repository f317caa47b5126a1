// The seams between agent-mcp's parts: the agent runtime, the MCP server and the REST API all
// talk through these interfaces, so each can be built and tested on its own.
import type { Instrument, OrderFilled, OrderIntent, SignalNormalized } from '../../../generated/index.js';
import type { ValidationIssue } from '../../core/src/index.js';

/** One hosted strategy agent as the API and the MCP tools show it. */
export interface AgentInfo {
  id: string;
  /** The built-in kind: `tradingview-follow`, `momentum`, ... */
  kind: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** The agent's own state (positions it believes it has, indicators), JSON-safe. */
  state: Record<string, unknown>;
  /** Its durable consumer on the signal subjects. */
  durable: string;
  signalsSeen: number;
  intentsEmitted: number;
  lastSignalAt?: string;
}

export type ConfigureResult = { ok: true; agent: AgentInfo } | { ok: false; reason: string; issues?: ValidationIssue[] };

export interface AgentControl {
  list(): AgentInfo[];
  get(id: string): AgentInfo | undefined;
  enable(id: string): Promise<AgentInfo | undefined>;
  disable(id: string): Promise<AgentInfo | undefined>;
  /** Validates the new configuration; a bad one is refused with the reason and the old one stays. */
  configure(id: string, config: unknown): Promise<ConfigureResult | undefined>;
}

export interface SignalFilter {
  symbol?: string;
  assetClass?: Instrument['assetClass'];
  limit?: number;
}

/** The most recent normalized signals (newest first), kept in memory from the agent-mcp consumer. */
export interface SignalView {
  recent(filter?: SignalFilter): SignalNormalized[];
}

/** What a submitted intent became. */
export type SubmitResult =
  | { ok: true; dryRun: boolean; intent: OrderIntent; eventId?: string; duplicate?: boolean }
  | { ok: false; reason: string; issues?: ValidationIssue[] };

/** Publishes order intents on `decisions.order_intent` through the generated client (validated first). */
export interface IntentSubmitter {
  submit(intent: OrderIntent, options?: { dryRun?: boolean; causationId?: string }): Promise<SubmitResult>;
}

/** exec-sim's trade API, read side plus cancel. */
export interface ExecutionView {
  orders(query?: { status?: string; strategyId?: string }): Promise<unknown[]>;
  fills(query?: { clientOrderId?: string; limit?: number }): Promise<OrderFilled[]>;
  positions(query?: { strategyId?: string }): Promise<unknown[]>;
  pnl(): Promise<unknown>;
  cancel(clientOrderId: string): Promise<{ ok: boolean; status: number; body: unknown }>;
}
