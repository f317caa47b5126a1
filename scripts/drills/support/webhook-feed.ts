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
 * `count` buy alerts, alternating ES and NQ, 1 or 2 contracts, market orders. Buys only: the
 * tradingview-follow agent then orders exactly the alert's quantity whatever position it
 * believes it has. Its belief lives in memory, so after a kill -9 of agent-mcp it believes it is
 * flat: an `exit` or `reverse` after the restart orders nothing or the wrong size, and the
 * positions differ from an undisturbed run (a known gap, not covered by this feed). Prices stay
 * within a few ticks, far below the momentum agent's 0.2 % threshold, so it decides nothing on
 * this feed, before or after a crash (its price window lives in memory too).
 */
export function buyAlerts(count: number, runId: string): FeedAlert[] {
  return Array.from({ length: count }, (_, i) => buyAlert(i, runId));
}

/** The `i`-th alert of `buyAlerts` (a flood makes them as it goes). */
export function buyAlert(i: number, runId: string): FeedAlert {
  const instrument = INSTRUMENTS[i % INSTRUMENTS.length] as (typeof INSTRUMENTS)[number];
  return {
    key: `${runId}-${String(i).padStart(5, '0')}`,
    body: JSON.stringify({
      ticker: instrument.ticker,
      action: 'buy',
      contracts: i % 3 === 0 ? 2 : 1,
      price: instrument.base + (i % 5) * 0.25,
      orderType: 'market',
      timenow: new Date(Date.UTC(2026, 10, 24, 14, 30, 0, i)).toISOString(),
    }),
  };
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
  options: SendOptions & { beforeSend?: (index: number) => Promise<void> | void } = {},
): Promise<SendOutcome[]> {
  const sends: Promise<SendOutcome>[] = [];
  let nextAt = Date.now();
  for (const [i, alert] of alerts.entries()) {
    await options.beforeSend?.(i);
    const due = nextAt - Date.now();
    if (due > 0) await sleep(due);
    nextAt = Date.now() + intervalMs;
    sends.push(sendAlert(url, alert, options));
  }
  return Promise.all(sends);
}
