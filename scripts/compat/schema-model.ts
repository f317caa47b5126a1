// What the diff needs to read a JSON Schema: $ref resolution against its own root, the set of
// types it admits, annotation keywords to ignore, and allOf folded into one schema.
export type Schema = boolean | Record<string, unknown>;
export type SchemaObject = Record<string, unknown>;

/** Keywords that describe but never constrain: changing them never breaks anything. */
export const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  'example',
  'default',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$id',
  '$schema',
  'definitions',
  '$defs',
  'discriminator',
  'externalDocs',
]);

export const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] as const;
export type JsonType = (typeof ALL_TYPES)[number];

export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `$ref`s (`#/...` into `root`) until a concrete schema; unresolvable refs are bad input. */
export function deref(root: unknown, node: unknown): Schema {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 64) throw new Error(`$ref cycle at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith('#')) throw new Error(`only local $refs are supported, found ${ref}`);
    let target: unknown = root;
    for (const token of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : Array.isArray(target) ? target[Number(key)] : undefined;
    }
    if (target === undefined) throw new Error(`$ref ${ref} does not resolve`);
    current = target;
  }
  if (typeof current === 'boolean') return current;
  if (!isObject(current)) throw new Error(`not a schema: ${JSON.stringify(current)}`);
  return current;
}

/** The constraining keywords of a schema (annotations and extensions dropped). */
export function constraints(schema: SchemaObject): SchemaObject {
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(key) && !key.startsWith('x-')) out[key] = value;
  }
  return out;
}

/** True for schemas every instance satisfies: `true`, `{}`, or only annotations. */
export function acceptsAll(schema: Schema): boolean {
  return schema === true || (isObject(schema) && Object.keys(constraints(schema)).length === 0);
}

/** The JSON types a schema admits by its `type` keyword (all when absent); `number` includes `integer`. */
export function typesOf(schema: Schema): Set<JsonType> {
  if (schema === false) return new Set();
  if (schema === true || schema.type === undefined) return new Set(ALL_TYPES);
  const declared = (Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[];
  const set = new Set(declared);
  if (set.has('number')) set.add('integer');
  return set;
}

export function admits(types: Set<JsonType>, type: JsonType): boolean {
  return types.has(type);
}

/** Canonical JSON: sorted keys, annotations kept (used to recognise identical branches). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The values a schema allows when it lists them (`const` or `enum`); undefined when it does not. */
export function listedValues(schema: Schema): unknown[] | undefined {
  if (!isObject(schema)) return undefined;
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

function typesOfValue(value: unknown): JsonType[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'object') return ['object'];
  return [typeof value as JsonType];
}

/** The types a schema can admit, looking through enum/const, anyOf/oneOf and allOf as well as `type`. */
export function effectiveTypes(root: unknown, schema: Schema, depth = 0): Set<JsonType> {
  if (schema === false) return new Set();
  let set = typesOf(schema);
  if (schema === true || depth > 8) return set;
  const keep = (allowed: Set<JsonType>) => {
    set = new Set([...set].filter((t) => allowed.has(t)));
  };
  const values = listedValues(schema);
  if (values) keep(new Set(values.flatMap(typesOfValue)));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) keep(new Set(branches.flatMap((b) => [...effectiveTypes(root, deref(root, b), depth + 1)])));
  }
  if (Array.isArray(schema.allOf)) for (const b of schema.allOf) keep(effectiveTypes(root, deref(root, b), depth + 1));
  return set;
}

/**
 * Two schemas no instance satisfies at once: disjoint types, disjoint listed values, or a
 * property both require whose schemas are disjoint. False means "could not prove it".
 */
export function provablyDisjoint(rootA: unknown, a: Schema, rootB: unknown, b: Schema, depth = 0): boolean {
  if (a === false || b === false) return true;
  if (depth > 8 || a === true || b === true) return false;
  const typesA = effectiveTypes(rootA, a);
  const typesB = effectiveTypes(rootB, b);
  if (![...typesA].some((t) => typesB.has(t))) return true;
  const valuesA = listedValues(a);
  const valuesB = listedValues(b);
  if (valuesA && valuesB && !valuesA.some((va) => valuesB.some((vb) => canonical(va) === canonical(vb)))) return true;
  const requiredA = new Set(Array.isArray(a.required) ? (a.required as string[]) : []);
  const requiredB = Array.isArray(b.required) ? (b.required as string[]) : [];
  const propsA = isObject(a.properties) ? a.properties : {};
  const propsB = isObject(b.properties) ? b.properties : {};
  return requiredB.some(
    (name) =>
      requiredA.has(name) &&
      name in propsA &&
      name in propsB &&
      provablyDisjoint(rootA, deref(rootA, propsA[name]), rootB, deref(rootB, propsB[name]), depth + 1),
  );
}
