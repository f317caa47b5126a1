// Reads one AsyncAPI 3 document (a domain document with refs into ../common, or the bundled
// asyncapi.yaml) into what the gate compares: subjects, channels and operations.
import { isObject, type JsonObject, type JsonValue } from '../codegen/json.js';
import { type DocumentCache, deref, type RefTarget } from '../codegen/load.js';
import { DRAFT_07, reachableDefinitions, SchemaBundler, schemaId } from '../codegen/schemas.js';
import { InputError } from './errors.js';
import { parseMode } from './modes.js';
import type { ContractSide } from './side.js';
import { DEFAULT_MODE, type SideSubject } from './subject.js';

const JSON_SCHEMA_FORMATS = /^application\/(vnd\.aai\.asyncapi|schema\+json|schema\+yaml)/;

export const escapeToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeToken = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** `deref`, but an inline node keeps the pointer where it was written (deref reports '' for it). */
function derefAt(cache: DocumentCache, file: string, pointer: string, node: JsonValue): RefTarget {
  return isObject(node) && typeof node.$ref === 'string' ? deref(cache, file, node) : { file, pointer, node };
}

export function readAsyncApiSide(cache: DocumentCache, file: string, label: string): ContractSide {
  const doc = cache.get(file) as JsonObject;
  const payloads = new SchemaBundler(cache, { nameUntitled: true });
  const headers = new SchemaBundler(cache, { nameUntitled: true });
  const definitions = { payload: payloads.sources, headers: headers.sources };
  const side: ContractSide = { kind: 'asyncapi', file, label, subjects: [], channels: new Map(), operations: new Map() };
  const defaultContentType = typeof doc.defaultContentType === 'string' ? doc.defaultContentType : 'application/json';

  for (const [channelId, channelNode] of Object.entries(isObject(doc.channels) ? doc.channels : {})) {
    const channel = derefAt(cache, file, `/channels/${escapeToken(channelId)}`, channelNode);
    if (!isObject(channel.node)) throw new InputError(label, `${channel.pointer}: a channel must be a mapping`);
    const address = typeof channel.node.address === 'string' ? channel.node.address : channelId;
    const messageEntries = Object.entries(isObject(channel.node.messages) ? channel.node.messages : {});
    const info = { id: channelId, address, messageIds: messageEntries.map(([id]) => id), subjects: [] as string[] };
    side.channels.set(channelId, info);

    for (const [messageId, messageNode] of messageEntries) {
      const message = derefAt(cache, channel.file, `${channel.pointer}/messages/${escapeToken(messageId)}`, messageNode);
      const m = message.node;
      if (!isObject(m)) throw new InputError(label, `${message.pointer}: a message must be a mapping`);
      const at = `${label} ${message.pointer}`;
      let subject = typeof m['x-subject'] === 'string' ? m['x-subject'] : address;
      if (typeof m['x-subject'] !== 'string' && messageEntries.length > 1) subject = `${address}#${messageId}`;
      if (side.subjects.some((s) => s.subject === subject)) subject = `${subject}#${messageId}`;
      const version = typeof m['x-version'] === 'string' ? m['x-version'] : undefined;
      const payload = schemaOf(m.payload, `${at}/payload`);
      side.subjects.push({
        subject,
        version,
        compatibility: m['x-compatibility'] === undefined ? DEFAULT_MODE : parseMode(m['x-compatibility'], `${at}/x-compatibility`),
        contentType: typeof m.contentType === 'string' ? m.contentType : defaultContentType,
        address,
        payloadSchema: standalone(payloads, payload, message.file, version && schemaId(subject, version)),
        headersSchema:
          m.headers === undefined
            ? undefined
            : standalone(headers, schemaOf(m.headers, `${at}/headers`), message.file, version && schemaId(subject, version, 'headers')),
        channelId,
        messageId,
        source: { file: message.file, base: message.pointer, definitions },
      } satisfies SideSubject);
      info.subjects.push(subject);
    }
  }

  for (const [operationId, operationNode] of Object.entries(isObject(doc.operations) ? doc.operations : {})) {
    const operation = derefAt(cache, file, `/operations/${escapeToken(operationId)}`, operationNode).node;
    if (!isObject(operation)) throw new InputError(label, `/operations/${operationId}: an operation must be a mapping`);
    const ref = isObject(operation.channel) ? operation.channel.$ref : undefined;
    const channelId = typeof ref === 'string' && ref.startsWith('#/channels/') ? unescapeToken(ref.slice('#/channels/'.length)) : undefined;
    side.operations.set(operationId, { id: operationId, action: String(operation.action ?? ''), channelId });
  }
  return side;
}

/** The JSON Schema of a payload or headers, unwrapping AsyncAPI 3's multi-format schema object. */
function schemaOf(node: JsonValue | undefined, at: string): JsonObject {
  if (!isObject(node)) return {};
  if (typeof node.schemaFormat === 'string' && node.schema !== undefined) {
    if (!JSON_SCHEMA_FORMATS.test(node.schemaFormat)) {
      throw new InputError(at, `schemaFormat ${node.schemaFormat} is not supported: the gate compares JSON Schema only`);
    }
    return isObject(node.schema) ? node.schema : {};
  }
  return node;
}

/** A self-contained draft-07 schema (as the generator builds them); without `$id` when there is no version. */
function standalone(bundler: SchemaBundler, node: JsonObject, file: string, id: string | undefined): JsonObject {
  const root = bundler.inlineRoot(node, file);
  const defs = reachableDefinitions(root, bundler.definitions);
  const schema: JsonObject = { $schema: DRAFT_07, ...(id ? { $id: id } : {}), ...root };
  if (Object.keys(defs).length > 0) schema.definitions = defs;
  return schema;
}
