// An instance-level oracle for the schema compatibility tests, independent of the engine: ajv
// (draft-07, ajv-formats) decides validity, and a deterministic sampler derives probe instances
// from the schemas themselves (property names, enum/const values, bounds, lengths, formats) so
// that probes often validate and therefore exercise the interesting side of each change.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose .default is the plugin.
const addFormats = addFormatsModule.default;

export type SchemaObject = Record<string, unknown>;

export function isRecord(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * ajv with mathematical multipleOf: by default ajv tests `x / m === parseInt(x / m)`, which says
 * 0.07 is not a multiple of 0.01 and 1e21 is not a multiple of 1 (floating point and parseInt of
 * '1e+21'). multipleOfPrecision makes it compare within 1e-9 instead, which is the semantics the
 * engine reasons about.
 */
export function createOracleAjv(): Ajv {
  const ajv = new Ajv({ strict: false, multipleOfPrecision: 9 });
  addFormats(ajv);
  return ajv;
}

/** Compiles schemas once per distinct JSON text. */
export class Oracle {
  private readonly ajv = createOracleAjv();
  private readonly cache = new Map<string, ValidateFunction>();

  validator(schema: unknown): (instance: unknown) => boolean {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema as boolean | SchemaObject);
      this.cache.set(key, validate);
    }
    const compiled = validate;
    return (instance) => compiled(instance) === true;
  }

  /** Validity of an instance against a subschema whose $refs point into `root`'s definitions/$defs. */
  validIn(subschema: unknown, root: unknown, instance: unknown): boolean {
    return this.validator(withRootDefinitions(subschema, root))(instance);
  }
}

/** A subschema made self-contained: the root's definitions/$defs are copied next to it. */
export function withRootDefinitions(subschema: unknown, root: unknown): unknown {
  if (!isRecord(subschema) || !isRecord(root) || subschema === root) return subschema;
  const out: SchemaObject = { ...subschema };
  for (const key of ['definitions', '$defs']) {
    const fromRoot = root[key];
    if (isRecord(fromRoot)) out[key] = { ...fromRoot, ...(isRecord(subschema[key]) ? subschema[key] : {}) };
  }
  return out;
}

/** Resolves `#/definitions/X`, `#/$defs/X` (any local JSON pointer) against the root. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const path = ref.slice(1);
  if (path === '') return root;
  let node: unknown = root;
  for (const raw of path.split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

// --- probe values -------------------------------------------------------------------------------

export const FORMAT_SAMPLES: Record<string, string[]> = {
  'date-time': ['2024-01-15T10:30:00Z', '2024-01-15T10:30:00.123+02:00'],
  date: ['2024-01-15'],
  time: ['10:30:00Z'],
  email: ['user@example.com', 'a.b@example.org'],
  uuid: ['123e4567-e89b-12d3-a456-426614174000'],
  uri: ['https://example.com/a?b=c'],
  hostname: ['example.com'],
  ipv4: ['192.168.0.1'],
};

const FORMAT_STRINGS = Object.values(FORMAT_SAMPLES).flat();

/** Fixed probe values of every JSON type (about fifty, formats included). */
export const PROBES: readonly unknown[] = [
  // numbers: integers, negatives, fractions, huge
  0,
  1,
  -1,
  2,
  3,
  5,
  10,
  100,
  1000,
  -100,
  0.5,
  1.5,
  -0.5,
  0.25,
  0.01,
  0.07,
  3.7,
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER,
  // strings: lengths, cases, digits, formats
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'abcdef',
  'ABC',
  'Abc',
  '123',
  'hello world',
  'x'.repeat(100),
  ...FORMAT_STRINGS,
  // null, booleans
  null,
  true,
  false,
  // arrays
  [],
  [1],
  [1, 1],
  [1, 2, 3, 4, 5],
  ['a', 'b'],
  [1, 'a'],
  [[1, 2], ['a']],
  // objects
  {},
  { zzz: 1 },
  { a: 'a', b: 1 },
  { nested: { deeper: { deepest: 'x' } } },
];

/** Scalars used to fill in properties of derived objects. */
const FILL_SCALARS: readonly unknown[] = [0, 1, -1, 1.5, 1e21, '', 'a', 'abcd', 'ABC', 'x'.repeat(100), 'user@example.com', null, true];

/** Property names that are not declared anywhere (open models) or match typical patternProperties. */
export const EXTRA_KEYS: readonly string[] = ['zzz', 'x-a', 'x-id', 'y-a'];

/** Every property name a schema declares or requires, at any depth. */
export function collectPropertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  walk(schema, (node) => {
    if (isRecord(node.properties)) for (const name of Object.keys(node.properties)) into.add(name);
    if (Array.isArray(node.required)) for (const name of node.required) if (typeof name === 'string') into.add(name);
  });
  return into;
}

/** Every enum and const value a schema mentions, at any depth. */
export function collectLiterals(schema: unknown, into: unknown[] = []): unknown[] {
  walk(schema, (node) => {
    if (Array.isArray(node.enum)) into.push(...node.enum);
    if ('const' in node) into.push(node.const);
  });
  return into;
}

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'items'];
const SCHEMA_KEYWORDS = ['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else'];

/** Visits every schema object in a schema document (not following $ref). */
export function walk(schema: unknown, visit: (node: SchemaObject) => void): void {
  if (!isRecord(schema)) return;
  visit(schema);
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (isRecord(map)) for (const sub of Object.values(map)) walk(sub, visit);
  }
  for (const key of SCHEMA_ARRAY_KEYWORDS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) walk(sub, visit);
  }
  for (const key of SCHEMA_KEYWORDS) if (isRecord(schema[key])) walk(schema[key], visit);
}

/**
 * The lenient reading of a schema: every object schema that declares properties and leaves its
 * content model open (additionalProperties absent or true) is closed, so undeclared properties are
 * assumed absent. Schema-valued additionalProperties and patternProperties are kept.
 */
export function closeOpenModels(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeOpenModels);
  if (!isRecord(schema)) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, closeOpenModels(sub)]));
    } else if (SCHEMA_ARRAY_KEYWORDS.includes(key) || SCHEMA_KEYWORDS.includes(key)) {
      out[key] = closeOpenModels(value);
    } else {
      out[key] = value;
    }
  }
  if (isRecord(schema.properties) && (schema.additionalProperties === undefined || schema.additionalProperties === true)) {
    out.additionalProperties = false;
  }
  return out;
}

// --- the deterministic sampler ------------------------------------------------------------------

const ALL_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;

function typesOf(schema: SchemaObject): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [...ALL_TYPES];
}

function numbersAround(schema: SchemaObject): number[] {
  const out: number[] = [];
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    const bound = schema[key];
    if (typeof bound === 'number') out.push(bound - 1, bound - 0.5, bound, bound + 0.5, bound + 1);
  }
  const step = schema.multipleOf;
  if (typeof step === 'number') out.push(step, 2 * step, 3 * step, -step, step / 2, 1.5 * step, 100 * step);
  return out;
}

function stringsAround(schema: SchemaObject): string[] {
  const lengths = new Set<number>([1, 3, 6]);
  for (const key of ['minLength', 'maxLength']) {
    const bound = schema[key];
    if (typeof bound === 'number') for (const n of [bound - 1, bound, bound + 1]) if (n >= 0 && n <= 200) lengths.add(n);
  }
  const out: string[] = [];
  for (const n of lengths) out.push('a'.repeat(n), 'A'.repeat(n), '1'.repeat(n), 'aB1-'.repeat(n).slice(0, n));
  if (typeof schema.format === 'string') out.push(...(FORMAT_SAMPLES[schema.format] ?? []));
  if (Array.isArray(schema.enum)) out.push(...schema.enum.filter((v): v is string => typeof v === 'string'));
  return out;
}

/** Shallow merge of allOf branches into their parent (enough to build candidate instances). */
export function mergeAllOf(schema: SchemaObject, root: unknown): SchemaObject {
  const branches = Array.isArray(schema.allOf) ? schema.allOf : [];
  const merged: SchemaObject = { ...schema };
  delete merged.allOf;
  for (const raw of branches) {
    const branch = isRecord(raw) && typeof raw.$ref === 'string' ? resolvePointer(root, raw.$ref) : raw;
    if (!isRecord(branch)) continue;
    const flat = mergeAllOf(branch, root);
    for (const [key, value] of Object.entries(flat)) {
      if (key === 'properties' && isRecord(value))
        merged.properties = { ...(isRecord(merged.properties) ? merged.properties : {}), ...value };
      else if (key === 'required' && Array.isArray(value))
        merged.required = [...new Set([...(Array.isArray(merged.required) ? merged.required : []), ...value])];
      else merged[key] = value;
    }
  }
  return merged;
}

export interface SamplerOptions {
  /** Validity of an instance against a subschema of root; used to prefer valid property values. */
  validIn?: (subschema: unknown, root: unknown, instance: unknown) => boolean;
  /** Values per property kept when building objects (default 4). */
  width?: number;
}

/**
 * Candidate instances for a schema: values aimed at its bounds, enums and structure. Candidates are
 * not all valid (that is the point: they sit on both sides of each bound); callers validate them.
 */
export function sampleInstances(schema: unknown, root: unknown, depth = 4, options: SamplerOptions = {}): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of sample(schema, root, depth, options, 12)) {
    const key = JSON.stringify(value);
    if (key !== undefined && !seen.has(key)) seen.set(key, value);
  }
  return [...seen.values()];
}

function sample(schema: unknown, root: unknown, depth: number, options: SamplerOptions, refBudget: number): unknown[] {
  if (schema === true || schema === undefined) return [...FILL_SCALARS, {}, []];
  if (!isRecord(schema)) return [];
  if (typeof schema.$ref === 'string') {
    return refBudget > 0 ? sample(resolvePointer(root, schema.$ref), root, depth, options, refBudget - 1) : [];
  }
  if (Array.isArray(schema.allOf)) return sample(mergeAllOf(schema, root), root, depth, options, refBudget);
  const out: unknown[] = [];
  if (Array.isArray(schema.enum)) out.push(...schema.enum);
  if ('const' in schema) out.push(schema.const);
  for (const key of ['anyOf', 'oneOf']) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const rest = { ...schema };
      delete rest[key];
      for (const branch of branches) {
        // the branch together with its siblings (e.g. a shared `type` or `properties`)
        const combined = isRecord(branch) && !('$ref' in branch) ? { ...rest, ...branch } : { allOf: [rest, branch] };
        out.push(...sample(combined, root, depth, options, refBudget));
      }
    }
  }
  for (const type of typesOf(schema)) {
    switch (type) {
      case 'string':
        out.push('', 'a', 'abcd', 'ABC', 'x'.repeat(100), ...FORMAT_STRINGS, ...stringsAround(schema));
        break;
      case 'number':
        out.push(0, 1, -1, 1.5, -0.5, 0.01, 0.07, 1e21, ...numbersAround(schema));
        break;
      case 'integer':
        out.push(0, 1, -1, 2, 1e21, ...numbersAround(schema).filter(Number.isInteger));
        break;
      case 'boolean':
        out.push(true, false);
        break;
      case 'null':
        out.push(null);
        break;
      case 'object':
        out.push({});
        if (depth > 0) out.push(...sampleObjects(schema, root, depth - 1, options));
        break;
      case 'array':
        out.push([]);
        if (depth > 0) out.push(...sampleArrays(schema, root, depth - 1, options));
        break;
    }
  }
  return out;
}

function pickValues(sub: unknown, root: unknown, depth: number, options: SamplerOptions): unknown[] {
  const width = options.width ?? 4;
  const candidates = sampleInstances(sub, root, depth, options).slice(0, 400);
  if (!options.validIn) return candidates.slice(0, width);
  const valid = candidates.filter((value) => options.validIn?.(sub, root, value));
  const invalid = candidates.filter((value) => !valid.includes(value));
  // mostly valid values, plus one invalid one to probe the other side
  return [...valid.slice(0, width), ...invalid.slice(0, 1)];
}

function sampleObjects(schema: SchemaObject, root: unknown, depth: number, options: SamplerOptions): unknown[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === 'string') : [];
  const names = [...new Set([...Object.keys(properties), ...required])];
  const additional = schema.additionalProperties;
  const schemaFor = (name: string): unknown => properties[name] ?? (additional === undefined ? true : additional);
  const values = new Map(names.map((name) => [name, pickValues(schemaFor(name), root, depth, options)]));
  const full: SchemaObject = {};
  for (const name of names) {
    const first = values.get(name)?.[0];
    if (first !== undefined) full[name] = first;
  }
  const out: unknown[] = [full, Object.fromEntries(Object.entries(full).filter(([name]) => required.includes(name)))];
  for (const name of names) {
    for (const value of values.get(name) ?? []) out.push({ ...full, [name]: value });
    if (!required.includes(name)) {
      const without = { ...full };
      delete without[name];
      out.push(without);
    }
  }
  const extraValues = isRecord(additional) ? pickValues(additional, root, depth, options) : [1, 'a'];
  for (const value of extraValues) out.push({ ...full, zzz: value });
  if (isRecord(schema.patternProperties)) {
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      const keys = EXTRA_KEYS.filter((key) => safeTest(pattern, key));
      for (const key of keys) for (const value of pickValues(sub, root, depth, options)) out.push({ ...full, [key]: value });
    }
  }
  return out;
}

function sampleArrays(schema: SchemaObject, root: unknown, depth: number, options: SamplerOptions): unknown[] {
  const out: unknown[] = [];
  const items = schema.items;
  if (Array.isArray(items)) {
    const columns = items.map((sub) => pickValues(sub, root, depth, options));
    const firsts = columns.map((column) => column[0]);
    out.push(firsts, [...firsts, 1], [...firsts, 'a'], firsts.slice(0, 1));
    columns.forEach((column, index) => {
      for (const value of column) out.push(firsts.map((first, i) => (i === index ? value : first)));
    });
    return out;
  }
  const values = pickValues(items === undefined ? true : items, root, depth, options);
  const [a, b] = values;
  if (a !== undefined) out.push([a], [a, a], [a, a, a, a, a, a]);
  if (a !== undefined && b !== undefined) out.push([a, b], [b, a], [a, b, a]);
  for (const value of values) out.push([value]);
  const distinct = values.slice(0, 4);
  for (const n of [schema.minItems, schema.maxItems]) {
    if (typeof n === 'number' && n <= 6) {
      for (const len of [n - 1, n, n + 1])
        if (len >= 0 && distinct.length > 0) out.push(Array.from({ length: len }, (_, i) => distinct[i % distinct.length]));
    }
  }
  return out;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/**
 * Probes for an old/new pair: the fixed PROBES, objects built from the pair's property names
 * filled with probe scalars, and sampler output for both schemas.
 */
export function probesFor(oldSchema: unknown, newSchema: unknown, oracle: Oracle, extra: readonly unknown[] = []): unknown[] {
  const names = [...collectPropertyNames(newSchema, collectPropertyNames(oldSchema)), ...EXTRA_KEYS];
  const literals = collectLiterals(newSchema, collectLiterals(oldSchema));
  const fills = [...FILL_SCALARS, ...literals];
  const out: unknown[] = [...PROBES, ...literals, ...extra];
  for (const name of names) for (const value of fills) out.push({ [name]: value });
  for (const value of fills) out.push(Object.fromEntries(names.map((name) => [name, value])));
  const options: SamplerOptions = { validIn: (sub, root, value) => oracle.validIn(sub, root, value) };
  out.push(...sampleInstances(oldSchema, oldSchema, 5, options), ...sampleInstances(newSchema, newSchema, 5, options));
  const seen = new Map<string, unknown>();
  for (const value of out) {
    const key = JSON.stringify(value);
    if (key !== undefined && !seen.has(key)) seen.set(key, value);
  }
  return [...seen.values()];
}
