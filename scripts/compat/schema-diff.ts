// The JSON Schema compatibility engine. Walks the old and the new schema side by side and
// reports each difference with the directions it breaks, under instance-set semantics:
// BACKWARD holds when every instance valid under the old schema is valid under the new one,
// FORWARD when every instance valid under the new schema is valid under the old one.
// Where a difference cannot be decided exactly it is reported as breaking (never the reverse).
import { foldAllOf } from './all-of.js';
import { compareArrayKeywords, compareListedValues, compareNumberKeywords, compareStringKeywords } from './diff-keywords.js';
import { compareObjectKeywords } from './diff-object.js';
import { compareUnions, hasUnion } from './diff-union.js';
import { ANNOTATIONS, acceptsAll, admits, canonical, constraints, deref, isObject, type Schema, typesOf } from './schema-model.js';
import type { Direction, Policy, SchemaDiffOptions, SchemaFinding } from './types.js';

/** Keywords some comparer below owns; any other constraint that changes is `keyword-changed`. */
const HANDLED = new Set([
  'type',
  'enum',
  'const',
  'allOf',
  'anyOf',
  'oneOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'items',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
]);

export interface DiffContext {
  oldRoot: unknown;
  newRoot: unknown;
  policy: Policy;
  findings: SchemaFinding[];
  /** Pairs of schema objects already being compared: recursive schemas terminate. */
  visiting: Map<object, Set<object>>;
}

export function diffSchemas(oldSchema: unknown, newSchema: unknown, options: SchemaDiffOptions = {}): SchemaFinding[] {
  // Same schema up to key order: nothing can differ (also keeps identical overlapping oneOfs quiet).
  if (canonical(oldSchema) === canonical(newSchema)) return [];
  const ctx = newContext(oldSchema, newSchema, options.policy ?? 'strict');
  compareSchemas(ctx, oldSchema, newSchema, '');
  return dedupe(ctx.findings);
}

export function newContext(oldRoot: unknown, newRoot: unknown, policy: Policy): DiffContext {
  return { oldRoot, newRoot, policy, findings: [], visiting: new Map() };
}

export function report(ctx: DiffContext, pointer: string, rule: string, breaks: Direction[], message: string): void {
  ctx.findings.push({ pointer, rule, breaks, message });
}

/** Compares in a scratch context and returns the directions broken (for verdicts on sub-parts). */
export function brokenDirections(ctx: DiffContext, oldNode: unknown, newNode: unknown, pointer: string): Direction[] {
  const scratch: DiffContext = { ...ctx, findings: [] };
  compareSchemas(scratch, oldNode, newNode, pointer);
  const broken = new Set(scratch.findings.flatMap((f) => f.breaks));
  return (['BACKWARD', 'FORWARD'] as const).filter((d) => broken.has(d));
}

export function compareSchemas(ctx: DiffContext, oldNode: unknown, newNode: unknown, pointer: string): void {
  const oldDeref = deref(ctx.oldRoot, oldNode);
  const newDeref = deref(ctx.newRoot, newNode);
  if (!isObject(oldDeref) || !isObject(newDeref)) {
    compareResolved(ctx, oldDeref, newDeref, pointer);
    return;
  }
  // The pair is "on the stack" only while it is being compared: a recursive schema stops here,
  // but the same pair compared again later (e.g. for another direction) is compared in full.
  let active = ctx.visiting.get(oldDeref);
  if (active?.has(newDeref)) return;
  if (!active) {
    active = new Set();
    ctx.visiting.set(oldDeref, active);
  }
  active.add(newDeref);
  try {
    compareResolved(ctx, oldDeref, newDeref, pointer);
  } finally {
    active.delete(newDeref);
  }
}

function compareResolved(ctx: DiffContext, oldDeref: Schema, newDeref: Schema, pointer: string): void {
  const oldFolded = foldAllOf(ctx.oldRoot, oldDeref);
  const newFolded = foldAllOf(ctx.newRoot, newDeref);
  if (oldFolded === undefined || newFolded === undefined) {
    compareAllOfByPosition(ctx, oldDeref, newDeref, pointer);
    return;
  }
  const oldSchema = normalizeNumeric(oldFolded);
  const newSchema = normalizeNumeric(newFolded);
  if (acceptsAll(oldSchema) && acceptsAll(newSchema)) return;
  if (oldSchema === false || newSchema === false) {
    if (oldSchema !== false)
      report(
        ctx,
        pointer,
        'type-narrowed',
        ['BACKWARD'],
        'The schema no longer accepts any value: every event written before is rejected. Keep accepting the old values.',
      );
    if (newSchema !== false)
      report(
        ctx,
        pointer,
        'type-widened',
        ['FORWARD'],
        'A schema that accepted nothing now accepts values that consumers on the old schema reject.',
      );
    return;
  }
  const oldObj = isObject(oldSchema) ? oldSchema : {};
  const newObj = isObject(newSchema) ? newSchema : {};
  if (hasUnion(oldObj) || hasUnion(newObj)) {
    compareUnions(ctx, oldObj, newObj, pointer);
    return;
  }
  if (compareListedValues(ctx, oldObj, newObj, pointer)) return;
  compareTypes(ctx, oldObj, newObj, pointer);
  const oldTypes = typesOf(oldObj);
  const newTypes = typesOf(newObj);
  const shared = (type: 'string' | 'number' | 'array' | 'object') =>
    (admits(oldTypes, type) || (type === 'number' && admits(oldTypes, 'integer'))) &&
    (admits(newTypes, type) || (type === 'number' && admits(newTypes, 'integer')));
  if (shared('string')) compareStringKeywords(ctx, oldObj, newObj, pointer);
  if (shared('number')) compareNumberKeywords(ctx, oldObj, newObj, pointer);
  if (shared('array')) compareArrayKeywords(ctx, oldObj, newObj, pointer);
  if (shared('object')) compareObjectKeywords(ctx, oldObj, newObj, pointer);
  compareOtherKeywords(ctx, oldObj, newObj, pointer);
}

/**
 * Spellings of the same integer set made equal before comparing: on integers, bounds are rounded
 * to inclusive integers (`exclusiveMinimum: 0` is `minimum: 1`) and `multipleOf: 1` says nothing.
 * (`number` + `multipleOf: 1` is not `integer`: multipleOf is checked with a float tolerance.)
 */
function normalizeNumeric(schema: Schema): Schema {
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  if (out.type !== 'integer') return out;
  if (out.multipleOf === 1) delete out.multipleOf;
  const lower = [
    typeof out.minimum === 'number' ? Math.ceil(out.minimum) : undefined,
    typeof out.exclusiveMinimum === 'number' ? Math.floor(out.exclusiveMinimum) + 1 : undefined,
  ];
  const upper = [
    typeof out.maximum === 'number' ? Math.floor(out.maximum) : undefined,
    typeof out.exclusiveMaximum === 'number' ? Math.ceil(out.exclusiveMaximum) - 1 : undefined,
  ];
  delete out.exclusiveMinimum;
  delete out.exclusiveMaximum;
  const lowers = lower.filter((v): v is number => v !== undefined);
  const uppers = upper.filter((v): v is number => v !== undefined);
  if (lowers.length > 0) out.minimum = Math.max(...lowers);
  else delete out.minimum;
  if (uppers.length > 0) out.maximum = Math.min(...uppers);
  else delete out.maximum;
  return out;
}

function describeTypes(schema: Record<string, unknown>): string {
  return schema.type === undefined ? 'any type' : JSON.stringify(schema.type);
}

function compareTypes(ctx: DiffContext, oldObj: Record<string, unknown>, newObj: Record<string, unknown>, pointer: string): void {
  const oldTypes = typesOf(oldObj);
  const newTypes = typesOf(newObj);
  const removed = [...oldTypes].filter((t) => !newTypes.has(t));
  const added = [...newTypes].filter((t) => !oldTypes.has(t));
  const at = `${pointer}/type`;
  const change = `type ${describeTypes(oldObj)} -> ${describeTypes(newObj)}`;
  if (removed.length > 0 && added.length > 0) {
    report(
      ctx,
      at,
      'type-changed',
      ['BACKWARD', 'FORWARD'],
      `${change}: neither side reads the other's values. Add a new field (or a new major version) instead of changing the type.`,
    );
  } else if (removed.length > 0) {
    report(
      ctx,
      at,
      'type-narrowed',
      ['BACKWARD'],
      `${change}: events written with ${removed.join(', ')} are rejected by consumers on the new schema. Keep accepting them.`,
    );
  } else if (added.length > 0) {
    report(
      ctx,
      at,
      'type-widened',
      ['FORWARD'],
      `${change}: consumers on the old schema reject ${added.join(', ')} values. Upgrade consumers first, or use a new field.`,
    );
  }
}

function compareAllOfByPosition(ctx: DiffContext, oldSchema: Schema, newSchema: Schema, pointer: string): void {
  const oldBranches = isObject(oldSchema) && Array.isArray(oldSchema.allOf) ? oldSchema.allOf : [];
  const newBranches = isObject(newSchema) && Array.isArray(newSchema.allOf) ? newSchema.allOf : [];
  if (oldBranches.length !== newBranches.length) {
    report(
      ctx,
      `${pointer}/allOf`,
      'keyword-changed',
      ['BACKWARD', 'FORWARD'],
      `allOf went from ${oldBranches.length} to ${newBranches.length} parts in a way that cannot be compared exactly; keep allOf parts stable.`,
    );
    return;
  }
  oldBranches.forEach((branch, i) => {
    compareSchemas(ctx, branch, newBranches[i], `${pointer}/allOf/${i}`);
  });
  const { allOf: _o, ...oldRest } = isObject(oldSchema) ? oldSchema : {};
  const { allOf: _n, ...newRest } = isObject(newSchema) ? newSchema : {};
  compareSchemas(ctx, oldRest, newRest, pointer);
}

function compareOtherKeywords(ctx: DiffContext, oldObj: Record<string, unknown>, newObj: Record<string, unknown>, pointer: string): void {
  const keys = new Set([...Object.keys(constraints(oldObj)), ...Object.keys(constraints(newObj))]);
  for (const key of [...keys].sort()) {
    if (HANDLED.has(key) || ANNOTATIONS.has(key)) continue;
    if (canonical(oldObj[key]) === canonical(newObj[key])) continue;
    // Every other keyword only ever restricts: adding one can only narrow, removing one only widen.
    if (!(key in oldObj)) {
      report(
        ctx,
        `${pointer}/${key}`,
        'keyword-changed',
        ['BACKWARD'],
        `\`${key}\` added: events written before may not satisfy it. Validate in the consumer instead.`,
      );
    } else if (!(key in newObj)) {
      report(
        ctx,
        `${pointer}/${key}`,
        'keyword-changed',
        ['FORWARD'],
        `\`${key}\` removed: consumers on the old schema still enforce it. Upgrade consumers first.`,
      );
    } else {
      report(
        ctx,
        `${pointer}/${key}`,
        'keyword-changed',
        ['BACKWARD', 'FORWARD'],
        `\`${key}\` changed and its effect cannot be compared exactly; treat it as breaking or keep it unchanged.`,
      );
    }
  }
}

/** One finding per place and rule: the directions of repeated reports are merged. */
function dedupe(findings: SchemaFinding[]): SchemaFinding[] {
  const merged = new Map<string, SchemaFinding>();
  for (const finding of findings) {
    const key = `${finding.pointer}|${finding.rule}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...finding, breaks: [...finding.breaks] });
    else for (const d of finding.breaks) if (!existing.breaks.includes(d)) existing.breaks.push(d);
  }
  const order: Direction[] = ['BACKWARD', 'FORWARD'];
  return [...merged.values()].map((f) => ({ ...f, breaks: order.filter((d) => f.breaks.includes(d)) }));
}
