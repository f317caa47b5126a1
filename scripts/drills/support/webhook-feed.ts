// The drills' webhook traffic: a deterministic feed of TradingView strategy alerts, each with its
// own X-Idempotency-Key, and a sender that behaves like TradingView's (one alert at a time,
// retried with the same key on a connection error or a 5xx when asked to).
import { sleep } from './trading-platform.js';

export interface FeedAlert {
  /** The X-Idempotency-Key: the gateway's idempotency key is `tradingview:key:<key>`. */
  key: string;
  body: string;
}

const INSTRUMENTS = [
  { ticker: 'CME_MINI:ESZ2026', base: 6000 },
  { ticker: 'CME_MINI:NQZ2026', base: 21000 },
] as const;

/**
 * `count` buy alerts, alternating ES and NQ, 1 or 2 contracts, market orders: plain load, whose
 * orders do not depend on what the tradingview-follow agent believes it holds. Prices stay within
 * a few ticks, far below the momentum agent's 0.2 % threshold, so it decides nothing on this feed.
 */
export function buyAlerts(count: number, runId: string): FeedAlert[] {
  return Array.from({ length: count }, (_, i) => buyAlert(i, runId));
}

/**
 * One instrument's round of a strategy, repeated: each order's size depends on the position the
 * tradingview-follow agent holds, so an agent that lost it (a restart that forgot) orders
 * differently. Positions after each: +2, +3, -2 (close 3, open 2), -3, 0, +1, then again from +1.
 */
const STRATEGY_ROUND = [
  { action: 'buy', contracts: 2 },
  { action: 'buy', contracts: 1 },
  // TradingView's order on a flip is the close and the new position together (3 + 2).
  { action: 'reverse', side: 'sell', contracts: 5, market_position: 'short', market_position_size: 2 },
  { action: 'sell', contracts: 1 },
  { action: 'exit' },
  { action: 'buy', contracts: 1 },
] as const;

/**
 * `count` alerts, alternating ES and NQ, each instrument going through STRATEGY_ROUND: entries,
 * adds, reversals and exits, market orders. Prices as in `buyAlerts`.
 */
export function strategyAlerts(count: number, runId: string): FeedAlert[] {
  return Array.from({ length: count }, (_, i) => {
    const order = STRATEGY_ROUND[Math.floor(i / INSTRUMENTS.length) % STRATEGY_ROUND.length] as (typeof STRATEGY_ROUND)[number];
    return alertOf(i, runId, order);
  });
}

function alertOf(i: number, runId: string, order: Record<string, string | number>): FeedAlert {
  const instrument = INSTRUMENTS[i % INSTRUMENTS.length] as (typeof INSTRUMENTS)[number];
  return {
    key: `${runId}-${String(i).padStart(5, '0')}`,
    body: JSON.stringify({
      ticker: instrument.ticker,
      ...order,
      price: instrument.base + (i % 5) * 0.25,
      orderType: 'market',
      timenow: new Date(Date.UTC(2026, 10, 24, 14, 30, 0, i)).toISOString(),
    }),
  };
}

/** The `i`-th alert of `buyAlerts` (a flood makes them as it goes). */
export function buyAlert(i: number, runId: string): FeedAlert {
  return alertOf(i, runId, { action: 'buy', contracts: i % 3 === 0 ? 2 : 1 });
}

/** The gateway's idempotency key of an alert sent with X-Idempotency-Key `key`. */
export const gatewayKey = (key: string) => `tradingview:key:${key}`;

export interface SendOutcome {
  key: string;
  /** The final HTTP status; 0 when no answer ever came. */
  status: number;
  /** The gateway's delivery status for a 202 (published or queued). */
  delivery?: string;
  retryAfter?: string | null;
  attempts: number;
}

export interface SendOptions {
  /** Retry connection errors and 5xx with the same key until this many ms have passed (0: send once). */
  retryForMs?: number;
}

export async function sendAlert(url: string, alert: FeedAlert, options: SendOptions = {}): Promise<SendOutcome> {
  const deadline = Date.now() + (options.retryForMs ?? 0);
  let attempts = 0;
  let last: SendOutcome = { key: alert.key, status: 0, attempts };
  for (;;) {
    attempts++;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-idempotency-key': alert.key },
        body: alert.body,
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      last = { key: alert.key, status: res.status, attempts, retryAfter: res.headers.get('retry-after') };
      if (res.status === 202) last.delivery = body.status;
      if (res.status < 500) return last;
    } catch {
      last = { key: alert.key, status: 0, attempts }; // refused or reset: the process is down
    }
    if (Date.now() >= deadline) return last;
    await sleep(Math.min(1_000, 100 * attempts));
  }
}

/**
 * Sends the alerts at a steady pace (one every `intervalMs`, each on its own, as TradingView
 * does), calling `beforeSend(i)` first so a drill can act at a point of the stream.
 */
export async function sendPaced(
  url: string,
  alerts: readonly FeedAlert[],
  intervalMs: number,
  options: SendOptions & {
    beforeSend?: (index: number) => Promise<void> | void;
    /**
     * Each alert only once the previous one was accepted (or given up): a strategy's alerts
     * whose meaning depends on their order (exit, reverse) then reach the gateway in that order,
     * even when retries of one overlap the next. Otherwise alerts are sent without waiting.
     */
    inOrder?: boolean;
  } = {},
): Promise<SendOutcome[]> {
  const sends: Promise<SendOutcome>[] = [];
  let nextAt = Date.now();
  for (const [i, alert] of alerts.entries()) {
    await options.beforeSend?.(i);
    const due = nextAt - Date.now();
    if (due > 0) await sleep(due);
    nextAt = Date.now() + intervalMs;
    const sent = sendAlert(url, alert, options);
    sends.push(sent);
    if (options.inOrder) await sent;
  }
  return Promise.all(sends);
}
