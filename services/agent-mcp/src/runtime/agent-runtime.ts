// Hosts the built-in agents: one durable consumer per agent on signals.normalized (`agent-<id>`,
// so every agent sees every signal), the agent's decision turned into order intents with
// deterministic ids, published through the IntentSubmitter.
//
// Enable/disable: the consumer keeps running; a disabled agent acks signals without looking at
// them, so enabling it later does not replay a backlog of stale signals (and its state does not
// move while it is disabled). Enabled flags and configuration changes live in memory: a restart
// goes back to the agents file.
//
// Redelivery: the intents decided for a signal are remembered per agent (by idempotency key, last
// 1000); a redelivered or re-sent signal republishes the same intents (JetStream drops them as
// duplicates) instead of running the strategy again on already-moved state.
//
// Executions: fills (executions.fill) and order updates (executions.order) of an agent's strategy
// go to the agent, so its position follows what exec-sim did, not what it hoped (position-book.ts);
// a fill redelivered is recognized by its tradeId (last 10000 per agent). Disabled agents follow
// them too: the position moves whatever the agent is doing. After a restart the agents start flat
// and the durables go on from the last acknowledged execution, as the agents' other state does.
import { DeliverPolicy } from '@nats-io/jetstream';
import {
  consumeOrderFilled,
  consumeOrderUpdated,
  consumersOf,
  consumeSignalNormalized,
  type Instrument,
  type OrderFilled,
  type OrderIntent,
  type OrderUpdated,
  type SignalNormalized,
} from '../../../../generated/index.js';
import {
  type ConsumedEvent,
  consumerSpec,
  type EventConsumerHandle,
  ensureConsumer,
  type InstrumentCatalog,
  type Logger,
  type NatsRuntime,
  tradableInstrument,
} from '../../../core/src/index.js';
import type { Agent, OrderIntentDraft } from '../agents/index.js';
import { checkAgentConfig } from '../agents/registry.js';
import type { AgentControl, AgentInfo, ConfigureResult, SubmitResult } from '../context.js';
import type { AgentMcpMetrics } from '../metrics.js';
import type { AgentSpec } from './agents-file.js';
import { agentClientOrderId, agentDurable } from './ids.js';
import type { SubmitOptions } from './intent-submitter.js';

const SIGNAL_SUBJECT = 'signals.normalized';
const REMEMBERED_DECISIONS = 1000;
const REMEMBERED_TRADES = 10_000;

/** The agent-mcp durable on an executions subject, as the contracts declare it. */
function executionsDurable(subject: string): { durable: string; spec: ReturnType<typeof consumerSpec> } {
  const declaration = consumersOf('agent-mcp').find((c) => c.subject === subject);
  if (!declaration) throw new Error(`the contracts declare no agent-mcp consumer on ${subject}`);
  return { durable: declaration.durable, spec: consumerSpec(declaration) };
}

/** An IntentSubmitter that also takes the signal's correlation and trace (NatsIntentSubmitter). */
export interface IntentSink {
  submit(intent: OrderIntent, options?: SubmitOptions): Promise<SubmitResult>;
}

export interface AgentRuntimeOptions {
  specs: readonly AgentSpec[];
  nats: NatsRuntime;
  stream: string;
  submitter: IntentSink;
  catalog?: InstrumentCatalog;
  logger: Logger;
  now?: () => Date;
  /** Signals consumed per agent, and the event runtime's metrics for the agents' consumers. */
  metrics?: Pick<AgentMcpMetrics, 'signals' | 'events'>;
}

interface HostedAgent {
  spec: AgentSpec;
  agent: Agent;
  enabled: boolean;
  signalsSeen: number;
  intentsEmitted: number;
  lastSignalAt?: string;
  decided: Map<string, OrderIntent[]>;
  /** tradeIds of the fills the agent has been given (redelivered fills are not counted twice). */
  trades: Set<string>;
  consumer?: EventConsumerHandle;
}

function createAgent(spec: AgentSpec, state?: Record<string, unknown>): Agent {
  const check = checkAgentConfig(spec.kind, spec.config);
  if (!check.ok) throw new Error(`agent ${spec.id}: ${check.reason}`);
  return check.kind.create(check.config, state);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export class AgentRuntime implements AgentControl {
  private readonly agents = new Map<string, HostedAgent>();
  private readonly executionConsumers: EventConsumerHandle[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: AgentRuntimeOptions) {
    this.now = options.now ?? (() => new Date());
    for (const spec of options.specs) {
      this.agents.set(spec.id, {
        spec: { ...spec },
        agent: createAgent(spec),
        enabled: spec.enabled,
        signalsSeen: 0,
        intentsEmitted: 0,
        decided: new Map(),
        trades: new Set(),
      });
    }
  }

  /** The durables this runtime consumes from (for /ready). */
  get durables(): string[] {
    return [...this.agents.keys()].map(agentDurable);
  }

  /** Creates each agent's durable (new signals only, at creation) and starts consuming; then the executions. */
  async start(): Promise<void> {
    const { nats, stream, logger, metrics } = this.options;
    const fills = executionsDurable('executions.fill');
    const updates = executionsDurable('executions.order');
    for (const { spec } of [fills, updates]) await ensureConsumer(nats.jsm, stream, spec);
    const common = { stream, logger: logger.child({ component: 'executions' }), metrics: metrics?.events };
    this.executionConsumers.push(
      await consumeOrderFilled(nats, { ...common, durable: fills.durable, handler: async ({ payload }) => this.onFill(payload) }),
      await consumeOrderUpdated(nats, { ...common, durable: updates.durable, handler: async ({ payload }) => this.onOrderUpdate(payload) }),
    );
    for (const hosted of this.agents.values()) {
      const durable = agentDurable(hosted.spec.id);
      await ensureConsumer(nats.jsm, stream, {
        durable_name: durable,
        filter_subject: SIGNAL_SUBJECT,
        deliver_policy: DeliverPolicy.New,
      });
      hosted.consumer = await consumeSignalNormalized(nats, {
        stream,
        durable,
        logger: logger.child({ agent: hosted.spec.id }),
        maxMessages: 16,
        metrics: metrics?.events,
        handler: (event) => this.handle(hosted, event),
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((hosted) => hosted.consumer?.stop()));
    await Promise.all(this.executionConsumers.splice(0).map((consumer) => consumer.stop()));
  }

  private ofStrategy(strategyId: string): HostedAgent[] {
    return [...this.agents.values()].filter((hosted) => hosted.spec.strategyId === strategyId);
  }

  /** A fill of a strategy: each of its agents counts it once. */
  onFill(fill: OrderFilled): void {
    for (const hosted of this.ofStrategy(fill.strategyId)) {
      if (hosted.trades.has(fill.tradeId)) continue;
      hosted.trades.add(fill.tradeId);
      if (hosted.trades.size > REMEMBERED_TRADES) hosted.trades.delete(hosted.trades.values().next().value as string);
      hosted.agent.onFill(fill);
    }
  }

  /** An order update of a strategy: the agent that placed the order stops counting it when it was refused, canceled or expired. */
  onOrderUpdate(update: OrderUpdated): void {
    for (const hosted of this.ofStrategy(update.strategyId)) {
      hosted.agent.onOrderUpdate(update);
      if (update.status === 'rejected' && hosted.spec.id === update.agentId)
        this.options.logger.info(
          { agent: hosted.spec.id, clientOrderId: update.clientOrderId, reasonCode: update.reasonCode, reason: update.reason },
          'order rejected',
        );
    }
  }

  /**
   * The contract an order answering this signal names: a continuous series (ES1!) cannot be
   * ordered, so it is rolled to its dated contract at the signal's time (deterministic on redelivery).
   */
  private orderable(signal: SignalNormalized): Instrument {
    const { catalog } = this.options;
    return catalog ? tradableInstrument(catalog, signal.instrument, new Date(signal.eventTime)) : signal.instrument;
  }

  private toIntent(
    hosted: HostedAgent,
    signal: SignalNormalized,
    orderable: Instrument,
    draft: OrderIntentDraft,
    leg: number,
    createdAt: string,
  ): OrderIntent {
    return withoutUndefined<OrderIntent>({
      clientOrderId: agentClientOrderId(hosted.spec.id, signal.idempotencyKey, leg),
      strategyId: hosted.spec.strategyId,
      agentId: hosted.spec.id,
      instrument: draft.instrument ?? orderable,
      side: draft.side,
      orderType: draft.orderType,
      timeInForce: draft.timeInForce,
      quantity: draft.quantity,
      limitPrice: draft.limitPrice,
      stopPrice: draft.stopPrice,
      reduceOnly: draft.reduceOnly,
      causationId: signal.signalId,
      rationale: draft.rationale,
      createdAt,
    });
  }

  /** Runs one agent on one signal and publishes its intents; throws (-> nak, retry) when publishing fails. */
  async handle(hosted: HostedAgent, { payload: signal, meta }: ConsumedEvent<SignalNormalized>): Promise<void> {
    const counted = this.options.metrics?.signals;
    if (!hosted.enabled) {
      counted?.inc({ agent: hosted.spec.id, outcome: 'disabled' });
      return;
    }
    const key = signal.idempotencyKey;
    let intents = hosted.decided.get(key);
    counted?.inc({ agent: hosted.spec.id, outcome: intents ? 'repeated' : 'evaluated' });
    if (!intents) {
      const at = this.now().toISOString();
      hosted.signalsSeen++;
      hosted.lastSignalAt = at;
      const instrument = this.orderable(signal);
      const drafts = hosted.agent.onSignal(signal, {
        agentId: hosted.spec.id,
        ...(this.options.catalog ? { catalog: this.options.catalog } : {}),
        instrument,
        clientOrderId: (leg) => agentClientOrderId(hosted.spec.id, key, leg),
        skipped: (reason) =>
          this.options.logger.info({ agent: hosted.spec.id, signalId: signal.signalId, symbol: instrument.symbol, reason }, 'no order'),
      });
      intents = drafts.map((draft, leg) => this.toIntent(hosted, signal, instrument, draft, leg, at));
      hosted.decided.set(key, intents);
      if (hosted.decided.size > REMEMBERED_DECISIONS) {
        const oldest = hosted.decided.keys().next().value;
        if (oldest !== undefined) hosted.decided.delete(oldest);
      }
    }
    for (const intent of intents) {
      const result = await this.options.submitter.submit(intent, {
        causationId: meta.eventId,
        correlationId: meta.correlationId,
        signalTime: meta.time,
        ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
      });
      if (!result.ok) {
        // A draft the contract refuses is the agent's bug: log it and go on; anything else is transient.
        if (result.issues) {
          this.options.logger.error({ agent: hosted.spec.id, intent, issues: result.issues }, 'agent produced an invalid intent');
          // Never placed: the agent must not count it.
          hosted.agent.onOrderUpdate({ clientOrderId: intent.clientOrderId, status: 'rejected', filledQty: 0 });
          continue;
        }
        throw new Error(`agent ${hosted.spec.id}: ${result.reason}`);
      }
      if (!result.duplicate) hosted.intentsEmitted++;
      this.options.logger.info(
        {
          agent: hosted.spec.id,
          clientOrderId: intent.clientOrderId,
          side: intent.side,
          quantity: intent.quantity,
          duplicate: result.duplicate,
        },
        'order intent published',
      );
    }
  }

  private info(hosted: HostedAgent): AgentInfo {
    return {
      id: hosted.spec.id,
      kind: hosted.spec.kind,
      enabled: hosted.enabled,
      config: structuredClone(hosted.spec.config),
      state: hosted.agent.state(),
      durable: agentDurable(hosted.spec.id),
      signalsSeen: hosted.signalsSeen,
      intentsEmitted: hosted.intentsEmitted,
      ...(hosted.lastSignalAt ? { lastSignalAt: hosted.lastSignalAt } : {}),
    };
  }

  list(): AgentInfo[] {
    return [...this.agents.values()].map((hosted) => this.info(hosted));
  }

  get(id: string): AgentInfo | undefined {
    const hosted = this.agents.get(id);
    return hosted && this.info(hosted);
  }

  async enable(id: string): Promise<AgentInfo | undefined> {
    return this.setEnabled(id, true);
  }

  async disable(id: string): Promise<AgentInfo | undefined> {
    return this.setEnabled(id, false);
  }

  private setEnabled(id: string, enabled: boolean): AgentInfo | undefined {
    const hosted = this.agents.get(id);
    if (!hosted) return undefined;
    if (hosted.enabled !== enabled) this.options.logger.info({ agent: id, enabled }, enabled ? 'agent enabled' : 'agent disabled');
    hosted.enabled = enabled;
    return this.info(hosted);
  }

  /** Validates, then swaps agent and config in one step; the agent's state carries over. */
  async configure(id: string, config: unknown): Promise<ConfigureResult | undefined> {
    const hosted = this.agents.get(id);
    if (!hosted) return undefined;
    const check = checkAgentConfig(hosted.spec.kind, config);
    if (!check.ok) return { ok: false, reason: check.reason, issues: check.issues };
    const agent = check.kind.create(check.config, hosted.agent.state());
    hosted.agent = agent;
    hosted.spec = { ...hosted.spec, config: check.config };
    this.options.logger.info({ agent: id, config: check.config }, 'agent reconfigured');
    return { ok: true, agent: this.info(hosted) };
  }
}
