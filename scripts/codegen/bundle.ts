// Builds the root asyncapi.yaml: every domain document merged into one for integrators and
// the HTML docs, with refs into contracts/common rewritten to components.schemas.
import path from 'node:path';
import { stringify } from 'yaml';
import { ContractError } from './errors.js';
import { generatedHeader } from './header.js';
import { isObject, type JsonObject, type JsonValue } from './json.js';
import type { DocumentCache } from './load.js';
import type { ContractSet } from './model.js';

const SECTIONS = [['channels'], ['operations'], ['components', 'messages'], ['components', 'schemas']] as const;

/** Rewrites a `$ref` made in `fromFile` into one that works inside the merged document. */
function rewriteRef(ref: string, fromFile: string, commonFiles: Set<string>, cache: DocumentCache): string {
  const [filePart = '', pointer = ''] = ref.split('#', 2);
  const target = filePart === '' ? path.resolve(fromFile) : path.resolve(path.dirname(fromFile), filePart);
  if (commonFiles.has(target)) return `#/components/schemas${pointer}`;
  if (target === path.resolve(fromFile)) return `#${pointer}`;
  throw new ContractError(cache.relative(fromFile), ref, 'refs may point into the same document or into contracts/common only');
}

function rewriteRefs(node: JsonValue, fromFile: string, commonFiles: Set<string>, cache: DocumentCache): JsonValue {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, fromFile, commonFiles, cache));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? rewriteRef(value, fromFile, commonFiles, cache)
        : rewriteRefs(value, fromFile, commonFiles, cache);
  }
  return out;
}

function mergeInto(target: JsonObject, source: JsonObject, where: string, owners: Map<string, string>, file: string): void {
  for (const [key, value] of Object.entries(source)) {
    const id = `${where}/${key}`;
    const owner = owners.get(id);
    if (owner !== undefined && JSON.stringify(target[key]) !== JSON.stringify(value)) {
      throw new ContractError(file, id, `also defined differently in ${owner}`);
    }
    owners.set(id, file);
    target[key] = value;
  }
}

export function bundleAsyncApi(set: ContractSet, platformFile: string, commonDir: string): string {
  const platform = set.cache.get(platformFile);
  if (!isObject(platform)) throw new ContractError(set.cache.relative(platformFile), '', 'must be a YAML mapping');
  const commonFile = path.resolve(commonDir, 'schemas.yaml');
  const commonFiles = new Set([commonFile]);
  const merged: Record<string, JsonObject> = { channels: {}, operations: {}, messages: {}, schemas: {} };
  const owners = new Map<string, string>();

  const common = set.cache.get(commonFile);
  if (!isObject(common)) throw new ContractError(set.cache.relative(commonFile), '', 'must be a YAML mapping of schemas');
  mergeInto(
    merged.schemas as JsonObject,
    rewriteRefs(common, commonFile, commonFiles, set.cache) as JsonObject,
    '/components/schemas',
    owners,
    set.cache.relative(commonFile),
  );

  for (const { file, relativePath, doc } of set.documents) {
    for (const sectionPath of SECTIONS) {
      let section: JsonValue | undefined = doc;
      for (const key of sectionPath) section = isObject(section) ? section[key] : undefined;
      if (!isObject(section)) continue;
      const name = sectionPath[sectionPath.length - 1] as string;
      const rewritten = rewriteRefs(section, file, commonFiles, set.cache) as JsonObject;
      mergeInto(merged[name] as JsonObject, rewritten, `/${sectionPath.join('/')}`, owners, relativePath);
    }
  }

  const document: JsonObject = {
    asyncapi: '3.0.0',
    info: platform.info ?? {},
    defaultContentType: platform.defaultContentType ?? 'application/json',
    servers: platform.servers ?? {},
    channels: merged.channels as JsonObject,
    operations: merged.operations as JsonObject,
    components: { messages: merged.messages as JsonObject, schemas: merged.schemas as JsonObject },
  };
  const sources = [set.cache.relative(platformFile), set.cache.relative(commonFile), ...set.documents.map((d) => d.relativePath)];
  return `${generatedHeader(sources, 'AsyncAPI bundle', '#')}${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
