// When the signal happened and on which chart timeframe.
//
// Interval: TradingView's `{{interval}}` is minutes as a bare number ("1", "60", "240") or a
// unit with an optional multiplier ("30S", "D", "1D", "W", "M", "3M"). The contract always
// wants the multiplier (`^[1-9][0-9]{0,4}[SDWM]?$`), so "D" becomes "1D". Hand-written
// templates also use "15m", "1h", "4H", "1d"; a lower-case m is minutes and an upper-case M is
// months, as in TradingView. Tick ("100T") and range ("10R") charts have no time-based
// timeframe the contract can carry and are refused.
//
// Event time: `{{timenow}}` (when the alert fired), else `{{time}}` (the bar's time), else the
// gateway's receipt time. RFC 3339 text is kept as written; epoch numbers (seconds or ms) are
// converted; a time without a zone is refused rather than guessed.

export type TimingRead = { ok: true; value: string } | { ok: false; reason: string };

const MAX_MULTIPLIER = 99_999;

// Hand-written units, tried after TradingView's own notation.
const UNIT_PATTERNS: [RegExp, (n: number) => string][] = [
  [/^(\d+)\s*(?:m|min|mins|minutes?)$/i, (n) => `${n}`],
  [/^(\d+)\s*(?:h|hr|hrs|hours?)$/i, (n) => `${n * 60}`],
  [/^(\d+)\s*(?:s|sec|secs|seconds?)$/i, (n) => `${n}S`],
  [/^(\d+)\s*(?:d|days?)$/i, (n) => `${n}D`],
  [/^(\d+)\s*(?:w|wk|weeks?)$/i, (n) => `${n}W`],
  [/^(\d+)\s*(?:mo|months?)$/i, (n) => `${n}M`],
];

export function normalizeInterval(written: string): TimingRead {
  const text = written.trim();
  if (/^\d+$/.test(text)) return checked(written, `${Number(text)}`);
  const tradingView = /^(\d*)([SDWM])$/.exec(text);
  if (tradingView) return checked(written, `${tradingView[1] === '' ? 1 : Number(tradingView[1])}${tradingView[2]}`);
  for (const [pattern, format] of UNIT_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return checked(written, format(Number(match[1])));
  }
  if (/^\d*[TR]$/i.test(text))
    return { ok: false, reason: `interval "${written}" is a tick or range chart, which has no timeframe the contract can carry` };
  return { ok: false, reason: `interval "${written}" is not a TradingView timeframe (e.g. 5, 60, 1D, W, 30S)` };
}

function checked(written: string, normalized: string): TimingRead {
  const multiplier = Number(/^\d+/.exec(normalized)?.[0]);
  if (!(multiplier >= 1 && multiplier <= MAX_MULTIPLIER))
    return { ok: false, reason: `interval "${written}" is out of range (1 to ${MAX_MULTIPLIER} units)` };
  return { ok: true, value: normalized };
}

// What ajv's `date-time` format accepts: full date, `T`, seconds, optional fraction, zone.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
// Epochs outside 2000..2100 are a unit mistake or junk, not a signal time.
const EPOCH_MS_MIN = Date.UTC(2000, 0, 1);
const EPOCH_MS_MAX = Date.UTC(2100, 0, 1);

/** RFC 3339 text for the signal's event time; `field` names the source field in reasons. */
export function parseEventTime(field: string, written: string | number): TimingRead {
  if (typeof written === 'number' || /^\d+(?:\.\d+)?$/.test(written)) return fromEpoch(field, Number(written));
  const text = written.trim();
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) return { ok: false, reason: `${field} "${written}" is not an RFC 3339 timestamp` };
  if (!HAS_ZONE.test(text)) return { ok: false, reason: `${field} "${written}" has no time zone (send {{${field}}}, which is UTC)` };
  return { ok: true, value: RFC3339.test(text) ? text : new Date(millis).toISOString() };
}

function fromEpoch(field: string, epoch: number): TimingRead {
  // Seconds until 1e11 (year 5138); above that it can only be milliseconds.
  const millis = epoch < 1e11 ? epoch * 1000 : epoch;
  if (!(millis >= EPOCH_MS_MIN && millis < EPOCH_MS_MAX)) return { ok: false, reason: `${field} ${epoch} is not a plausible epoch time` };
  return { ok: true, value: new Date(millis).toISOString() };
}
