// The MCP server's own types: who is calling (an external agent and its allowlists), what it
// depends on, and the audit record written for every tool call.
import type { RegistryEntry } from '../../../core/src/index.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';
import type { AgentControl, ExecutionView, IntentSubmitter, SignalView } from '../context.js';

/** The names of every tool the server offers. */
export const MCP_TOOLS = [
  'latest_signals',
  'get_positions',
  'get_orders',
  'get_fills',
  'get_pnl',
  'get_instrument',
  'list_agents',
  'submit_order_intent',
  'cancel_order',
  'enable_agent',
  'disable_agent',
] as const;
export type McpToolName = (typeof MCP_TOOLS)[number];

/** An AI agent outside the platform that talks to it over MCP, with what it may do. */
export interface ExternalAgent {
  /** Becomes the `agentId` of every order intent it submits. */
  id: string;
  /** Tool names it may call, or `*` for all. */
  tools: string[] | '*';
  /** Instrument symbols it may trade (`ESZ6`, `BTCUSDT`), or `*` for all. */
  instruments: string[] | '*';
  /** Largest notional of one order intent: quantity x price x multiplier, in the quote currency. */
  maxNotional: number;
}

/** One tool call as the audit trail records it. */
export interface McpAuditEntry {
  at: string;
  agent: string;
  tool: string;
  arguments: unknown;
  ok: boolean;
  /** A one-line description of the result (or the reason it failed). */
  summary: string;
}

export interface McpDeps {
  control: AgentControl;
  signals: SignalView;
  submitter: IntentSubmitter;
  executions: ExecutionView;
  catalog: InstrumentCatalog;
  registry: readonly RegistryEntry[];
  audit: (entry: McpAuditEntry) => void;
  principal: ExternalAgent;
}

export function toolAllowed(principal: ExternalAgent, tool: string): boolean {
  return principal.tools === '*' || principal.tools.includes(tool);
}

export function instrumentAllowed(principal: ExternalAgent, symbol: string): boolean {
  if (principal.instruments === '*') return true;
  const wanted = symbol.toUpperCase();
  return principal.instruments.some((s) => s.toUpperCase() === wanted);
}
