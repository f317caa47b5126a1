// A continuous futures series (TradingView's ES1!, NQ2!) names no contract that can be traded:
// an order, a position and a price must be for a dated contract. This maps rank n of a root to
// the n-th listed contract month that is not yet rolling off, at a given time, so the agent that
// answers an ES1! signal orders ESZ6 and exec-sim prices ESZ6 from the same signal.
//
// Roll rule (one for every root, stated here rather than per exchange): a contract month expires
// on its third Friday (the equity index and FX futures rule) and the series rolls to the next
// listed month ROLL_DAYS_BEFORE_EXPIRY days before that, as volume does. Monthly energy and
// metal contracts expire earlier in reality; the catalog has no expiry calendar, so the series
// may roll a few days late for them.
import type { Instrument } from '../../../../generated/types.js';
import type { InstrumentCatalog } from './catalog.js';
import { MONTH_CODES, parseFuturesSymbol } from './futures-symbol.js';
import type { FuturesRoot } from './schema.js';

export const ROLL_DAYS_BEFORE_EXPIRY = 8;
const DAY_MS = 86_400_000;

/** The dated contract (`ESZ6`, `2026-12`) that rank `rank` (1 = front) of a root's continuous series trades at `at`. */
export function datedContract(rules: FuturesRoot, rank: number, at: Date): { symbol: string; contractMonth: string } {
  const listed = new Set(rules.months ?? MONTH_CODES.join(''));
  const rollAt = at.getTime() + ROLL_DAYS_BEFORE_EXPIRY * DAY_MS;
  let year = at.getUTCFullYear();
  let month = at.getUTCMonth(); // 0-based
  let found = 0;
  // At most 12 months per rank are scanned: every root lists at least one month a year.
  for (let scanned = 0; scanned < 12 * (rank + 1); scanned++) {
    const code = MONTH_CODES[month] as string;
    if (listed.has(code) && thirdFriday(year, month) > rollAt && ++found === rank)
      return { symbol: `${rules.root}${code}${year % 10}`, contractMonth: `${year}-${String(month + 1).padStart(2, '0')}` };
    month = (month + 1) % 12;
    if (month === 0) year++;
  }
  throw new Error(`${rules.root} lists no contract month (${rules.months})`);
}

/**
 * The instrument an order or a price should name: a continuous futures series becomes its dated
 * contract at `at`; anything else (a dated contract, FX, crypto, an unknown root) is unchanged.
 */
export function tradableInstrument(catalog: InstrumentCatalog, instrument: Instrument, at: Date): Instrument {
  if (instrument.assetClass !== 'futures' || !instrument.symbol.endsWith('!')) return instrument;
  const parsed = parseFuturesSymbol(instrument.symbol, (root) => catalog.futuresRoot(root));
  if (!parsed.ok || parsed.contract.kind !== 'continuous') return instrument;
  const { continuous: _continuous, ...rest } = instrument;
  return { ...rest, ...datedContract(parsed.rules, parsed.contract.rank, at), root: parsed.rules.root };
}

function thirdFriday(year: number, month: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay(); // 0 = Sunday, 5 = Friday
  const firstFriday = 1 + ((5 - firstWeekday + 7) % 7);
  return Date.UTC(year, month, firstFriday + 14);
}
