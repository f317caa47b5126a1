// Reads the AsyncAPI documents under contracts/ and turns them into the subject list
// every emitter works from. All `$ref`s (local and into common/) are resolved here, once.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContractError } from './errors.js';
import { isObject, type JsonObject, type JsonValue } from './json.js';
import {
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  type ConsumerSpec,
  type ContractSet,
  type LoadedDocument,
  type SubjectContract,
} from './model.js';

const SEMVER = /^\d+\.\d+\.\d+$/;

/** Every `*.asyncapi.yaml` below `contractsDir`, sorted so output never depends on readdir order. */
export function findContractFiles(contractsDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.asyncapi.yaml')) found.push(full);
    }
  };
  walk(contractsDir);
  return found;
}

/** Parses YAML files once each; refs from several documents share the same object. */
export class DocumentCache {
  private readonly docs = new Map<string, JsonValue>();
  constructor(private readonly rootDir: string) {}

  get(file: string): JsonValue {
    const abs = path.resolve(file);
    let doc = this.docs.get(abs);
    if (doc === undefined) {
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (cause) {
        throw new ContractError(this.relative(abs), '', 'cannot read file', { cause });
      }
      try {
        doc = parseYaml(text) as JsonValue;
      } catch (cause) {
        throw new ContractError(this.relative(abs), '', `invalid YAML: ${(cause as Error).message}`, { cause });
      }
      this.docs.set(abs, doc);
    }
    return doc;
  }

  relative(file: string): string {
    return path.relative(this.rootDir, path.resolve(file)).split(path.sep).join('/');
  }
}

/** A `$ref` target: the file it lives in, its JSON pointer there, and the node itself. */
export interface RefTarget {
  file: string;
  pointer: string;
  node: JsonValue;
}

export function resolveRef(cache: DocumentCache, fromFile: string, ref: string): RefTarget {
  const [filePart = '', fragment = ''] = ref.split('#', 2);
  const file = filePart === '' ? path.resolve(fromFile) : path.resolve(path.dirname(fromFile), filePart);
  const pointer = fragment;
  let node: JsonValue | undefined = cache.get(file);
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    if (node === undefined) {
      throw new ContractError(cache.relative(fromFile), ref, `$ref target ${pointer} not found in ${cache.relative(file)}`);
    }
  }
  return { file, pointer, node: node as JsonValue };
}

/** Follows a chain of `$ref`s until a concrete node. */
export function deref(cache: DocumentCache, fromFile: string, node: JsonValue): RefTarget {
  let target: RefTarget = { file: fromFile, pointer: '', node };
  for (let hops = 0; isObject(target.node) && typeof target.node.$ref === 'string'; hops++) {
    if (hops > 32) throw new ContractError(cache.relative(fromFile), String(node), '$ref cycle');
    target = resolveRef(cache, target.file, target.node.$ref as string);
  }
  return target;
}

function requireString(doc: string, at: string, value: JsonValue | undefined, what: string): string {
  if (typeof value !== 'string' || value === '') throw new ContractError(doc, at, `${what} must be a non-empty string`);
  return value;
}

export function loadContracts(rootDir: string, contractsDir = path.join(rootDir, 'contracts')): ContractSet {
  const cache = new DocumentCache(rootDir);
  const documents: LoadedDocument[] = [];
  const subjects: SubjectContract[] = [];
  const consumers: ConsumerSpec[] = [];

  for (const file of findContractFiles(contractsDir)) {
    const rel = cache.relative(file);
    const doc = cache.get(file);
    if (!isObject(doc)) throw new ContractError(rel, '', 'document must be a YAML mapping');
    if (typeof doc.asyncapi !== 'string' || !doc.asyncapi.startsWith('3.')) {
      throw new ContractError(rel, '/asyncapi', `must be an AsyncAPI 3.x document, found ${JSON.stringify(doc.asyncapi)}`);
    }
    const domain = path.basename(path.dirname(file));
    documents.push({ file, relativePath: rel, domain, doc });
    subjects.push(...loadSubjects(cache, file, rel, domain, doc));
    consumers.push(...loadConsumers(cache, file, rel, doc));
  }

  checkUnique(
    subjects.map((s) => [s.subject, s.sourceFile]),
    'subject',
  );
  checkUnique(
    subjects.map((s) => [s.name, s.sourceFile]),
    'message name',
  );
  checkUnique(
    consumers.map((c) => [c.durable, c.sourceFile]),
    'durable consumer',
  );
  for (const consumer of consumers) {
    if (!subjects.some((s) => s.subject === consumer.subject)) {
      throw new ContractError(consumer.sourceFile, consumer.operationId, `receives ${consumer.subject}, which no contract defines`);
    }
  }
  subjects.sort((a, b) => a.subject.localeCompare(b.subject));
  consumers.sort((a, b) => a.durable.localeCompare(b.durable));
  return { cache, documents, subjects, consumers };
}

function checkUnique(pairs: [string, string][], what: string): void {
  const seen = new Map<string, string>();
  for (const [key, file] of pairs) {
    const other = seen.get(key);
    if (other !== undefined) throw new ContractError(file, key, `duplicate ${what} (also in ${other})`);
    seen.set(key, file);
  }
}

function loadSubjects(cache: DocumentCache, file: string, rel: string, domain: string, doc: JsonObject): SubjectContract[] {
  const channels = isObject(doc.channels) ? doc.channels : {};
  const result: SubjectContract[] = [];
  for (const [channelId, channelNode] of Object.entries(channels)) {
    const channel = deref(cache, file, channelNode).node;
    const at = `/channels/${channelId}`;
    if (!isObject(channel)) throw new ContractError(rel, at, 'channel must be a mapping');
    const address = requireString(rel, `${at}/address`, channel.address, 'address');
    const messages = isObject(channel.messages) ? Object.entries(channel.messages) : [];
    if (messages.length !== 1)
      throw new ContractError(rel, `${at}/messages`, `a channel carries exactly one message, found ${messages.length}`);
    const [, messageRef] = messages[0] as [string, JsonValue];
    const message = deref(cache, file, messageRef);
    const name = message.pointer.split('/').pop() ?? '';
    const m = message.node;
    const mAt = `${message.pointer}`;
    if (!isObject(m)) throw new ContractError(rel, mAt, 'message must be a mapping');
    const subject = requireString(rel, `${mAt}/x-subject`, m['x-subject'], 'x-subject');
    if (subject !== address)
      throw new ContractError(rel, `${mAt}/x-subject`, `x-subject ${subject} differs from the channel address ${address}`);
    const version = requireString(rel, `${mAt}/x-version`, m['x-version'], 'x-version');
    if (!SEMVER.test(version)) throw new ContractError(rel, `${mAt}/x-version`, `x-version ${version} is not semver (MAJOR.MINOR.PATCH)`);
    const compatibility = (m['x-compatibility'] ?? 'BACKWARD_TRANSITIVE') as CompatibilityMode;
    if (!COMPATIBILITY_MODES.includes(compatibility)) {
      throw new ContractError(rel, `${mAt}/x-compatibility`, `must be one of ${COMPATIBILITY_MODES.join(', ')}`);
    }
    const payload = m.payload;
    if (!isObject(payload)) throw new ContractError(rel, `${mAt}/payload`, 'payload schema is missing');
    const headers = m.headers;
    if (!isObject(headers)) throw new ContractError(rel, `${mAt}/headers`, 'headers schema is missing');
    const examples = Array.isArray(m.examples) ? m.examples.filter(isObject) : [];
    result.push({
      subject,
      name,
      version,
      compatibility,
      owner: requireString(rel, `${mAt}/x-owner`, m['x-owner'], 'x-owner'),
      domain,
      channelId,
      title: typeof m.title === 'string' ? m.title : name,
      summary: typeof m.summary === 'string' ? m.summary : '',
      contentType: typeof m.contentType === 'string' ? m.contentType : String(doc.defaultContentType ?? 'application/json'),
      sourceFile: rel,
      absoluteFile: message.file,
      payload,
      headers,
      examples: examples.map((e, i) => ({
        name: typeof e.name === 'string' ? e.name : `example-${i + 1}`,
        summary: typeof e.summary === 'string' ? e.summary : '',
        headers: isObject(e.headers) ? e.headers : {},
        payload: e.payload ?? null,
      })),
    });
  }
  return result;
}

function loadConsumers(cache: DocumentCache, file: string, rel: string, doc: JsonObject): ConsumerSpec[] {
  const operations = isObject(doc.operations) ? doc.operations : {};
  const result: ConsumerSpec[] = [];
  for (const [operationId, opNode] of Object.entries(operations)) {
    const op = deref(cache, file, opNode).node;
    if (!isObject(op) || op.action !== 'receive') continue;
    const at = `/operations/${operationId}`;
    const channelRef = isObject(op.channel) ? op.channel : {};
    const channel = deref(cache, file, channelRef).node;
    if (!isObject(channel)) throw new ContractError(rel, `${at}/channel`, 'channel reference does not resolve');
    const maxAckPending = op['x-max-ack-pending'];
    if (maxAckPending !== undefined && (typeof maxAckPending !== 'number' || !Number.isInteger(maxAckPending) || maxAckPending < 1)) {
      throw new ContractError(rel, `${at}/x-max-ack-pending`, 'must be a positive integer');
    }
    result.push({
      operationId,
      service: requireString(rel, `${at}/x-service`, op['x-service'], 'x-service'),
      durable: requireString(rel, `${at}/x-durable`, op['x-durable'], 'x-durable'),
      subject: requireString(rel, `${at}/channel`, channel.address, 'channel address'),
      maxAckPending: typeof maxAckPending === 'number' ? maxAckPending : undefined,
      sourceFile: rel,
    });
  }
  return result;
}
