// Validate, then publish: a producer bug never reaches the wire, and a re-sent event id is a no-op, not an error.
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { ContractValidationError, type ValidationIssue } from '../validation.js';
import type { EventContract } from './contract.js';
import { EventPublishError } from './errors.js';
import { type EventMetrics, PublishOutcome, ValidationDirection } from './event-metrics.js';
import { createEventMeta, type EventMeta, eventHeaders, headersRecord } from './headers.js';

export interface PublishEventOptions {
  /** Producer identity (CloudEvents `source`), e.g. "gateway". */
  source: string;
  /** Deterministic id for idempotency (e.g. from the webhook's alert id); random UUID when absent. */
  eventId?: string;
  correlationId?: string;
  causationId?: string;
  /** traceparent of the work that produced this event. */
  traceparent?: string;
  time?: Date;
  /** How long to wait for the stream's ack; the client default applies when absent. */
  timeoutMs?: number;
  /** Counts the outcome and contract refusals (the service's `metrics.events`). */
  metrics?: EventMetrics;
}

export interface PublishedEvent {
  eventId: string;
  stream: string;
  seq: number;
  /** True when the stream already held this event id inside its duplicate window: nothing new was stored. */
  duplicate: boolean;
  meta: EventMeta;
}

export async function publishEvent<T>(
  js: JetStreamClient,
  contract: EventContract<T>,
  payload: T,
  options: PublishEventOptions,
): Promise<PublishedEvent> {
  const { metrics } = options;
  const refuse = (issues: readonly ValidationIssue[]): never => {
    metrics?.validationFailed(contract.subject, contract.version, ValidationDirection.Publish);
    throw new ContractValidationError(contract.subject, contract.version, issues);
  };
  const checked = contract.validate(payload);
  if (!checked.ok) return refuse(checked.issues);

  const meta = createEventMeta({
    eventId: options.eventId ?? randomUUID(),
    subject: contract.subject,
    schemaVersion: contract.version,
    source: options.source,
    time: options.time,
    correlationId: options.correlationId,
    causationId: options.causationId,
    traceparent: options.traceparent,
  });
  const headers = eventHeaders(meta);
  const checkedHeaders = contract.validateHeaders?.(headersRecord(headers));
  if (checkedHeaders && !checkedHeaders.ok) refuse(checkedHeaders.issues.map((issue) => ({ ...issue, path: `/headers${issue.path}` })));
  try {
    const ack = await js.publish(contract.subject, JSON.stringify(checked.value), {
      msgID: meta.eventId,
      headers,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    });
    metrics?.published(contract.subject, ack.duplicate ? PublishOutcome.Duplicate : PublishOutcome.Stored);
    return { eventId: meta.eventId, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate, meta };
  } catch (cause) {
    metrics?.published(contract.subject, PublishOutcome.Failed);
    throw new EventPublishError(contract.subject, meta.eventId, { cause });
  }
}
