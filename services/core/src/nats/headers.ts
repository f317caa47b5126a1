// CloudEvents NATS-binding headers: every event says what it is, which schema version, and what caused it.
import { headers as createHeaders, Match, type MsgHdrs } from '@nats-io/transport-node';
import type { ValidationIssue, ValidationResult } from '../validation.js';
import { childTraceparent, parseTraceparent } from './trace-context.js';

export const EventHeader = {
  MsgId: 'Nats-Msg-Id',
  Id: 'ce-id',
  SpecVersion: 'ce-specversion',
  Type: 'ce-type',
  Source: 'ce-source',
  Time: 'ce-time',
  SchemaVersion: 'ce-schemaversion',
  DataContentType: 'ce-datacontenttype',
  CorrelationId: 'ce-correlationid',
  CausationId: 'ce-causationid',
  Traceparent: 'traceparent',
} as const;
export type EventHeader = (typeof EventHeader)[keyof typeof EventHeader];

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

export interface EventMeta {
  eventId: string;
  subject: string;
  schemaVersion: string;
  source: string;
  /** ISO 8601 time the event happened at the producer. */
  time: string;
  correlationId: string;
  causationId?: string;
  traceparent?: string;
}

export interface EventMetaInput {
  eventId: string;
  subject: string;
  schemaVersion: string;
  source: string;
  time?: Date;
  /** Defaults to the event id: the first event of a flow starts its correlation. */
  correlationId?: string;
  causationId?: string;
  /** The caller's traceparent; the event gets a child span of it, or a new trace when absent. */
  traceparent?: string;
}

export function createEventMeta(input: EventMetaInput): EventMeta {
  const meta: EventMeta = {
    eventId: input.eventId,
    subject: input.subject,
    schemaVersion: input.schemaVersion,
    source: input.source,
    time: (input.time ?? new Date()).toISOString(),
    correlationId: input.correlationId ?? input.eventId,
    traceparent: childTraceparent(input.traceparent),
  };
  if (input.causationId !== undefined) meta.causationId = input.causationId;
  return meta;
}

export function eventHeaders(meta: EventMeta): MsgHdrs {
  const h = createHeaders();
  h.set(EventHeader.MsgId, meta.eventId);
  h.set(EventHeader.Id, meta.eventId);
  h.set(EventHeader.SpecVersion, CLOUDEVENTS_SPEC_VERSION);
  h.set(EventHeader.Type, meta.subject);
  h.set(EventHeader.Source, meta.source);
  h.set(EventHeader.Time, meta.time);
  h.set(EventHeader.SchemaVersion, meta.schemaVersion);
  h.set(EventHeader.DataContentType, JSON_CONTENT_TYPE);
  h.set(EventHeader.CorrelationId, meta.correlationId);
  if (meta.causationId) h.set(EventHeader.CausationId, meta.causationId);
  if (meta.traceparent) h.set(EventHeader.Traceparent, meta.traceparent);
  return h;
}

export function buildEventHeaders(input: EventMetaInput): MsgHdrs {
  return eventHeaders(createEventMeta(input));
}

const REQUIRED = [EventHeader.Id, EventHeader.Type, EventHeader.Source, EventHeader.Time, EventHeader.SchemaVersion];

/** Reads the event headers back; issues name each missing or malformed header (path "/headers/<name>"). */
export function parseEventHeaders(h: MsgHdrs | undefined): ValidationResult<EventMeta> {
  // Case-insensitive: other NATS clients may canonicalise header names (Ce-Id).
  const read = (name: string): string | undefined => h?.get(name, Match.IgnoreCase) || undefined;
  const issues: ValidationIssue[] = REQUIRED.filter((name) => read(name) === undefined).map((name) => ({
    path: `/headers/${name}`,
    keyword: 'required',
    message: `missing required header "${name}"`,
  }));
  const time = read(EventHeader.Time);
  if (time !== undefined && Number.isNaN(Date.parse(time))) {
    issues.push({ path: `/headers/${EventHeader.Time}`, keyword: 'format', message: 'must be a valid date-time' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const eventId = read(EventHeader.Id) as string;
  const meta: EventMeta = {
    eventId,
    subject: read(EventHeader.Type) as string,
    schemaVersion: read(EventHeader.SchemaVersion) as string,
    source: read(EventHeader.Source) as string,
    time: time as string,
    correlationId: read(EventHeader.CorrelationId) ?? eventId,
  };
  const causationId = read(EventHeader.CausationId);
  if (causationId !== undefined) meta.causationId = causationId;
  // A malformed traceparent is dropped, not fatal: tracing must never cost an event.
  const traceparent = read(EventHeader.Traceparent);
  if (parseTraceparent(traceparent)) meta.traceparent = traceparent;
  return { ok: true, value: meta };
}

/** NATS headers as a plain record (first value of each key), the shape the headers schemas validate. */
export function headersRecord(h: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!h) return record;
  for (const key of h.keys()) record[key] = h.get(key);
  return record;
}
