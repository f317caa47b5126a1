// IntentSubmitter over the generated client: validate, then publish on decisions.order_intent
// with the deterministic event id of the clientOrderId (a second submit of the same order is a
// JetStream duplicate, reported as `duplicate: true`, never a second order).
import { type OrderIntent, publishOrderIntent, validateOrderIntent } from '../../../../generated/index.js';
import type { NatsRuntime } from '../../../core/src/index.js';
import { describeIssues } from '../agents/registry.js';
import type { IntentSubmitter, SubmitResult } from '../context.js';
import { AGENT_MCP_SOURCE, intentEventId } from './ids.js';

export interface SubmitOptions {
  dryRun?: boolean;
  /** Event id of what caused the intent (the signal's); defaults to the intent's `causationId`. */
  causationId?: string;
  correlationId?: string;
  traceparent?: string;
}

export class NatsIntentSubmitter implements IntentSubmitter {
  constructor(private readonly nats: () => NatsRuntime | undefined) {}

  async submit(intent: OrderIntent, options: SubmitOptions = {}): Promise<SubmitResult> {
    const checked = validateOrderIntent(intent);
    if (!checked.ok) return { ok: false, reason: `invalid order intent: ${describeIssues(checked.issues)}`, issues: checked.issues };
    if (options.dryRun) return { ok: true, dryRun: true, intent: checked.value };
    const nats = this.nats();
    if (!nats?.connected) return { ok: false, reason: 'NATS is unavailable; retry later' };
    const causationId = options.causationId ?? checked.value.causationId;
    try {
      const published = await publishOrderIntent(nats.js, checked.value, {
        source: AGENT_MCP_SOURCE,
        eventId: intentEventId(checked.value.clientOrderId),
        ...(causationId === undefined ? {} : { causationId }),
        ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
        ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
      });
      return { ok: true, dryRun: false, intent: checked.value, eventId: published.eventId, duplicate: published.duplicate };
    } catch (err) {
      return { ok: false, reason: `publish failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
