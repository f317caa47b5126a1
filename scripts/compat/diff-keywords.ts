// Keyword comparers for strings, numbers, arrays and listed values (enum/const).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { brokenDirections, compareSchemas, type DiffContext, report } from './schema-diff.js';
import { canonical, isObject, listedValues, type SchemaObject, typesOf } from './schema-model.js';
import type { Direction } from './types.js';

type Bound = number | undefined;

const NUMERIC = new Set(['number', 'integer']);

/** A lower bound (minLength, minItems, ...): 0 and absent mean the same. */
export function lowerBound(ctx: DiffContext, oldValue: Bound, newValue: Bound, pointer: string, rule: string, what: string): void {
  const o = oldValue ?? 0;
  const n = newValue ?? 0;
  if (o === n) return;
  if (n > o)
    report(ctx, pointer, rule, ['BACKWARD'], `${what} raised from ${o} to ${n}: events written with less are rejected. Keep ${o}.`);
  else
    report(
      ctx,
      pointer,
      rule,
      ['FORWARD'],
      `${what} lowered from ${o} to ${n}: consumers on the old schema reject the shorter values. Upgrade consumers first.`,
    );
}

/** An upper bound (maxLength, maxItems, ...): absent means unbounded. */
export function upperBound(ctx: DiffContext, oldValue: Bound, newValue: Bound, pointer: string, rule: string, what: string): void {
  const o = oldValue ?? Number.POSITIVE_INFINITY;
  const n = newValue ?? Number.POSITIVE_INFINITY;
  if (o === n) return;
  if (n < o)
    report(ctx, pointer, rule, ['BACKWARD'], `${what} lowered from ${o} to ${n}: events written with more are rejected. Keep ${o}.`);
  else
    report(
      ctx,
      pointer,
      rule,
      ['FORWARD'],
      `${what} raised from ${o} to ${n}: consumers on the old schema reject the longer values. Upgrade consumers first.`,
    );
}

function num(value: unknown): Bound {
  return typeof value === 'number' ? value : undefined;
}

/** An added, removed or changed keyword whose values cannot be compared (pattern, format). */
function opaque(ctx: DiffContext, oldValue: unknown, newValue: unknown, pointer: string, kind: string): void {
  if (oldValue === newValue) return;
  if (oldValue === undefined)
    report(
      ctx,
      pointer,
      `${kind}-added`,
      ['BACKWARD'],
      `${kind} ${JSON.stringify(newValue)} added: events written before may not match it. Validate in the consumer instead, or add a new field.`,
    );
  else if (newValue === undefined)
    report(
      ctx,
      pointer,
      `${kind}-removed`,
      ['FORWARD'],
      `${kind} ${JSON.stringify(oldValue)} removed: consumers on the old schema reject values that no longer match it. Upgrade consumers first.`,
    );
  else
    report(
      ctx,
      pointer,
      `${kind}-changed`,
      ['BACKWARD', 'FORWARD'],
      `${kind} ${JSON.stringify(oldValue)} -> ${JSON.stringify(newValue)}: values valid under one may be invalid under the other. Keep it, or add a new field.`,
    );
}

export function compareStringKeywords(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  lowerBound(ctx, num(o.minLength), num(n.minLength), `${pointer}/minLength`, 'min-length-changed', 'minLength');
  upperBound(ctx, num(o.maxLength), num(n.maxLength), `${pointer}/maxLength`, 'max-length-changed', 'maxLength');
  opaque(ctx, o.pattern, n.pattern, `${pointer}/pattern`, 'pattern');
  opaque(ctx, o.format, n.format, `${pointer}/format`, 'format');
}

interface NumericBound {
  value: number;
  exclusive: boolean;
}

/** The effective bound of minimum/exclusiveMinimum (or the maximum pair): the tighter one wins. */
function effectiveBound(schema: SchemaObject, side: 'min' | 'max'): NumericBound | undefined {
  const inclusive = num(side === 'min' ? schema.minimum : schema.maximum);
  const exclusive = num(side === 'min' ? schema.exclusiveMinimum : schema.exclusiveMaximum);
  if (inclusive === undefined) return exclusive === undefined ? undefined : { value: exclusive, exclusive: true };
  if (exclusive === undefined) return { value: inclusive, exclusive: false };
  const exclusiveIsTighter = side === 'min' ? exclusive >= inclusive : exclusive <= inclusive;
  return exclusiveIsTighter ? { value: exclusive, exclusive: true } : { value: inclusive, exclusive: false };
}

/** -1 when `a` admits less than `b`, 1 when more, 0 when the same. */
function tightness(a: NumericBound | undefined, b: NumericBound | undefined, side: 'min' | 'max'): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (a.value !== b.value) return (side === 'min' ? a.value > b.value : a.value < b.value) ? -1 : 1;
  return a.exclusive === b.exclusive ? 0 : a.exclusive ? -1 : 1;
}

function describe(bound: NumericBound | undefined, side: 'min' | 'max'): string {
  if (bound === undefined) return 'none';
  return `${side === 'min' ? (bound.exclusive ? '>' : '>=') : bound.exclusive ? '<' : '<='} ${bound.value}`;
}

function isMultiple(value: number, of: number): boolean {
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

export function compareNumberKeywords(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  for (const side of ['min', 'max'] as const) {
    const oldBound = effectiveBound(o, side);
    const newBound = effectiveBound(n, side);
    const order = tightness(newBound, oldBound, side);
    if (order === 0) continue;
    const keyword =
      side === 'min'
        ? n.exclusiveMinimum !== undefined && n.minimum === undefined
          ? 'exclusiveMinimum'
          : 'minimum'
        : n.exclusiveMaximum !== undefined && n.maximum === undefined
          ? 'exclusiveMaximum'
          : 'maximum';
    const rule = side === 'min' ? 'minimum-changed' : 'maximum-changed';
    const change = `bound ${describe(oldBound, side)} -> ${describe(newBound, side)}`;
    if (order < 0)
      report(
        ctx,
        `${pointer}/${keyword}`,
        rule,
        ['BACKWARD'],
        `${change}: events written with values outside it are rejected. Keep the old bound.`,
      );
    else
      report(
        ctx,
        `${pointer}/${keyword}`,
        rule,
        ['FORWARD'],
        `${change}: consumers on the old schema reject the newly allowed values. Upgrade consumers first.`,
      );
  }
  // Every integer is a multiple of 1: an integer-only schema has multipleOf 1 implicitly.
  const integerOnly = (schema: SchemaObject) =>
    [...typesOf(schema)].every((t) => t === 'integer' || !NUMERIC.has(t)) && typesOf(schema).has('integer');
  const om = num(o.multipleOf) ?? (integerOnly(o) ? 1 : undefined);
  const nm = num(n.multipleOf) ?? (integerOnly(n) ? 1 : undefined);
  if (om === nm) return;
  const breaks: Direction[] = [];
  if (nm !== undefined && (om === undefined || !isMultiple(om, nm))) breaks.push('BACKWARD');
  if (om !== undefined && (nm === undefined || !isMultiple(nm, om))) breaks.push('FORWARD');
  report(
    ctx,
    `${pointer}/multipleOf`,
    'multiple-of-changed',
    breaks,
    `multipleOf ${om ?? 'none'} -> ${nm ?? 'none'}${breaks.length ? ': some values valid under one are invalid under the other.' : ''}`,
  );
}

export function compareArrayKeywords(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  if (Array.isArray(o.items) && Array.isArray(n.items) && o.items.length === n.items.length) {
    const newItems = n.items;
    o.items.forEach((item, i) => {
      compareSchemas(ctx, item, newItems[i], `${pointer}/items/${i}`);
    });
    const oldRest = o.additionalItems ?? true;
    const newRest = n.additionalItems ?? true;
    if (canonical(oldRest) !== canonical(newRest)) {
      const breaks = brokenDirections(ctx, oldRest, newRest, `${pointer}/additionalItems`);
      report(
        ctx,
        `${pointer}/additionalItems`,
        'items-changed',
        breaks,
        `additionalItems ${JSON.stringify(oldRest)} -> ${JSON.stringify(newRest)}${breaks.length ? ': items past the tuple are read differently.' : '.'}`,
      );
    }
  } else if (Array.isArray(o.items) || Array.isArray(n.items)) {
    report(ctx, `${pointer}/items`, 'items-changed', ['BACKWARD', 'FORWARD'], 'tuple items changed shape: keep positional items stable.');
  } else if ((o.items === undefined) !== (n.items === undefined)) {
    const breaks = brokenDirections(ctx, o.items ?? true, n.items ?? true, `${pointer}/items`);
    report(
      ctx,
      `${pointer}/items`,
      'items-changed',
      breaks,
      `items ${o.items === undefined ? 'added' : 'removed'}${breaks.length ? ': array elements valid under one side are rejected by the other.' : '.'}`,
    );
  } else {
    compareSchemas(ctx, o.items ?? true, n.items ?? true, `${pointer}/items`);
  }
  lowerBound(ctx, num(o.minItems), num(n.minItems), `${pointer}/minItems`, 'min-items-changed', 'minItems');
  upperBound(ctx, num(o.maxItems), num(n.maxItems), `${pointer}/maxItems`, 'max-items-changed', 'maxItems');
  const ou = o.uniqueItems === true;
  const nu = n.uniqueItems === true;
  if (ou !== nu) {
    if (nu)
      report(
        ctx,
        `${pointer}/uniqueItems`,
        'unique-items-changed',
        ['BACKWARD'],
        'uniqueItems added: events written with repeated items are rejected.',
      );
    else
      report(
        ctx,
        `${pointer}/uniqueItems`,
        'unique-items-changed',
        ['FORWARD'],
        'uniqueItems removed: consumers on the old schema reject repeated items.',
      );
  }
}

const ajv = new Ajv.default({ strict: false, allErrors: false, validateSchema: false, addUsedSchema: false });
addFormats.default(ajv);
const compiled = new WeakMap<object, Map<unknown, (value: unknown) => boolean>>();

/** Exact membership test of a listed value in a schema (refs resolve against the side's root). */
function accepts(root: unknown, schema: SchemaObject, value: unknown): boolean {
  let byRoot = compiled.get(schema);
  if (!byRoot) {
    byRoot = new Map();
    compiled.set(schema, byRoot);
  }
  let validate = byRoot.get(root);
  if (!validate) {
    const defs = isObject(root) ? { definitions: root.definitions, $defs: root.$defs } : {};
    try {
      const fn = ajv.compile({ ...defs, ...schema, $id: undefined, $schema: undefined });
      validate = (v: unknown) => fn(v) as boolean;
    } catch {
      // A schema ajv cannot compile accepts nothing we could prove: the comparison stays conservative.
      validate = () => false;
    }
    byRoot.set(root, validate);
  }
  return validate(value);
}

function show(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * enum and const: decided exactly by checking each listed value against the other schema.
 * Returns true when either side lists its values (nothing else then needs comparing).
 */
export function compareListedValues(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): boolean {
  // A listed value its own schema rejects (an enum entry of the wrong type) is not an instance.
  const oldValues = listedValues(o)?.filter((v) => accepts(ctx.oldRoot, o, v));
  const newValues = listedValues(n)?.filter((v) => accepts(ctx.newRoot, n, v));
  if (!oldValues && !newValues) return false;
  const oldRejected = oldValues?.filter((v) => !accepts(ctx.newRoot, n, v)) ?? [];
  const newRejected = newValues?.filter((v) => !accepts(ctx.oldRoot, o, v)) ?? [];
  const isConst = 'const' in o || 'const' in n;
  const kind = isConst ? 'const' : 'enum';
  const at = `${pointer}/${'const' in n || (!('enum' in n) && 'const' in o) ? 'const' : 'enum'}`;
  if (oldValues && newValues) {
    if (isConst && (oldRejected.length || newRejected.length)) {
      const breaks: Direction[] = [
        ...(oldRejected.length ? ['BACKWARD' as const] : []),
        ...(newRejected.length ? ['FORWARD' as const] : []),
      ];
      report(
        ctx,
        at,
        'const-changed',
        breaks,
        `value ${show(oldValues)} -> ${show(newValues)}: the two sides disagree. Keep the value, or add a new field.`,
      );
      return true;
    }
    if (oldRejected.length)
      report(
        ctx,
        at,
        'enum-narrowed',
        ['BACKWARD'],
        `${show(oldRejected)} no longer allowed: events written with ${oldRejected.length > 1 ? 'them' : 'it'} are rejected. Keep the value (deprecate it in the description).`,
      );
    if (newRejected.length)
      report(
        ctx,
        at,
        'enum-extended',
        ['FORWARD'],
        `${show(newRejected)} added: consumers on the old schema reject ${newRejected.length > 1 ? 'them' : 'it'}. Upgrade consumers before producers send it.`,
      );
    return true;
  }
  if (newValues) {
    const breaks: Direction[] = ['BACKWARD', ...(newRejected.length ? ['FORWARD' as const] : [])];
    report(
      ctx,
      at,
      `${kind}-added`,
      breaks,
      `now restricted to ${show(newValues)}: events written with other values are rejected. Keep the field open.`,
    );
    return true;
  }
  const breaks: Direction[] = [...(oldRejected.length ? ['BACKWARD' as const] : []), 'FORWARD'];
  report(
    ctx,
    at,
    `${kind}-removed`,
    breaks,
    `no longer restricted to ${show(oldValues ?? [])}: consumers on the old schema reject other values. Upgrade consumers first.`,
  );
  return true;
}
