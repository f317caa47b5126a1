// One side of a comparison: an AsyncAPI 3 document or a plain JSON Schema file, read from disk.
import path from 'node:path';
import { ContractError } from '../codegen/errors.js';
import { isObject, type JsonObject, type JsonValue } from '../codegen/json.js';
import { DocumentCache } from '../codegen/load.js';
import { readAsyncApiSide } from './asyncapi-side.js';
import { InputError } from './errors.js';
import { parseMode } from './modes.js';
import { DEFAULT_MODE, type SideSubject } from './subject.js';

export interface ChannelInfo {
  id: string;
  address: string;
  messageIds: string[];
  subjects: string[];
}

export interface OperationInfo {
  id: string;
  action: string;
  channelId: string | undefined;
}

export interface ContractSide {
  kind: 'asyncapi' | 'schema';
  /** Absolute path of the document. */
  file: string;
  /** The document as the user named it (a path, or `git:<ref>:<path>`). */
  label: string;
  subjects: SideSubject[];
  channels: Map<string, ChannelInfo>;
  operations: Map<string, OperationInfo>;
}

/** Keywords only a JSON Schema has at its root; a YAML file with none of them is something else. */
const SCHEMA_KEYWORDS = [
  '$schema',
  '$ref',
  '$id',
  '$defs',
  'definitions',
  'type',
  'properties',
  'items',
  'enum',
  'const',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'required',
  'additionalProperties',
  'patternProperties',
  'if',
];

/**
 * Reads `file` (YAML or JSON). `root` is what error messages and `$ref`s across files are
 * relative to: the working directory, or the tree materialized from a git ref.
 */
export function loadSide(file: string, label: string, root: string): ContractSide {
  const cache = new DocumentCache(root);
  let doc: JsonValue;
  try {
    doc = cache.get(file);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    const cause = error.cause instanceof Error ? `: ${error.cause.message.split('\n')[0]}` : '';
    throw new InputError(label, `${error.reason}${cause}`, { cause: error });
  }
  if (isObject(doc) && 'asyncapi' in doc) {
    if (typeof doc.asyncapi !== 'string' || !doc.asyncapi.startsWith('3.')) {
      throw new InputError(label, `AsyncAPI ${JSON.stringify(doc.asyncapi)} is not supported: the gate reads AsyncAPI 3 documents`);
    }
    try {
      return readAsyncApiSide(cache, file, label);
    } catch (error) {
      if (error instanceof ContractError) throw new InputError(label, error.message, { cause: error });
      throw error;
    }
  }
  if (isObject(doc) && SCHEMA_KEYWORDS.some((keyword) => keyword in doc)) return plainSchemaSide(file, label, doc);
  throw new InputError(label, 'neither an AsyncAPI 3 document (no `asyncapi: 3.x`) nor a JSON Schema (no schema keyword at its root)');
}

/** A plain JSON Schema is one anonymous subject, named after its file (`order.schema.json` -> `order`). */
function plainSchemaSide(file: string, label: string, schema: JsonObject): ContractSide {
  const name =
    path
      .basename(file)
      .replace(/\.(json|ya?ml)$/i, '')
      .replace(/\.schema$/i, '') || 'schema';
  const subject: SideSubject = {
    subject: name,
    version: typeof schema['x-version'] === 'string' ? schema['x-version'] : undefined,
    compatibility:
      schema['x-compatibility'] === undefined ? DEFAULT_MODE : parseMode(schema['x-compatibility'], `${label} /x-compatibility`),
    contentType: 'application/json',
    address: name,
    // The gate's own extensions are not part of the schema a validator sees.
    payloadSchema: Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith('x-'))) as JsonObject,
    source: { file, base: '' },
  };
  return { kind: 'schema', file, label, subjects: [subject], channels: new Map(), operations: new Map() };
}

/** Two plain schemas are the same subject whatever their file names (`old.json` vs `new.json`). */
export function pairPlainSubjects(old: ContractSide, next: ContractSide): void {
  const [a, b] = [old.subjects[0], next.subjects[0]];
  if (a && b && a.subject !== b.subject) {
    a.subject = 'schema';
    b.subject = 'schema';
    a.address = 'schema';
    b.address = 'schema';
  }
}
