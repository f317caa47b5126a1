// One subject (one message on one channel) as the gate compares it: the same shape as a
// released snapshot, plus where it came from when it was read from a contract document.
import { type JsonObject, sortKeys } from '../codegen/json.js';
import type { FindingSource } from './findings.js';
import type { CompatibilityMode } from './types.js';

export const DEFAULT_MODE: CompatibilityMode = 'BACKWARD_TRANSITIVE';

export interface SubjectSnapshot {
  subject: string;
  /** `x-version`; absent for a plain JSON Schema or a message that declares none. */
  version?: string;
  compatibility: CompatibilityMode;
  contentType: string;
  /** The channel address (the NATS subject). */
  address: string;
  payloadSchema: JsonObject;
  /** Absent when the message declares no headers (any headers are then accepted). */
  headersSchema?: JsonObject;
}

export interface SideSubject extends SubjectSnapshot {
  channelId?: string;
  messageId?: string;
  /** The message in its document (base pointer), for locating findings; absent for snapshots. */
  source?: Omit<FindingSource, 'pointer'>;
}

/** The schema without its `$id`: the id embeds the version, which is not a change of shape. */
export function comparableSchema(schema: JsonObject | undefined): JsonObject | undefined {
  if (schema === undefined) return undefined;
  const { $id: _id, ...rest } = schema;
  return rest;
}

/** The parts of a subject a release freezes, in a canonical form, minus the version itself. */
export function releaseContent(subject: SubjectSnapshot): string {
  return JSON.stringify(
    sortKeys({
      subject: subject.subject,
      compatibility: subject.compatibility,
      contentType: subject.contentType,
      address: subject.address,
      payloadSchema: comparableSchema(subject.payloadSchema) ?? {},
      headersSchema: comparableSchema(subject.headersSchema) ?? {},
    }),
  );
}

/** Which part of a subject differs from a snapshot first, as a pointer (for `released-version-modified`). */
export function firstDifference(a: SubjectSnapshot, b: SubjectSnapshot): string | undefined {
  const same = (x: unknown, y: unknown) =>
    JSON.stringify(sortKeys((x ?? {}) as JsonObject)) === JSON.stringify(sortKeys((y ?? {}) as JsonObject));
  if (!same(comparableSchema(a.payloadSchema), comparableSchema(b.payloadSchema))) return '/payload';
  if (!same(comparableSchema(a.headersSchema), comparableSchema(b.headersSchema))) return '/headers';
  if (a.contentType !== b.contentType) return '/contentType';
  if (a.compatibility !== b.compatibility) return '/x-compatibility';
  if (a.address !== b.address) return '/address';
  return undefined;
}
