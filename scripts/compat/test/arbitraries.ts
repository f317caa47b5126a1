// fast-check arbitraries for the compatibility property tests: small random draft-07 schemas,
// related "new" schemas derived from them by 1-3 random edits, and JSON instances aimed at the
// schemas (built from their property names, enum/const values, bounds and formats).
import * as fc from 'fast-check';
import { EXTRA_KEYS, FORMAT_SAMPLES, isRecord, mergeAllOf, resolvePointer, type SchemaObject } from './oracle.js';

export type Schema = boolean | SchemaObject;

const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;
export const NAMES = ['a', 'b', 'c', 'id'] as const;
const PATTERNS = ['^[A-Z]+$', '^[a-z]+$'] as const;
const FORMATS = ['date-time', 'email'] as const;
const MULTIPLES = [1, 0.5, 2, 0.01] as const;
const NUMBER_BOUNDS = [-2, -1, -0.5, 0, 0.5, 1, 2, 3, 5, 10] as const;
const INTEGER_BOUNDS = [-2, -1, 0, 1, 2, 3, 5, 10] as const;
const STRING_LITERALS = ['', 'a', 'abc', 'ABC', 'Abc', 'buy', 'sell'] as const;
const NUMBER_LITERALS = [0, 1, 2, 0.5, -1, 10] as const;

/** A keyword that is usually absent (shrinks to absent). */
function maybe<T>(arb: fc.Arbitrary<T>, weight = 3): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight }, { arbitrary: arb, weight: 1 });
}

function stripUndefined(record: Record<string, unknown>): SchemaObject {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function keywords(model: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<SchemaObject> {
  return fc.record(model, { noNullPrototype: true }).map(stripUndefined);
}

const stringSchema = keywords({
  type: fc.constant('string'),
  minLength: maybe(fc.integer({ min: 0, max: 4 })),
  maxLength: maybe(fc.integer({ min: 0, max: 8 })),
  pattern: maybe(fc.constantFrom(...PATTERNS)),
  format: maybe(fc.constantFrom(...FORMATS), 5),
  enum: maybe(fc.uniqueArray(fc.constantFrom(...STRING_LITERALS), { minLength: 1, maxLength: 4 }), 5),
  const: maybe(fc.constantFrom(...STRING_LITERALS), 8),
});

function numericSchema(type: 'number' | 'integer'): fc.Arbitrary<SchemaObject> {
  const bound = fc.constantFrom(...(type === 'integer' ? INTEGER_BOUNDS : NUMBER_BOUNDS));
  return keywords({
    type: fc.constant(type),
    minimum: maybe(bound),
    maximum: maybe(bound),
    exclusiveMinimum: maybe(bound, 5),
    exclusiveMaximum: maybe(bound, 5),
    multipleOf: maybe(fc.constantFrom(...MULTIPLES)),
    enum: maybe(fc.uniqueArray(fc.constantFrom(...NUMBER_LITERALS), { minLength: 1, maxLength: 4 }), 5),
    const: maybe(fc.constantFrom(...NUMBER_LITERALS), 8),
  });
}

const booleanSchema = keywords({
  type: fc.constant('boolean'),
  enum: maybe(fc.uniqueArray(fc.boolean(), { minLength: 1, maxLength: 2 }), 5),
  const: maybe(fc.boolean(), 8),
});

const nullSchema = fc.constant<SchemaObject>({ type: 'null' });

/** Schemas without subschemas. */
export const leafSchema: fc.Arbitrary<SchemaObject> = fc.oneof(
  stringSchema,
  numericSchema('number'),
  numericSchema('integer'),
  booleanSchema,
  nullSchema,
);

const memo = new Map<number, fc.Arbitrary<Schema>>();

/** Random schemas nested at most `depth` levels (objects, arrays and oneOf/anyOf add a level). */
export function schemaArb(depth = 3): fc.Arbitrary<Schema> {
  const cached = memo.get(depth);
  if (cached) return cached;
  let arb: fc.Arbitrary<Schema>;
  if (depth <= 0) {
    arb = fc.oneof({ arbitrary: leafSchema, weight: 8 }, { arbitrary: fc.boolean(), weight: 1 });
  } else {
    const sub = schemaArb(depth - 1);
    const objectSchema = keywords({
      type: fc.constant('object'),
      properties: maybe(fc.dictionary(fc.constantFrom(...NAMES), sub, { maxKeys: 3, noNullPrototype: true }), 1),
      required: maybe(fc.subarray([...NAMES], { minLength: 1, maxLength: 2 }), 2),
      additionalProperties: maybe(fc.oneof(fc.boolean(), leafSchema), 2),
      patternProperties: maybe(
        fc.record({ '^x-': leafSchema }, { noNullPrototype: true }).map((value): SchemaObject => ({ ...value })),
        6,
      ),
      minProperties: maybe(fc.integer({ min: 0, max: 2 }), 6),
      maxProperties: maybe(fc.integer({ min: 0, max: 3 }), 6),
    });
    const arraySchema = keywords({
      type: fc.constant('array'),
      items: maybe(sub, 1),
      minItems: maybe(fc.integer({ min: 0, max: 3 })),
      maxItems: maybe(fc.integer({ min: 0, max: 4 })),
      uniqueItems: maybe(fc.boolean()),
    });
    const combinator = fc
      .tuple(fc.constantFrom('oneOf', 'anyOf'), fc.array(sub, { minLength: 1, maxLength: 3 }))
      .map(([keyword, branches]): SchemaObject => ({ [keyword]: branches }));
    arb = fc.oneof(
      { arbitrary: leafSchema, weight: 3 },
      { arbitrary: objectSchema, weight: 4 },
      { arbitrary: arraySchema, weight: 2 },
      { arbitrary: combinator, weight: 2 },
    );
  }
  memo.set(depth, arb);
  return arb;
}

/** Root schemas are objects (so that definitions can be added to them). */
export const rootSchemaArb: fc.Arbitrary<SchemaObject> = schemaArb(3).map((schema) => (isRecord(schema) ? schema : { allOf: [schema] }));

// --- edits --------------------------------------------------------------------------------------

export const EDIT_KINDS = [
  'type',
  'widen',
  'narrow',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'required',
  'property',
  'additionalProperties',
  'patternProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'branch',
  'combinator',
  'extract-ref',
  'wrap-allOf',
  'annotation',
] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

export interface Edit {
  /** Which schema location (modulo the number of locations). */
  at: number;
  kind: EditKind;
  /** Chooses among the variants of the edit. */
  n: number;
  /** A fresh subschema for edits that need one. */
  leaf: Schema;
}

export const editArb: fc.Arbitrary<Edit> = fc.record(
  {
    at: fc.nat({ max: 50 }),
    kind: fc.constantFrom(...EDIT_KINDS),
    n: fc.nat({ max: 60 }),
    leaf: fc.oneof({ arbitrary: leafSchema, weight: 6 }, { arbitrary: schemaArb(1), weight: 2 }, { arbitrary: fc.boolean(), weight: 1 }),
  },
  { noNullPrototype: true },
);

/** Every schema object of a document (including definitions), not following $ref. */
function locations(root: SchemaObject): SchemaObject[] {
  const out: SchemaObject[] = [];
  const visit = (node: unknown): void => {
    if (!isRecord(node)) return;
    out.push(node);
    for (const key of ['properties', 'patternProperties', 'definitions', '$defs']) {
      const map = node[key];
      if (isRecord(map)) for (const sub of Object.values(map)) visit(sub);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'items']) {
      const list = node[key];
      if (Array.isArray(list)) for (const sub of list) visit(sub);
    }
    for (const key of ['items', 'additionalProperties']) if (isRecord(node[key])) visit(node[key]);
  };
  visit(root);
  return out;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

function setOrDelete(node: SchemaObject, key: string, n: number, values: readonly unknown[]): void {
  if (n % 3 === 0) delete node[key];
  else node[key] = pick(values, n);
}

const clone = <T>(value: T): T => structuredClone(value);

/** Applies one edit in place to a (cloned) root schema. */
export function applyEdit(root: SchemaObject, edit: Edit): void {
  const candidates = locations(root).filter((node) => typeof node.$ref !== 'string');
  if (candidates.length === 0) return;
  const node = pick(candidates, edit.at);
  const { n } = edit;
  const type = node.type;
  switch (edit.kind) {
    case 'type':
      node.type = pick(TYPES, n);
      break;
    case 'widen':
      if (type === 'integer') node.type = 'number';
      else if (typeof type === 'string' && n % 2 === 0)
        node.type = [
          type,
          pick(
            TYPES.filter((t) => t !== type),
            n,
          ),
        ];
      else if (Array.isArray(type) && n % 2 === 0) {
        const missing = TYPES.filter((t) => !type.includes(t));
        if (missing.length > 0) node.type = [...type, pick(missing, n)];
      } else delete node.type;
      break;
    case 'narrow':
      if (type === 'number') node.type = 'integer';
      else if (Array.isArray(type) && type.length > 0) node.type = type[0];
      else node.type = pick(TYPES, n);
      break;
    case 'enum': {
      const literals = [...STRING_LITERALS, ...NUMBER_LITERALS, true, null];
      const current = node.enum;
      if (Array.isArray(current)) {
        if (n % 3 === 0) delete node.enum;
        else if (n % 3 === 1) {
          const extra = literals.filter((v) => !current.includes(v));
          if (extra.length > 0) node.enum = [...current, pick(extra, n)];
        } else if (current.length > 1) node.enum = current.filter((_, i) => i !== n % current.length);
        else delete node.enum;
      } else node.enum = [...new Set([pick(literals, n), pick(literals, n + 3)])];
      break;
    }
    case 'const': {
      const literals = [...STRING_LITERALS, ...NUMBER_LITERALS, true];
      if ('const' in node && n % 2 === 0) delete node.const;
      else node.const = pick(literals, n);
      break;
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      setOrDelete(node, edit.kind, n, [0, 1, 2, 3, 4, 5, 8]);
      break;
    case 'pattern':
      setOrDelete(node, 'pattern', n, PATTERNS);
      break;
    case 'format':
      setOrDelete(node, 'format', n, FORMATS);
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      setOrDelete(node, edit.kind, n, NUMBER_BOUNDS);
      break;
    case 'multipleOf':
      setOrDelete(node, 'multipleOf', n, MULTIPLES);
      break;
    case 'required': {
      const name = pick(NAMES, n);
      const required = Array.isArray(node.required) ? node.required : [];
      const next = required.includes(name) ? required.filter((r) => r !== name) : [...required, name];
      if (next.length > 0) node.required = next;
      else delete node.required;
      break;
    }
    case 'property': {
      const name = pick(NAMES, n);
      const properties = isRecord(node.properties) ? node.properties : {};
      if (name in properties && n % 2 === 1) delete properties[name];
      else properties[name] = clone(edit.leaf);
      if (Object.keys(properties).length > 0) node.properties = properties;
      else delete node.properties;
      break;
    }
    case 'additionalProperties':
      setOrDelete(node, 'additionalProperties', n, [true, false, clone(edit.leaf)]);
      break;
    case 'patternProperties':
      setOrDelete(node, 'patternProperties', n, [{ '^x-': clone(edit.leaf) }, { '^[a-z]+$': clone(edit.leaf) }]);
      break;
    case 'items':
      setOrDelete(node, 'items', n, [clone(edit.leaf), [clone(edit.leaf)]]);
      break;
    case 'uniqueItems':
      setOrDelete(node, 'uniqueItems', n, [true, false]);
      break;
    case 'branch': {
      const keyword = Array.isArray(node.oneOf) ? 'oneOf' : Array.isArray(node.anyOf) ? 'anyOf' : undefined;
      if (keyword) {
        const branches = node[keyword] as unknown[];
        if (n % 2 === 0 || branches.length <= 1) node[keyword] = [...branches, clone(edit.leaf)];
        else node[keyword] = branches.filter((_, i) => i !== n % branches.length);
      } else if (node !== root || !('definitions' in node || '$defs' in node)) {
        const inner = { ...node };
        for (const key of Object.keys(node)) delete node[key];
        node[n % 2 === 0 ? 'anyOf' : 'oneOf'] = [inner, clone(edit.leaf)];
      }
      break;
    }
    case 'combinator':
      if (Array.isArray(node.oneOf) && !('anyOf' in node)) {
        node.anyOf = node.oneOf;
        delete node.oneOf;
      } else if (Array.isArray(node.anyOf) && !('oneOf' in node)) {
        node.oneOf = node.anyOf;
        delete node.anyOf;
      }
      break;
    case 'extract-ref': {
      // refactor: the subschema moves into the root's definitions/$defs and is referenced
      if (node === root) break;
      const container = n % 2 === 0 ? 'definitions' : '$defs';
      const definitions = isRecord(root[container]) ? root[container] : {};
      const name = `D${Object.keys(definitions).length}`;
      definitions[name] = { ...node };
      root[container] = definitions;
      for (const key of Object.keys(node)) delete node[key];
      node.$ref = `#/${container}/${name}`;
      break;
    }
    case 'wrap-allOf': {
      // refactor: the subschema becomes the only part of an allOf (definitions stay at the root)
      const inner = { ...node };
      delete inner.definitions;
      delete inner.$defs;
      for (const key of Object.keys(inner)) delete node[key];
      node.allOf = [inner];
      break;
    }
    case 'annotation':
      if (n % 2 === 0) node.description = `edited ${n}`;
      else node.title = `T${n}`;
      break;
  }
}

/** A new schema derived from the old one by 1-3 edits. */
export function mutatedArb(oldSchema: SchemaObject): fc.Arbitrary<SchemaObject> {
  return fc.array(editArb, { minLength: 1, maxLength: 3 }).map((edits) => {
    const next = clone(oldSchema);
    for (const edit of edits) applyEdit(next, edit);
    return next;
  });
}

/** Related old/new pairs. */
export const schemaPairArb: fc.Arbitrary<[SchemaObject, SchemaObject]> = rootSchemaArb.chain((oldSchema) =>
  mutatedArb(oldSchema).map((newSchema): [SchemaObject, SchemaObject] => [oldSchema, newSchema]),
);

// --- instances ----------------------------------------------------------------------------------

const SCALARS = [0, 1, -1, 2, 0.5, 1.5, -0.5, 0.01, 0.07, 10, 1e21, '', 'a', 'abc', 'ABC', 'x'.repeat(20), null, true, false];

/** Free-form JSON, keyed by the usual property names so that objects hit declared properties. */
export const anyJsonArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc.integer({ min: -100, max: 100 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(...Object.values(FORMAT_SAMPLES).flat()),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NAMES, ...EXTRA_KEYS), tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;

const UPPER = [...'ABCXYZ'];
const LOWER = [...'abcxyz'];
const MIXED = [...'aB1 -z'];

function stringArb(schema: SchemaObject): fc.Arbitrary<unknown> {
  if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format]) {
    return fc.oneof({ arbitrary: fc.constantFrom(...(FORMAT_SAMPLES[schema.format] ?? [])), weight: 4 }, fc.string({ maxLength: 6 }));
  }
  const units = schema.pattern === '^[A-Z]+$' ? UPPER : schema.pattern === '^[a-z]+$' ? LOWER : MIXED;
  const minLength = Math.max(typeof schema.minLength === 'number' ? schema.minLength : 0, typeof schema.pattern === 'string' ? 1 : 0);
  const maxLength = Math.max(minLength, typeof schema.maxLength === 'number' ? schema.maxLength : minLength + 6);
  return fc.string({ unit: fc.constantFrom(...units), minLength, maxLength });
}

function numberArb(schema: SchemaObject, integer: boolean): fc.Arbitrary<unknown> {
  const num = (key: string): number | undefined => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  let lo = Math.max(num('minimum') ?? -20, num('exclusiveMinimum') ?? -Infinity);
  let hi = Math.min(num('maximum') ?? 20, num('exclusiveMaximum') ?? Infinity);
  const loExcluded = num('exclusiveMinimum') !== undefined && lo === num('exclusiveMinimum');
  const hiExcluded = num('exclusiveMaximum') !== undefined && hi === num('exclusiveMaximum');
  if (lo > hi) [lo, hi] = [hi, lo];
  const step = num('multipleOf') ?? (integer ? 1 : undefined);
  if (step !== undefined) {
    const kMin = Math.max(Math.ceil(lo / step), -200);
    const kMax = Math.min(Math.floor(hi / step), 200);
    if (kMin <= kMax) {
      return fc.integer({ min: kMin, max: kMax }).map((k) => {
        const value = Number((k * step).toFixed(10));
        return (loExcluded && value === lo) || (hiExcluded && value === hi) ? value + step : value;
      });
    }
    return fc.integer({ min: -10, max: 10 });
  }
  if (lo >= hi) return fc.constantFrom(lo, hi, lo - 1, hi + 1);
  return fc.oneof(
    fc.integer({ min: Math.ceil(lo), max: Math.max(Math.ceil(lo), Math.floor(hi)) }),
    fc.double({ min: lo, max: hi, minExcluded: loExcluded, maxExcluded: hiExcluded, noNaN: true }),
    fc.constantFrom(lo, hi, (lo + hi) / 2),
  );
}

function objectArb(schema: SchemaObject, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const additional = schema.additionalProperties;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of new Set([...Object.keys(properties), ...required])) {
    model[name] = instanceArb(properties[name] ?? (additional === undefined ? true : additional), root, depth - 1);
  }
  const extras: fc.Arbitrary<Record<string, unknown>>[] = [fc.constant({})];
  if (additional !== false) {
    const value = isRecord(additional) ? instanceArb(additional, root, depth - 1) : anyJsonArb;
    extras.push(value.map((v) => ({ zzz: v })));
  }
  if (isRecord(schema.patternProperties)) {
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      const key = pattern === '^x-' ? 'x-a' : 'xyz';
      extras.push(instanceArb(sub, root, depth - 1).map((v) => ({ [key]: v })));
    }
  }
  const requiredKeys = required.filter((name) => name in model);
  return fc
    .tuple(fc.record(model, { requiredKeys, noNullPrototype: true }), fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, ...extras))
    .map(([declared, extra]) => ({ ...declared, ...extra }));
}

function arrayArb(schema: SchemaObject, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const minLength = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 5) : 0;
  const maxLength = Math.max(minLength, typeof schema.maxItems === 'number' ? Math.min(schema.maxItems, 5) : 4);
  if (Array.isArray(schema.items)) {
    const tuple = schema.items.map((sub) => instanceArb(sub, root, depth - 1));
    return fc.tuple(fc.tuple(...tuple), fc.array(anyJsonArb, { maxLength: 1 })).map(([head, tail]) => [...head, ...tail]);
  }
  const item = instanceArb(schema.items === undefined ? true : schema.items, root, depth - 1);
  // minLength stays 0: a small item domain (an enum) may not have minItems distinct values
  if (schema.uniqueItems === true) return fc.uniqueArray(item, { maxLength, selector: (v) => JSON.stringify(v) });
  return fc.array(item, { minLength, maxLength });
}

/**
 * Instances aimed at a schema: they satisfy it often, and sit near its bounds when they do not.
 * `root` resolves $ref; depth bounds recursion through recursive definitions.
 */
export function instanceArb(schema: unknown, root: unknown, depth = 5): fc.Arbitrary<unknown> {
  if (!isRecord(schema) || depth <= 0) return anyJsonArb;
  if (typeof schema.$ref === 'string') return instanceArb(resolvePointer(root, schema.$ref), root, depth - 1);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return instanceArb(mergeAllOf(schema, root), root, depth - 1);
  const options: fc.Arbitrary<unknown>[] = [];
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      const rest = { ...schema };
      delete rest[keyword];
      for (const branch of branches) {
        const resolved = isRecord(branch) && typeof branch.$ref === 'string' ? resolvePointer(root, branch.$ref) : branch;
        options.push(instanceArb(isRecord(resolved) ? { ...rest, ...resolved } : resolved, root, depth - 1));
      }
    }
  }
  if (options.length > 0) return fc.oneof(...options);
  const literals = [...(Array.isArray(schema.enum) ? schema.enum : []), ...('const' in schema ? [schema.const] : [])];
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [...TYPES];
  const typed: fc.Arbitrary<unknown>[] = [];
  for (const type of types) {
    if (type === 'string') typed.push(stringArb(schema));
    else if (type === 'number') typed.push(numberArb(schema, false));
    else if (type === 'integer') typed.push(numberArb(schema, true));
    else if (type === 'boolean') typed.push(fc.boolean());
    else if (type === 'null') typed.push(fc.constant(null));
    else if (type === 'object') typed.push(objectArb(schema, root, depth));
    else if (type === 'array') typed.push(arrayArb(schema, root, depth));
  }
  if (typed.length === 0) typed.push(anyJsonArb);
  const typedArb = fc.oneof(...typed);
  return literals.length > 0
    ? fc.oneof({ arbitrary: fc.constantFrom(...literals), weight: 4 }, { arbitrary: typedArb, weight: 1 })
    : typedArb;
}

/** A batch of instances for a pair: aimed at the old schema, at the new one, and free-form. */
export function instancesArb(oldSchema: SchemaObject, newSchema: SchemaObject, count: number): fc.Arbitrary<unknown[]> {
  const one = fc.oneof(
    { arbitrary: instanceArb(oldSchema, oldSchema), weight: 2 },
    { arbitrary: instanceArb(newSchema, newSchema), weight: 2 },
    { arbitrary: anyJsonArb, weight: 1 },
  );
  return fc.array(one, { minLength: count, maxLength: count });
}

// --- key order ----------------------------------------------------------------------------------

/** A deep clone with every object's keys in a shuffled order (arrays keep their order). */
export function shuffleKeys(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const go = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(go);
    if (!isRecord(node)) return node;
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
    }
    return Object.fromEntries(entries.map(([key, sub]) => [key, go(sub)]));
  };
  return go(value);
}
