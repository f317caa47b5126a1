// Folds `allOf` into one schema where that can be done exactly, so moving constraints into
// (or out of) an allOf that admits the same instances reports nothing.
import { canonical, constraints, deref, isObject, type Schema, type SchemaObject, typesOf } from './schema-model.js';

const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

/** The allOf of `schema` folded into it; undefined when a keyword pair has no exact merge. */
export function foldAllOf(root: unknown, schema: Schema): Schema | undefined {
  if (!isObject(schema) || !Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = constraints(schema);
  let merged: SchemaObject = rest;
  for (const branch of allOf as unknown[]) {
    const folded = foldAllOf(root, deref(root, branch));
    if (folded === undefined || folded === false) return folded;
    if (folded === true) continue;
    const next = intersect(merged, constraints(folded));
    if (next === undefined || next === false) return next;
    if (next === true) continue;
    merged = next;
  }
  return merged;
}

function closeOver(target: SchemaObject, from: SchemaObject, other: SchemaObject): boolean {
  // Names `other` declares but `from` does not are governed by `from`'s additionalProperties.
  const fromProps = isObject(from.properties) ? from.properties : {};
  const otherProps = isObject(other.properties) ? other.properties : {};
  const props = target.properties as SchemaObject;
  for (const name of Object.keys(otherProps)) {
    if (name in fromProps || from.additionalProperties === undefined || from.additionalProperties === true) continue;
    if (from.patternProperties !== undefined) return false;
    props[name] = from.additionalProperties === false ? false : { allOf: [props[name] ?? true, from.additionalProperties] };
  }
  return true;
}

/**
 * patternProperties of one part next to a content model of the other: a closed part admits only
 * its declared names, so the other part's patterns just constrain those; a schema-valued
 * additionalProperties also applies to names the patterns match.
 */
function mergePatterns(a: SchemaObject, b: SchemaObject): SchemaObject | undefined {
  const patterned = a.patternProperties !== undefined ? a : b;
  const other = patterned === a ? b : a;
  if (other.patternProperties !== undefined)
    return canonical(a.patternProperties) === canonical(b.patternProperties) ? { ...a, ...b } : undefined;
  const patterns = patterned.patternProperties as SchemaObject;
  const { patternProperties: _dropped, ...patternedRest } = patterned;
  if (other.additionalProperties === false) {
    const props: SchemaObject = { ...(isObject(other.properties) ? other.properties : {}) };
    for (const name of Object.keys(props)) {
      const matching = Object.keys(patterns).filter((p) => new RegExp(p, 'u').test(name));
      if (matching.length > 0) props[name] = { allOf: [props[name], ...matching.map((p) => patterns[p])] };
    }
    return { ...patternedRest, ...other, properties: props };
  }
  if (other.additionalProperties === undefined || other.additionalProperties === true) return undefined;
  const constrained: SchemaObject = {};
  for (const [pattern, schema] of Object.entries(patterns)) constrained[pattern] = { allOf: [schema, other.additionalProperties] };
  return { ...patternedRest, ...other, patternProperties: constrained };
}

function intersect(first: SchemaObject, second: SchemaObject): Schema | undefined {
  let a = first;
  let b = second;
  if (
    (a.patternProperties !== undefined) !== (b.patternProperties !== undefined) ||
    (a.patternProperties !== undefined && b.patternProperties !== undefined)
  ) {
    const hasModel = (s: SchemaObject) => s.additionalProperties !== undefined && s.additionalProperties !== true;
    if (hasModel(a) || hasModel(b)) {
      const merged = mergePatterns(a, b);
      if (merged === undefined) return undefined;
      // The content model is settled: continue with the merged part against an empty one.
      a = merged;
      b = {};
    }
  }
  const out: SchemaObject = { ...a };
  if (a.properties !== undefined || b.properties !== undefined) {
    const pa = isObject(a.properties) ? a.properties : {};
    const pb = isObject(b.properties) ? b.properties : {};
    const props: SchemaObject = { ...pa };
    for (const [name, schema] of Object.entries(pb)) props[name] = name in pa ? { allOf: [pa[name], schema] } : schema;
    out.properties = props;
    if (!closeOver(out, a, b) || !closeOver(out, b, a)) return undefined;
  }
  for (const [key, value] of Object.entries(b)) {
    if (key === 'properties') continue;
    if (!(key in out) || canonical(out[key]) === canonical(value)) {
      out[key] = value;
      continue;
    }
    const current = out[key];
    if (key === 'type') {
      const both = [...typesOf({ type: current })].filter((t) => typesOf({ type: value }).has(t));
      if (both.length === 0) return false;
      out.type = both.includes('number') ? both.filter((t) => t !== 'integer') : both;
    } else if (key === 'required') {
      out.required = [...new Set([...(current as string[]), ...(value as string[])])].sort();
    } else if (LOWER_BOUNDS.has(key)) {
      out[key] = Math.max(current as number, value as number);
    } else if (UPPER_BOUNDS.has(key)) {
      out[key] = Math.min(current as number, value as number);
    } else if (key === 'enum') {
      const keep = new Set((value as unknown[]).map(canonical));
      out.enum = (current as unknown[]).filter((v) => keep.has(canonical(v)));
      if ((out.enum as unknown[]).length === 0) return false;
    } else if (key === 'const') {
      return false;
    } else if (key === 'uniqueItems') {
      out.uniqueItems = Boolean(current) || Boolean(value);
    } else if (key === 'items' && (Array.isArray(current) || Array.isArray(value))) {
      return undefined; // tuple items: positional, no single-schema merge
    } else if (key === 'additionalProperties' || key === 'items') {
      out[key] = current === false || value === false ? false : { allOf: [current, value] };
    } else {
      return undefined; // pattern, format, multipleOf, combinators...: no exact single-schema merge
    }
  }
  return out;
}
