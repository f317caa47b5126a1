// The grammar of futures tickers: continuous `ROOT` + rank + `!` (TradingView's `ES1!`, `ES2!`)
// and dated `ROOT` + month code + year (`ESZ2026`, `ESZ26`, `ESZ6`). The root is checked against
// the catalog, so `SR31!` can be told from `SR3` + `1!` by knowing which root exists.
import type { FuturesRoot } from './schema.js';

/** CME month codes, January to December. */
export const MONTH_CODES = ['F', 'G', 'H', 'J', 'K', 'M', 'N', 'Q', 'U', 'V', 'X', 'Z'] as const;
export type MonthCode = (typeof MONTH_CODES)[number];

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export type FuturesContractSpec =
  /** A continuous series; rank 1 is the front month. */
  | { kind: 'continuous'; rank: number }
  /** A dated contract; `year` as written: 1, 2 or 4 digits (the caller resolves the decade). */
  | { kind: 'dated'; monthCode: MonthCode; month: number; year: string };

export type FuturesSymbolParse =
  | { ok: true; rules: FuturesRoot; contract: FuturesContractSpec }
  | { ok: false; reason: string; shaped: boolean };

const CONTINUOUS = /^([A-Z0-9]+?)([1-9][0-9]?)!$/;
const DATED = /^([A-Z0-9]+)([FGHJKMNQUVXZ])([0-9]{1,4})$/;

/**
 * Parses a futures symbol (no exchange prefix, upper case). On failure `shaped` tells whether the
 * symbol looked like a futures ticker (then the reason is about the root or the month) or not.
 */
export function parseFuturesSymbol(symbol: string, lookupRoot: (root: string) => FuturesRoot | undefined): FuturesSymbolParse {
  if (symbol.endsWith('!')) return parseContinuous(symbol, lookupRoot);
  const dated = DATED.exec(symbol);
  if (!dated)
    return { ok: false, shaped: false, reason: `"${symbol}" is not a futures ticker (ROOT + rank + "!", or ROOT + month code + year)` };
  const [, root = '', monthCode = '', year = ''] = dated;
  if (year.length === 3) return { ok: false, shaped: true, reason: `"${symbol}" has a 3-digit year; use 1, 2 or 4 digits` };
  const rules = lookupRoot(root);
  if (!rules) return { ok: false, shaped: true, reason: `unknown futures root "${root}"` };
  const code = monthCode as MonthCode;
  const month = MONTH_CODES.indexOf(code) + 1;
  if (rules.months !== undefined && !rules.months.includes(code)) {
    const listed = [...rules.months].join(' ');
    return {
      ok: false,
      shaped: true,
      reason: `${rules.root} has no ${code} (${MONTH_NAMES[month - 1]}) contract; listed months are ${listed}`,
    };
  }
  return { ok: true, rules, contract: { kind: 'dated', monthCode: code, month, year } };
}

function parseContinuous(symbol: string, lookupRoot: (root: string) => FuturesRoot | undefined): FuturesSymbolParse {
  const body = symbol.slice(0, -1);
  // Try every split of "ROOT + rank" (the rank has 1-2 digits) and keep the one whose root exists.
  for (const rankDigits of [1, 2]) {
    const root = body.slice(0, -rankDigits);
    const rank = body.slice(-rankDigits);
    if (root && /^[1-9][0-9]?$/.test(rank)) {
      const rules = lookupRoot(root);
      if (rules) return { ok: true, rules, contract: { kind: 'continuous', rank: Number(rank) } };
    }
  }
  const shape = CONTINUOUS.exec(symbol);
  if (!shape) return { ok: false, shaped: true, reason: `"${symbol}" is not a continuous futures ticker (ROOT + rank + "!", e.g. ES1!)` };
  return { ok: false, shaped: true, reason: `unknown futures root "${body.slice(0, -1)}"` };
}
