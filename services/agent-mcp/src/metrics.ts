// agent-mcp's own metrics, on the service registry: what each hosted agent did with the signals
// it consumed, the order intents submitted (by the agents and by MCP clients) and what became of
// them, how long a signal took to become an intent, and the MCP tool calls.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EventMetrics, ServiceMetrics } from '../../core/src/index.js';

/** evaluated: the strategy ran; repeated: a redelivered signal, its intents republished; disabled: acked unseen. */
export type SignalOutcome = 'evaluated' | 'repeated' | 'disabled';
export type IntentOutcome = 'published' | 'duplicate' | 'dry_run' | 'invalid' | 'unavailable' | 'failed';

export interface AgentMcpMetrics {
  signals: Counter<'agent' | 'outcome'>;
  intents: Counter<'agent' | 'strategy' | 'outcome'>;
  signalToIntent: Histogram<'agent'>;
  toolCalls: Counter<'tool' | 'outcome'>;
  /** The event runtime's metrics (published, consumed, contract refusals), for publish and consume options. */
  events: EventMetrics;
}

export function createAgentMcpMetrics(service: ServiceMetrics, agents: () => readonly { id: string; enabled: boolean }[]): AgentMcpMetrics {
  const registers = [service.registry];
  new Gauge({
    name: 'agent_enabled',
    help: '1 while a hosted strategy agent is enabled, 0 while it is disabled.',
    labelNames: ['agent'],
    registers,
    collect() {
      for (const agent of agents()) this.set({ agent: agent.id }, agent.enabled ? 1 : 0);
    },
  });
  return {
    signals: new Counter({
      name: 'agent_signals_consumed_total',
      help: 'Normalized signals consumed per hosted agent, by outcome (evaluated, repeated, disabled).',
      labelNames: ['agent', 'outcome'],
      registers,
    }),
    intents: new Counter({
      name: 'agent_order_intents_total',
      help: 'Order intents submitted, by agent, strategy and outcome (published, duplicate, dry_run, invalid, unavailable, failed).',
      labelNames: ['agent', 'strategy', 'outcome'],
      registers,
    }),
    signalToIntent: new Histogram({
      name: 'agent_signal_to_intent_seconds',
      help: 'Time from a signal (its ce-time: when the gateway received the webhook) to the order intent it caused (its ce-time), per agent.',
      labelNames: ['agent'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    toolCalls: new Counter({
      name: 'mcp_tool_calls_total',
      help: 'MCP tool calls, by tool and outcome (ok or error; refused HTTP requests count as tool "http").',
      labelNames: ['tool', 'outcome'],
      registers,
    }),
    events: service.events,
  };
}
