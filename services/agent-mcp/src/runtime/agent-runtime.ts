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
// them too: the position moves whatever the agent is doing.
//
// Restart (or kill -9): the stream is the source of truth, so before any consumer starts the
// agents' state is rebuilt from it (stream-replay.ts), deterministically, up to the stream's last
// sequence S at start-up:
//   - each signal its durable covers (agent-durable.ts) goes through the agent's strategy as the
//     live handler would, publishing nothing: up to the durable's ack floor the intents were
//     published before the restart. Above it (delivered but unacknowledged, or not delivered yet)
//     the intents are published once the rebuild is done, in stream order, before the consumers
//     start (their ids are deterministic: what was published before the crash is a duplicate), and
//     kept so the signal's (re)delivery republishes them without running the strategy again.
//     Waiting for the redelivery instead would publish them after the ack wait, behind the intents
//     of newer signals (an exit reaching exec-sim before the order it closes). Replaying only up to
//     the ack floor would be wrong too: the fills of an order decided above it may be in the stream
//     already, and the strategy would run again on a position that counts them.
//   - fills and order updates are applied in the same pass, in stream order, so a signal comes
//     before the fills of the orders it caused, as it did live. The executions durables then skip
//     what has a sequence up to S (already applied), whatever their ack floors.
// What lives in memory only is not rebuilt: enable/disable and configure calls made through the
// API (the agents file's flags and configs are replayed), the signalsSeen/intentsEmitted counters.
// The cost is one pass over the stream (logged with counts and time); /ready answers only after it,
// as the HTTP server listens once the runtime has started.
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
  validateOrderIntent,
} from '../../../../generated/index.js';
import {
  type ConsumedEvent,
  consumerSpec,
  type EventConsumerHandle,
  type EventMeta,
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
import { covers, ensureAgentDurable, type SignalWindow } from './agent-durable.js';
import type { AgentSpec } from './agents-file.js';
import { agentClientOrderId, agentDurable } from './ids.js';
import type { SubmitOptions } from './intent-submitter.js';
import { type ReplayReport, replayStream, type StreamPosition } from './stream-replay.js';

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
  /** Decided while rebuilding for signals the durable has not acknowledged (see the header). */
  unacknowledged: Map<string, { intents: OrderIntent[]; meta: EventMeta }>;
  /** The signals its durable has covered (known once started). */
  window?: SignalWindow;
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
  /** Stream sequence the rebuild went up to: executions at or below it are already applied. */
  private replayedThrough = 0;

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
        unacknowledged: new Map(),
        trades: new Set(),
      });
    }
  }

  /** The durables this runtime consumes from (for /ready). */
  get durables(): string[] {
    return [...this.agents.keys()].map(agentDurable);
  }

  /**
   * Creates each agent's durable (new signals only, at creation), rebuilds the agents' state from
   * the stream, then consumes the executions and the signals.
   */
  async start(): Promise<void> {
    const { nats, stream, logger, metrics } = this.options;
    const fills = executionsDurable('executions.fill');
    const updates = executionsDurable('executions.order');
    for (const { spec } of [fills, updates]) await ensureConsumer(nats.jsm, stream, spec);
    for (const hosted of this.agents.values()) hosted.window = await ensureAgentDurable(nats.jsm, stream, agentDurable(hosted.spec.id));
    // Read after the ack floors, so nothing acknowledged lies beyond it.
    await this.rebuild((await nats.jsm.streams.info(stream)).state.last_seq);
    for (const hosted of this.agents.values())
      for (const { intents, meta } of hosted.unacknowledged.values()) await this.publish(hosted, intents, meta);
    const common = { stream, logger: logger.child({ component: 'executions' }), metrics: metrics?.events };
    const fresh = (seq: number) => seq > this.replayedThrough;
    this.executionConsumers.push(
      await consumeOrderFilled(nats, {
        ...common,
        durable: fills.durable,
        handler: async ({ payload, streamSequence }) => (fresh(streamSequence) ? this.onFill(payload) : undefined),
      }),
      await consumeOrderUpdated(nats, {
        ...common,
        durable: updates.durable,
        handler: async ({ payload, streamSequence }) => (fresh(streamSequence) ? this.onOrderUpdate(payload) : undefined),
      }),
    );
    for (const hosted of this.agents.values()) {
      hosted.consumer = await consumeSignalNormalized(nats, {
        stream,
        durable: agentDurable(hosted.spec.id),
        logger: logger.child({ agent: hosted.spec.id }),
        maxMessages: 16,
        metrics: metrics?.events,
        handler: (event) => this.handle(hosted, event),
      });
    }
  }

  /** Replays the stream up to `upTo` into the agents (see the header); publishes nothing. */
  async rebuild(upTo: number): Promise<ReplayReport> {
    const replayed = new Map([...this.agents.keys()].map((id) => [id, { signals: 0, unacknowledged: 0 }]));
    const report = await replayStream(this.options.nats, this.options.stream, upTo, {
      signal: (signal, at) => {
        for (const hosted of this.agents.values()) {
          const counted = replayed.get(hosted.spec.id);
          if (this.replaySignal(hosted, signal, at) && counted) {
            counted.signals++;
            if (hosted.unacknowledged.has(signal.idempotencyKey)) counted.unacknowledged++;
          }
        }
      },
      fill: (fill) => this.onFill(fill),
      order: (update) => this.applyOrderUpdate(update),
    });
    this.replayedThrough = upTo;
    this.options.logger.info(
      {
        upTo,
        read: report.read,
        replayed: report.replayed,
        invalid: report.invalid,
        ms: Math.round(report.ms),
        agents: Object.fromEntries(replayed),
      },
      'agent state rebuilt from the stream',
    );
    return report;
  }

  /** One replayed signal for one agent, as handle() would take it; true when the strategy ran. */
  private replaySignal(hosted: HostedAgent, signal: SignalNormalized, at: StreamPosition): boolean {
    const { window } = hosted;
    if (!hosted.enabled || !window || !covers(window, at.seq, at.storedAtNanos)) return false;
    const key = signal.idempotencyKey;
    if (hosted.decided.has(key) || hosted.unacknowledged.has(key)) return false;
    const intents = this.decide(hosted, signal, false);
    if (at.seq <= window.ackFloor) this.remember(hosted, key, intents);
    else hosted.unacknowledged.set(key, { intents, meta: at.meta });
    return true;
  }

  private remember(hosted: HostedAgent, key: string, intents: OrderIntent[]): void {
    hosted.decided.set(key, intents);
    if (hosted.decided.size > REMEMBERED_DECISIONS) {
      const oldest = hosted.decided.keys().next().value;
      if (oldest !== undefined) hosted.decided.delete(oldest);
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
    this.applyOrderUpdate(update);
    if (update.status === 'rejected' && this.agents.get(update.agentId ?? '')?.spec.strategyId === update.strategyId)
      this.options.logger.info(
        { agent: update.agentId, clientOrderId: update.clientOrderId, reasonCode: update.reasonCode, reason: update.reason },
        'order rejected',
      );
  }

  private applyOrderUpdate(update: OrderUpdated): void {
    for (const hosted of this.ofStrategy(update.strategyId)) hosted.agent.onOrderUpdate(update);
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

  /**
   * Runs the agent's strategy on one signal: its state moves, its drafts become intents. An
   * intent the contract refuses is the agent's bug: it is logged (live) and never placed, so the
   * agent must not count it; deciding it here rather than at publish keeps a replay identical.
   */
  private decide(hosted: HostedAgent, signal: SignalNormalized, live: boolean): OrderIntent[] {
    const key = signal.idempotencyKey;
    const at = this.now().toISOString();
    const instrument = this.orderable(signal);
    const drafts = hosted.agent.onSignal(signal, {
      agentId: hosted.spec.id,
      ...(this.options.catalog ? { catalog: this.options.catalog } : {}),
      instrument,
      clientOrderId: (leg) => agentClientOrderId(hosted.spec.id, key, leg),
      ...(live
        ? {
            skipped: (reason: string) =>
              this.options.logger.info({ agent: hosted.spec.id, signalId: signal.signalId, symbol: instrument.symbol, reason }, 'no order'),
          }
        : {}),
    });
    return drafts
      .map((draft, leg) => this.toIntent(hosted, signal, instrument, draft, leg, at))
      .filter((intent) => {
        const checked = validateOrderIntent(intent);
        if (checked.ok) return true;
        if (live) this.options.logger.error({ agent: hosted.spec.id, intent, issues: checked.issues }, 'agent produced an invalid intent');
        hosted.agent.onOrderUpdate({ clientOrderId: intent.clientOrderId, status: 'rejected', filledQty: 0 });
        return false;
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
    const rebuilt = hosted.unacknowledged.get(key);
    if (rebuilt) {
      hosted.unacknowledged.delete(key);
      this.remember(hosted, key, rebuilt.intents);
    }
    let intents = hosted.decided.get(key);
    counted?.inc({ agent: hosted.spec.id, outcome: intents ? 'repeated' : 'evaluated' });
    if (!intents) {
      hosted.signalsSeen++;
      hosted.lastSignalAt = this.now().toISOString();
      intents = this.decide(hosted, signal, true);
      this.remember(hosted, key, intents);
    }
    await this.publish(hosted, intents, meta);
  }

  /** Publishes the intents of one signal (`meta`: its headers); throws (-> nak, retry) when publishing fails. */
  private async publish(hosted: HostedAgent, intents: readonly OrderIntent[], meta: EventMeta): Promise<void> {
    for (const intent of intents) {
      const result = await this.options.submitter.submit(intent, {
        causationId: meta.eventId,
        correlationId: meta.correlationId,
        signalTime: meta.time,
        ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
      });
      // Intents were validated when decided: a failure here is transient.
      if (!result.ok) throw new Error(`agent ${hosted.spec.id}: ${result.reason}`);
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
