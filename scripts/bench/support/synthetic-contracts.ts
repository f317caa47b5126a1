// Synthetic contract sets for the generator benchmark: N channels made of copies of the
// platform's own domain documents (real payloads, examples, consumers), every copy renamed so
// that subjects, message and type names, operations and durables stay unique:
//   signals.raw -> b2.signals.raw, SignalRaw -> SignalRawB2, exec-sim-prices -> exec-sim-prices-b2.
// The last copy keeps only the channels still needed to reach N (with their operations and messages).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { findContractFiles } from '../../codegen/load.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Sections whose keys are names other parts point at with local `$ref`s. */
const NAMED_SECTIONS = new Set(['channels', 'operations', 'messages', 'schemas']);
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

interface Template {
  domain: string;
  fileName: string;
  doc: JsonObject;
}

function readTemplates(contractsDir: string): Template[] {
  return findContractFiles(contractsDir)
    .filter((file) => !file.includes(`${path.sep}released${path.sep}`))
    .map((file) => ({
      domain: path.basename(path.dirname(file)),
      fileName: path.basename(file),
      doc: parseYaml(readFileSync(file, 'utf8')) as JsonObject,
    }));
}

const channelsOf = (doc: JsonObject): JsonObject => (isObject(doc.channels) ? doc.channels : {});

/** Copy `k` of a document: every name it defines and every local `$ref` to one gets the copy's suffix. */
function renamed(doc: JsonObject, k: number): JsonObject {
  const suffix = `B${k}`;
  const subjects = new Map<string, string>();
  for (const channel of Object.values(channelsOf(doc))) {
    if (isObject(channel) && typeof channel.address === 'string') subjects.set(channel.address, `b${k}.${channel.address}`);
  }
  const renameRef = (ref: string): string => {
    if (!ref.startsWith('#/')) return ref;
    const parts = ref.slice(2).split('/');
    return `#/${parts.map((part, i) => (i > 0 && NAMED_SECTIONS.has(parts[i - 1] as string) ? `${part}${suffix}` : part)).join('/')}`;
  };
  const walk = (node: Json, parentKey: string | undefined): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (isObject(node)) {
      const out: JsonObject = {};
      for (const [key, value] of Object.entries(node)) {
        const name = parentKey !== undefined && NAMED_SECTIONS.has(parentKey) ? `${key}${suffix}` : key;
        if (key === '$ref' && typeof value === 'string') out[key] = renameRef(value);
        else if (key === 'x-durable' && typeof value === 'string') out[key] = `${value}-b${k}`;
        else if (key === 'title' && typeof value === 'string' && TYPE_NAME.test(value)) out[key] = `${value}${suffix}`;
        else out[name] = walk(value, key);
      }
      return out;
    }
    return typeof node === 'string' ? (subjects.get(node) ?? node) : node;
  };
  return walk(doc, undefined) as JsonObject;
}

/** The document with only the channels in `keep`, and the operations and messages that go with them. */
function pruned(doc: JsonObject, keep: Set<string>): JsonObject {
  const channels = Object.fromEntries(Object.entries(channelsOf(doc)).filter(([id]) => keep.has(id)));
  const operations = Object.fromEntries(
    Object.entries(isObject(doc.operations) ? doc.operations : {}).filter(([, op]) => {
      const ref = isObject(op) && isObject(op.channel) ? op.channel.$ref : undefined;
      return typeof ref === 'string' && keep.has(ref.split('/')[2] ?? '');
    }),
  );
  const usedMessages = new Set(
    Object.values(channels).flatMap((channel) =>
      Object.values(isObject(channel) && isObject(channel.messages) ? channel.messages : {}).map((m) =>
        isObject(m) && typeof m.$ref === 'string' ? (m.$ref.split('/').pop() ?? '') : '',
      ),
    ),
  );
  const components = isObject(doc.components) ? doc.components : {};
  const messages = Object.fromEntries(
    Object.entries(isObject(components.messages) ? components.messages : {}).filter(([name]) => usedMessages.has(name)),
  );
  return { ...doc, channels, operations, components: { ...components, messages } };
}

/**
 * Writes `<rootDir>/contracts` with `channels` channels: platform.yaml and common/ from the
 * platform, then renamed copies of its domain documents, one directory per copy and domain.
 */
export function writeSyntheticContracts(sourceContractsDir: string, rootDir: string, channels: number): void {
  if (!Number.isInteger(channels) || channels < 1)
    throw new Error(`a synthetic set needs a positive whole number of channels, got ${channels}`);
  const contractsDir = path.join(rootDir, 'contracts');
  mkdirSync(contractsDir, { recursive: true });
  cpSync(path.join(sourceContractsDir, 'platform.yaml'), path.join(contractsDir, 'platform.yaml'));
  cpSync(path.join(sourceContractsDir, 'common'), path.join(contractsDir, 'common'), { recursive: true });
  const templates = readTemplates(sourceContractsDir);
  const perCopy = templates.reduce((sum, t) => sum + Object.keys(channelsOf(t.doc)).length, 0);
  if (perCopy === 0) throw new Error(`no channels in ${sourceContractsDir}`);
  let left = channels;
  for (let k = 1; left > 0; k++) {
    for (const template of templates) {
      if (left === 0) break;
      let doc = renamed(template.doc, k);
      const ids = Object.keys(channelsOf(doc));
      if (ids.length === 0) continue;
      if (ids.length > left) doc = pruned(doc, new Set(ids.slice(0, left)));
      left -= Math.min(ids.length, left);
      const dir = path.join(contractsDir, `${template.domain}-b${k}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, template.fileName), stringify(doc, { lineWidth: 0 }));
    }
  }
}

/**
 * A changed copy of a contracts directory: every message payload gains an optional field (an
 * additive change) and the first one also a new required field (a breaking one under
 * BACKWARD modes), so the gate has findings on every channel and exactly one break to report.
 */
export function writeChangedContracts(contractsDir: string, targetRootDir: string): void {
  const target = path.join(targetRootDir, 'contracts');
  cpSync(contractsDir, target, { recursive: true });
  let first = true;
  for (const file of findContractFiles(target)) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as JsonObject;
    const components = isObject(doc.components) ? doc.components : {};
    const schemas = isObject(components.schemas) ? components.schemas : {};
    const messages = isObject(components.messages) ? components.messages : {};
    for (const message of Object.values(messages)) {
      const ref = isObject(message) && isObject(message.payload) ? message.payload.$ref : undefined;
      const schema = typeof ref === 'string' ? schemas[ref.split('/').pop() ?? ''] : undefined;
      if (!isObject(schema) || !isObject(schema.properties)) continue;
      schema.properties.benchNote = { type: 'string', maxLength: 200, description: 'A note added by the generator benchmark.' };
      if (first) {
        schema.properties.benchRequired = { type: 'string', description: 'A required field added by the generator benchmark.' };
        schema.required = [...(Array.isArray(schema.required) ? schema.required : []), 'benchRequired'];
        first = false;
      }
    }
    writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  }
}
