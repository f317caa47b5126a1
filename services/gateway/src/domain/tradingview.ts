// Parses a TradingView alert body into typed fields under canonical names. TradingView sends the
// alert message as the body: JSON when the message is valid JSON (with Content-Type
// application/json, but proxies and users' own senders often say text/plain), free text
// otherwise. Field names come from the alias table; values are type-checked here, once, so
// normalization never sees "abc" where it expects a number or a literal `{{close}}`.
import { parseStrictNumber } from './numbers.js';
import { fieldForName, TRADINGVIEW_FIELDS, type TradingViewFieldName, type TradingViewFields } from './tradingview-aliases.js';
import { parseTextAlert, type RawEntry } from './tradingview-text.js';

export type { TradingViewFields } from './tradingview-aliases.js';

export type AlertParse = { ok: true; format: 'json' | 'text'; fields: TradingViewFields } | { ok: false; reason: string };

/** Nesting deeper than this is not an alert template ({"strategy": {"order": {...}}} is 3). */
export const MAX_JSON_DEPTH = 4;
/** More leaves than this is not an alert template either. */
export const MAX_JSON_FIELDS = 200;

const PLACEHOLDER = /\{\{[^}]*\}\}/;

export function parseTradingViewAlert(body: string, contentType: string): AlertParse {
  const text = body.trim();
  if (text === '') return { ok: false, reason: 'empty body' };
  const looksJson = /\bjson\b/i.test(contentType) || (text.startsWith('{') && !text.startsWith('{{')) || text.startsWith('[');
  if (!looksJson) {
    const parsed = parseTextAlert(text);
    return parsed.ok ? readFields(parsed.entries, 'text') : parsed;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: unquotedPlaceholderReason(text) ?? `malformed JSON body: ${(err as Error).message}` };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, reason: `a JSON body must be an object, got ${Array.isArray(document) ? 'an array' : typeof document}` };
  }
  const entries: RawEntry[] = [];
  const flattened = flatten(document as Record<string, unknown>, '', 1, entries);
  return flattened ?? readFields(entries, 'json');
}

/** Leaves of nested objects become dotted names (`strategy.order.action`); arrays stay values. */
function flatten(object: Record<string, unknown>, prefix: string, depth: number, out: RawEntry[]): AlertParse | undefined {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (depth >= MAX_JSON_DEPTH) return { ok: false, reason: `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels (at "${name}")` };
      const failed = flatten(value as Record<string, unknown>, name, depth + 1, out);
      if (failed) return failed;
    } else out.push({ name, value });
    if (out.length > MAX_JSON_FIELDS) return { ok: false, reason: `the JSON body has more than ${MAX_JSON_FIELDS} fields` };
  }
  return undefined;
}

function readFields(entries: RawEntry[], format: 'json' | 'text'): AlertParse {
  const fields: Record<string, unknown> = {};
  const setBy = new Map<TradingViewFieldName, string>();
  for (const { name, value } of entries) {
    const field = fieldForName(name);
    if (field === undefined || value === null || value === undefined) continue;
    const read = readValue(field, name, value);
    if (!read.ok) return read;
    if (read.value === undefined) continue;
    const previous = setBy.get(field);
    if (previous !== undefined && fields[field] !== read.value) {
      return {
        ok: false,
        reason: `conflicting values for ${field}: "${previous}" is ${String(fields[field])}, "${name}" is ${String(read.value)}`,
      };
    }
    fields[field] = read.value;
    setBy.set(field, name);
  }
  return { ok: true, format, fields: fields as TradingViewFields };
}

type ValueRead = { ok: true; value: string | number | undefined } | { ok: false; reason: string };

function readValue(field: TradingViewFieldName, name: string, value: unknown): ValueRead {
  const { kind, placeholder } = TRADINGVIEW_FIELDS[field];
  if (typeof value === 'string') {
    const hole = PLACEHOLDER.exec(value);
    if (hole) return { ok: false, reason: `field "${name}" was not filled in: TradingView left the placeholder ${hole[0]}` };
    if (value.trim() === '') return { ok: true, value: undefined };
  }
  if (typeof value === 'object')
    return {
      ok: false,
      reason: `field "${name}" must be ${kind === 'text' ? 'text' : 'a number'}, got ${Array.isArray(value) ? 'an array' : 'an object'}`,
    };
  switch (kind) {
    case 'text':
      return { ok: true, value: String(value).trim() };
    case 'time':
      return typeof value === 'number' ? { ok: true, value } : { ok: true, value: String(value).trim() };
    default: {
      const parsed = parseStrictNumber(`field "${name}"`, value);
      if (!parsed.ok) return { ok: false, reason: `${parsed.reason} (expected ${placeholder})` };
      if (kind === 'quantity' && parsed.value <= 0)
        return { ok: false, reason: `field "${name}" must be greater than 0, got ${parsed.value}` };
      if (kind === 'size' && parsed.value < 0) return { ok: false, reason: `field "${name}" must not be negative, got ${parsed.value}` };
      return { ok: true, value: parsed.value };
    }
  }
}

/** `"price": {{close}}` that TradingView did not fill is not JSON; say which field it was. */
function unquotedPlaceholderReason(text: string): string | undefined {
  const keyed = /"([^"]+)"\s*:\s*(\{\{[^}]*\}\})/.exec(text);
  if (keyed) return `field "${keyed[1]}" was not filled in: TradingView left the placeholder ${keyed[2]}`;
  const bare = PLACEHOLDER.exec(text);
  return bare ? `the body holds an unfilled placeholder ${bare[0]}` : undefined;
}
