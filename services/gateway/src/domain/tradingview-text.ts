// Plain-text TradingView alerts. Three shapes, mixed freely:
//   - `key: value` lines (one field per line, the value is the rest of the line);
//   - `key=value` pairs separated by spaces (quote a value that has spaces: comment="ORB long");
//   - free text: TradingView's default strategy message ("order buy @ 2 filled on ESZ2026. New
//     strategy position is 2") or a terse "BUY 2 ES1! @ 6012.25" / "sell BTCUSDT".
// Only keys of the alias table count as keys, so `CME_MINI:ES1!` stays a ticker, not a field.
// The result is a list of (name, value) entries; tradingview.ts reads them like JSON fields.
import { isActionWord } from './signal-action.js';
import { fieldForName } from './tradingview-aliases.js';

export interface RawEntry {
  /** The name as the user wrote it (a key), or the canonical field name for free-text finds. */
  name: string;
  value: unknown;
}

export type TextParse = { ok: true; entries: RawEntry[] } | { ok: false; reason: string };

const KEY_COLON_LINE = /^\s*([A-Za-z][\w.-]*)\s*:\s+(.+?)\s*$/;
const KEY_EQUALS = /([A-Za-z][\w.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s;]+)/g;
const PLACEHOLDER = /\{\{[^}]*\}\}/;
// "{{strategy.order.action}} @ {{strategy.order.contracts}} filled on {{ticker}}. New strategy position is {{strategy.position_size}}"
const DEFAULT_STRATEGY_MESSAGE =
  /\border\s+(\w+)\s+@\s+(\S+)\s+filled\s+on\s+(\S+?)\.?\s+new\s+strategy\s+position\s+is\s+(-?[\d.,]+?)\.?(?:\s|$)/i;
const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d+)?$/;
const TICKER = /^(?:[A-Z][A-Z0-9_]*:)?[A-Z0-9][A-Z0-9._!/-]*$/;

export function parseTextAlert(text: string): TextParse {
  const entries: RawEntry[] = [];
  const freeLines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = KEY_COLON_LINE.exec(line);
    if (colon?.[1] && fieldForName(colon[1])) {
      entries.push({ name: colon[1], value: colon[2] });
      continue;
    }
    freeLines.push(
      line.replace(KEY_EQUALS, (pair, key: string, value: string) => {
        if (!fieldForName(key)) return pair;
        entries.push({ name: key, value: unquote(value) });
        return ' ';
      }),
    );
  }
  const free = freeLines.join(' ').trim();
  const placeholder = PLACEHOLDER.exec(free);
  if (placeholder) return { ok: false, reason: `the text alert holds an unfilled placeholder ${placeholder[0]}` };
  entries.push(...parseFreeText(free));
  if (entries.length === 0)
    return { ok: false, reason: 'no fields found in the text alert (expected key=value pairs or "BUY 2 ES1! @ 6012.25")' };
  return { ok: true, entries };
}

function parseFreeText(free: string): RawEntry[] {
  const message = DEFAULT_STRATEGY_MESSAGE.exec(free);
  if (message) {
    const [, action, contracts, ticker, position] = message;
    return [
      { name: 'action', value: action },
      { name: 'quantity', value: contracts },
      { name: 'ticker', value: ticker },
      { name: 'positionSize', value: position },
    ];
  }
  return scanWords(free.split(/\s+/).filter(Boolean));
}

/** First action word, first bare number (quantity), the number after `@` (price), first ticker-shaped word. */
function scanWords(words: string[]): RawEntry[] {
  const found = new Map<string, string>();
  const take = (name: string, value: string) => {
    if (!found.has(name)) found.set(name, value);
  };
  for (let i = 0; i < words.length; i++) {
    const word = (words[i] ?? '').replace(/[,;]+$/, '');
    if (word === '@') {
      const next = words[i + 1];
      if (next !== undefined) take('price', next.replace(/[,;]+$/, ''));
      i++;
    } else if (word.startsWith('@')) take('price', word.slice(1));
    else if (isActionWord(word)) take('action', word);
    else if (NUMBER.test(word) && /\d/.test(word)) take('quantity', word);
    else {
      const ticker = word.replace(/\.+$/, '');
      if (TICKER.test(ticker) && /[A-Z]/.test(ticker) && ticker.length >= 2) take('ticker', ticker);
    }
  }
  return [...found].map(([name, value]) => ({ name, value }));
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(value);
  return quoted ? (quoted[1] ?? quoted[2] ?? '') : value.replace(/,$/, '');
}
