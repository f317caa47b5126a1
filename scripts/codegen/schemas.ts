// Turns contract schemas (with `$ref`s across files) into self-contained JSON Schemas whose
// named parts live under `definitions`, named by their `title`: the same names the types get.
import { ContractError } from './errors.js';
import { isObject, type JsonObject, type JsonValue } from './json.js';
import { type DocumentCache, type RefTarget, resolveRef } from './load.js';

/** Keywords whose values are instance data, not schemas: never walked for `$ref`s. */
const DATA_KEYWORDS = new Set(['examples', 'default', 'const', 'enum']);

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export function schemaId(subject: string, version: string, part: 'payload' | 'headers' = 'payload'): string {
  return `urn:trading-platform:contracts:${subject}:${version}${part === 'headers' ? ':headers' : ''}`;
}

export interface SchemaBundlerOptions {
  /**
   * Name a referenced schema without a usable title after its place (`Instrument`, `Instrument_2`)
   * instead of failing. The compatibility gate reads documents it does not own; the generator
   * keeps the strict default because the names become type names.
   */
  nameUntitled?: boolean;
}

/**
 * Collects named schemas into one definitions map. Two different schemas with one title
 * would become two types with one name, so that is an error naming both places.
 */
export class SchemaBundler {
  readonly definitions = new Map<string, JsonObject>();
  /** Where each definition came from, so a finding in a bundled schema can point at its source line. */
  readonly sources = new Map<string, RefTarget>();
  private readonly origins = new Map<string, string>();
  private readonly fallbackNames = new Map<string, string>();

  constructor(
    private readonly cache: DocumentCache,
    private readonly options: SchemaBundlerOptions = {},
  ) {}

  /** Inlines `node` (found in `file`), replacing every `$ref` by `#/definitions/<title>`. */
  inline(node: JsonValue, file: string): JsonValue {
    if (Array.isArray(node)) return node.map((item) => this.inline(item, file));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string') return { $ref: `#/definitions/${this.define(node.$ref, file)}` };
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) continue;
      out[key] = DATA_KEYWORDS.has(key) ? value : this.inline(value, file);
    }
    return out;
  }

  /** Inlines the schema a `$ref` (or a plain schema) points to, at the top level. */
  inlineRoot(node: JsonObject, file: string): JsonObject {
    if (typeof node.$ref !== 'string') return this.inline(node, file) as JsonObject;
    const target = resolveRef(this.cache, file, node.$ref);
    if (!isObject(target.node)) throw new ContractError(this.cache.relative(file), node.$ref, 'schema must be a mapping');
    return this.inline(target.node, target.file) as JsonObject;
  }

  private define(ref: string, fromFile: string): string {
    const target = resolveRef(this.cache, fromFile, ref);
    const where = `${this.cache.relative(target.file)}#${target.pointer}`;
    if (!isObject(target.node)) throw new ContractError(this.cache.relative(fromFile), ref, 'schema must be a mapping');
    const title = target.node.title;
    const titled = typeof title === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(title);
    if (!titled && !this.options.nameUntitled) {
      throw new ContractError(where, '/title', 'a referenced schema needs a PascalCase title: it names the generated type');
    }
    let name = titled ? title : this.fallbackName(where, target.pointer);
    const origin = this.origins.get(name);
    if (origin !== undefined && origin !== where) {
      if (!this.options.nameUntitled) throw new ContractError(where, '/title', `title ${name} is already used by ${origin}`);
      name = this.fallbackName(where, target.pointer);
    }
    if (this.origins.has(name)) return name;
    this.origins.set(name, where);
    this.sources.set(name, target);
    this.definitions.set(name, {}); // placeholder first, so recursive schemas terminate
    this.definitions.set(name, this.inline(target.node, target.file) as JsonObject);
    return name;
  }

  /** A stable, unused name for the schema at `where`: its last pointer token, suffixed on a clash. */
  private fallbackName(where: string, pointer: string): string {
    const known = this.fallbackNames.get(where);
    if (known !== undefined) return known;
    const base = (pointer.split('/').pop() ?? '').replace(/[^A-Za-z0-9_]/g, '_') || 'Schema';
    let name = base;
    for (let n = 2; this.origins.has(name) && this.origins.get(name) !== where; n++) name = `${base}_${n}`;
    this.fallbackNames.set(where, name);
    return name;
  }
}

/** The definitions a schema reaches through `$ref`s, transitively, sorted by name. */
export function reachableDefinitions(root: JsonValue, definitions: Map<string, JsonObject>): JsonObject {
  const names = new Set<string>();
  const visit = (node: JsonValue): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/')) {
        const name = node.$ref.slice('#/definitions/'.length);
        if (!names.has(name)) {
          names.add(name);
          visit(definitions.get(name) ?? {});
        }
      }
      for (const [key, value] of Object.entries(node)) if (!DATA_KEYWORDS.has(key)) visit(value);
    }
  };
  visit(root);
  const out: JsonObject = {};
  for (const name of [...names].sort()) out[name] = definitions.get(name) as JsonObject;
  return out;
}

/** A standalone draft-07 schema with an `$id` and only the definitions it needs. */
export function standaloneSchema(id: string, root: JsonObject, definitions: Map<string, JsonObject>): JsonObject {
  const defs = reachableDefinitions(root, definitions);
  const schema: JsonObject = { $schema: DRAFT_07, $id: id, ...root };
  if (Object.keys(defs).length > 0) schema.definitions = defs;
  return schema;
}
