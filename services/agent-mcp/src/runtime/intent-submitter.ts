// IntentSubmitter over the generated client: validate, then publish on decisions.order_intent
// with the deterministic event id of the clientOrderId (a second submit of the same order is a
// JetStream duplicate, reported as `duplicate: true`, never a second order). Every outcome is
// counted per agent and strategy when metrics are given.
import { type OrderIntent, publishOrderIntent, validateOrderIntent } from '../../../../generated/index.js';
import type { NatsRuntime } from '../../../core/src/index.js';
import { describeIssues } from '../agents/registry.js';
import type { IntentSubmitter, SubmitResult } from '../context.js';
import type { AgentMcpMetrics, IntentOutcome } from '../metrics.js';
import { AGENT_MCP_SOURCE, intentEventId } from './ids.js';

export interface SubmitOptions {
  dryRun?: boolean;
  /** Event id of what caused the intent (the signal's); defaults to the intent's `causationId`. */
  causationId?: string;
  correlationId?: string;
  traceparent?: string;
  /** ce-time of the signal that caused the intent: the time from it to the intent's ce-time is observed. */
  signalTime?: string;
}

interface Submitted {
  result: SubmitResult;
  outcome: IntentOutcome;
  /** ce-time of the published intent. */
  publishedAt?: string;
}

/** A label value from a field of an intent that may have failed validation. */
const label = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : 'unknown');

export class NatsIntentSubmitter implements IntentSubmitter {
  constructor(
    private readonly nats: () => NatsRuntime | undefined,
    private readonly metrics?: Pick<AgentMcpMetrics, 'intents' | 'signalToIntent' | 'events'>,
  ) {}

  async submit(intent: OrderIntent, options: SubmitOptions = {}): Promise<SubmitResult> {
    const { result, outcome, publishedAt } = await this.publish(intent, options);
    if (this.metrics) {
      const agent = label(intent.agentId);
      this.metrics.intents.inc({ agent, strategy: label(intent.strategyId), outcome });
      const seconds = (Date.parse(publishedAt ?? '') - Date.parse(options.signalTime ?? '')) / 1000;
      if (outcome === 'published' && Number.isFinite(seconds)) this.metrics.signalToIntent.observe({ agent }, Math.max(0, seconds));
    }
    return result;
  }

  private async publish(intent: OrderIntent, options: SubmitOptions): Promise<Submitted> {
    const checked = validateOrderIntent(intent);
    if (!checked.ok) {
      return {
        result: { ok: false, reason: `invalid order intent: ${describeIssues(checked.issues)}`, issues: checked.issues },
        outcome: 'invalid',
      };
    }
    if (options.dryRun) return { result: { ok: true, dryRun: true, intent: checked.value }, outcome: 'dry_run' };
    const nats = this.nats();
    if (!nats?.connected) return { result: { ok: false, reason: 'NATS is unavailable; retry later' }, outcome: 'unavailable' };
    const causationId = options.causationId ?? checked.value.causationId;
    try {
      const published = await publishOrderIntent(nats.js, checked.value, {
        source: AGENT_MCP_SOURCE,
        eventId: intentEventId(checked.value.clientOrderId),
        ...(causationId === undefined ? {} : { causationId }),
        ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
        ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
        metrics: this.metrics?.events,
      });
      return {
        result: { ok: true, dryRun: false, intent: checked.value, eventId: published.eventId, duplicate: published.duplicate },
        outcome: published.duplicate ? 'duplicate' : 'published',
        publishedAt: published.meta.time,
      };
    } catch (err) {
      return { result: { ok: false, reason: `publish failed: ${err instanceof Error ? err.message : String(err)}` }, outcome: 'failed' };
    }
  }
}
