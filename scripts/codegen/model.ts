// What the loader hands every emitter: subjects (one message on one channel) and consumers.

import type { JsonObject, JsonValue } from './json.js';
import type { DocumentCache } from './load.js';

export const COMPATIBILITY_MODES = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export interface MessageExample {
  name: string;
  summary: string;
  headers: JsonObject;
  payload: JsonValue;
}

export interface SubjectContract {
  /** NATS subject and channel address, e.g. `signals.normalized`. */
  subject: string;
  /** The message's id in components.messages (PascalCase); names generated code. */
  name: string;
  version: string;
  compatibility: CompatibilityMode;
  owner: string;
  domain: string;
  channelId: string;
  title: string;
  summary: string;
  contentType: string;
  /** Contract file relative to the repository root. */
  sourceFile: string;
  /** Absolute path of the file the message lives in (refs resolve from here). */
  absoluteFile: string;
  payload: JsonObject;
  headers: JsonObject;
  examples: MessageExample[];
}

export interface ConsumerSpec {
  operationId: string;
  service: string;
  durable: string;
  subject: string;
  maxAckPending: number | undefined;
  sourceFile: string;
}

export interface LoadedDocument {
  file: string;
  relativePath: string;
  domain: string;
  doc: JsonObject;
}

export interface ContractSet {
  cache: DocumentCache;
  documents: LoadedDocument[];
  subjects: SubjectContract[];
  consumers: ConsumerSpec[];
}
