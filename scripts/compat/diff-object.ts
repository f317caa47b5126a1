// Object keywords: properties added or removed under closed, open and schema-valued content
// models (additionalProperties, patternProperties), required, and property counts.
import { lowerBound, upperBound } from './diff-keywords.js';
import { brokenDirections, compareSchemas, type DiffContext, report } from './schema-diff.js';
import { acceptsAll, canonical, deref, isObject, type SchemaObject } from './schema-model.js';
import type { Direction } from './types.js';

function propertiesOf(schema: SchemaObject): SchemaObject {
  return isObject(schema.properties) ? schema.properties : {};
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function matchingPatterns(schema: SchemaObject, name: string): unknown[] {
  const patterns = isObject(schema.patternProperties) ? schema.patternProperties : {};
  return Object.keys(patterns)
    .filter((pattern) => new RegExp(pattern, 'u').test(name))
    .map((pattern) => patterns[pattern]);
}

/** The schema an undeclared property name must satisfy: matching patternProperties, else additionalProperties. */
function governing(schema: SchemaObject, name: string): unknown {
  const matching = matchingPatterns(schema, name);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) return { allOf: matching };
  return schema.additionalProperties ?? true;
}

/** A declared property must satisfy its own schema and every patternProperties entry its name matches. */
function declared(schema: SchemaObject, name: string): unknown {
  const own = propertiesOf(schema)[name];
  const matching = matchingPatterns(schema, name);
  return matching.length === 0 ? own : { allOf: [own, ...matching] };
}

type Model = 'closed' | 'open' | 'schema';
function modelOf(root: unknown, node: unknown): Model {
  const schema = deref(root, node);
  if (schema === false) return 'closed';
  return acceptsAll(schema) ? 'open' : 'schema';
}

function propertyAdded(ctx: DiffContext, name: string, oldGoverning: unknown, newProperty: unknown, at: string): void {
  const model = modelOf(ctx.oldRoot, oldGoverning);
  let breaks: Direction[];
  let why: string;
  if (model === 'closed') {
    breaks = deref(ctx.newRoot, newProperty) === false ? [] : ['FORWARD'];
    why =
      'the old schema is closed (additionalProperties: false), so consumers on it reject events that carry the field. Upgrade consumers before producers send it.';
  } else if (model === 'open') {
    breaks = ctx.policy === 'strict' && !acceptsAll(deref(ctx.newRoot, newProperty)) ? ['BACKWARD'] : [];
    why =
      'the old schema is open, so events written before may already carry a field of that name with another shape. Close the content model (additionalProperties: false) before adding fields, or use the lenient policy.';
  } else {
    breaks = brokenDirections(ctx, oldGoverning, newProperty, at);
    why = 'it was governed by additionalProperties/patternProperties before and the new schema differs from that.';
  }
  report(ctx, at, 'property-added', breaks, `property "${name}" added${breaks.length ? `: ${why}` : '.'}`);
}

function propertyRemoved(ctx: DiffContext, name: string, oldProperty: unknown, newGoverning: unknown, at: string): void {
  const model = modelOf(ctx.newRoot, newGoverning);
  let breaks: Direction[];
  let why: string;
  if (model === 'closed') {
    breaks = deref(ctx.oldRoot, oldProperty) === false ? [] : ['BACKWARD'];
    why = 'the new schema is closed, so events written before with the field are rejected. Keep the property (mark it deprecated) instead.';
  } else if (model === 'open') {
    breaks = ctx.policy === 'strict' && !acceptsAll(deref(ctx.oldRoot, oldProperty)) ? ['FORWARD'] : [];
    why =
      'the new schema is open, so producers may send the field in any shape and consumers on the old schema reject it. Keep the property declared.';
  } else {
    breaks = brokenDirections(ctx, oldProperty, newGoverning, at);
    why = 'it is now governed by additionalProperties/patternProperties, which differ from the old declaration.';
  }
  report(ctx, at, 'property-removed', breaks, `property "${name}" removed${breaks.length ? `: ${why}` : '.'}`);
}

function compareRequired(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  const oldRequired = new Set(Array.isArray(o.required) ? (o.required as string[]) : []);
  const newRequired = new Set(Array.isArray(n.required) ? (n.required as string[]) : []);
  for (const name of [...newRequired].filter((r) => !oldRequired.has(r)).sort()) {
    report(
      ctx,
      `${pointer}/properties/${escapePointer(name)}`,
      'required-added',
      ['BACKWARD'],
      `"${name}" is now required: events written without it are rejected. Add it as optional; consumers apply a default.`,
    );
  }
  for (const name of [...oldRequired].filter((r) => !newRequired.has(r)).sort()) {
    report(
      ctx,
      `${pointer}/properties/${escapePointer(name)}`,
      'required-removed',
      ['FORWARD'],
      `"${name}" is no longer required: consumers on the old schema reject events without it. Upgrade consumers first, or keep sending it.`,
    );
  }
}

function compareContentModel(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  const oldAdditional = o.additionalProperties ?? true;
  const newAdditional = n.additionalProperties ?? true;
  if (canonical(oldAdditional) !== canonical(newAdditional)) {
    const at = `${pointer}/additionalProperties`;
    const bothBoolean = modelOf(ctx.oldRoot, oldAdditional) !== 'schema' && modelOf(ctx.newRoot, newAdditional) !== 'schema';
    const breaks = ctx.policy === 'lenient' && bothBoolean ? [] : brokenDirections(ctx, oldAdditional, newAdditional, at);
    if (breaks.length > 0 || !bothBoolean) {
      report(
        ctx,
        at,
        'additional-properties-changed',
        breaks,
        `additionalProperties ${JSON.stringify(oldAdditional)} -> ${JSON.stringify(newAdditional)}${breaks.length ? ': undeclared fields valid under one side are rejected by the other.' : '.'}`,
      );
    }
  }
  const oldPatterns = isObject(o.patternProperties) ? o.patternProperties : {};
  const newPatterns = isObject(n.patternProperties) ? n.patternProperties : {};
  for (const pattern of [...new Set([...Object.keys(oldPatterns), ...Object.keys(newPatterns)])].sort()) {
    const at = `${pointer}/patternProperties/${escapePointer(pattern)}`;
    if (pattern in oldPatterns && pattern in newPatterns) {
      compareSchemas(ctx, oldPatterns[pattern], newPatterns[pattern], at);
      continue;
    }
    const breaks =
      pattern in newPatterns
        ? brokenDirections(ctx, oldAdditional, newPatterns[pattern], at)
        : brokenDirections(ctx, oldPatterns[pattern], newAdditional, at);
    report(
      ctx,
      at,
      'pattern-properties-changed',
      breaks,
      `patternProperties ${JSON.stringify(pattern)} ${pattern in newPatterns ? 'added' : 'removed'}${breaks.length ? ': fields matching it are read differently by the two sides.' : '.'}`,
    );
  }
}

export function compareObjectKeywords(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  const oldProps = propertiesOf(o);
  const newProps = propertiesOf(n);
  for (const name of [...new Set([...Object.keys(oldProps), ...Object.keys(newProps)])].sort()) {
    const at = `${pointer}/properties/${escapePointer(name)}`;
    if (name in oldProps && name in newProps) compareSchemas(ctx, declared(o, name), declared(n, name), at);
    else if (name in newProps) propertyAdded(ctx, name, governing(o, name), declared(n, name), at);
    else propertyRemoved(ctx, name, declared(o, name), governing(n, name), at);
  }
  compareRequired(ctx, o, n, pointer);
  compareContentModel(ctx, o, n, pointer);
  lowerBound(
    ctx,
    o.minProperties as number | undefined,
    n.minProperties as number | undefined,
    `${pointer}/minProperties`,
    'min-properties-changed',
    'minProperties',
  );
  upperBound(
    ctx,
    o.maxProperties as number | undefined,
    n.maxProperties as number | undefined,
    `${pointer}/maxProperties`,
    'max-properties-changed',
    'maxProperties',
  );
}
