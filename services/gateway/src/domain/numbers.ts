// Strict number parsing for alert fields. TradingView fills placeholders as text, so numbers
// arrive as JSON numbers or as strings ("2", "6012.25", "1,000.5"). Anything that is not
// plainly a number is refused rather than guessed: `Number("")` is 0 and `parseFloat("2abc")`
// is 2, and either would turn a broken alert into a real order.

/** Magnitudes above this are refused: no price or quantity is that large, and doubles lose integer precision near 2^53. */
export const MAX_MAGNITUDE = 1e15;

export type NumberParse = { ok: true; value: number } | { ok: false; reason: string };

// Digits with an optional well-formed thousands grouping (1,000 / 12,345,678), optional
// fraction and exponent. "1,00", "1.000,5", ".", "1e", "0x10", "NaN" and "Infinity" do not match.
const DECIMAL = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Parses a JSON number or a numeric string; `field` names the field in the reason. */
export function parseStrictNumber(field: string, raw: unknown): NumberParse {
  if (typeof raw === 'number') return checkRange(field, raw, String(raw));
  if (typeof raw !== 'string') return { ok: false, reason: `${field} must be a number, got ${describe(raw)}` };
  const text = raw.trim();
  if (!DECIMAL.test(text) || !/\d/.test(text.replace(/[eE][+-]?\d+$/, ''))) {
    return { ok: false, reason: `${field} "${raw}" is not a number` };
  }
  return checkRange(field, Number(text.replace(/,/g, '')), raw);
}

function checkRange(field: string, value: number, written: string): NumberParse {
  if (!Number.isFinite(value)) return { ok: false, reason: `${field} "${written}" is not a finite number` };
  if (Math.abs(value) > MAX_MAGNITUDE)
    return { ok: false, reason: `${field} ${written} is out of range (magnitude above ${MAX_MAGNITUDE})` };
  // -0 would serialize as 0 but compare oddly; normalize it.
  return { ok: true, value: value === 0 ? 0 : value };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
