// Sends the feed through the real webhook endpoint, paced at a rate, each instrument's alerts in
// order, and records when each was sent and answered.
// A 429 or 503 (the gateway's backpressure) is waited out as its Retry-After says and the alert
// sent again; a 401 stops the replay, since no later alert would pass either.
import { type FeedAlert, webhookBody } from './feed.js';

export interface SentAlert {
  alert: FeedAlert;
  /** Epoch milliseconds (fractional) when the request was sent and when its answer arrived. */
  sentAt: number;
  answeredAt: number;
  status: number;
  /** The normalized signal's id, when the gateway normalized the alert (agents act on it). */
  signalId?: string;
  /** Why the gateway did not normalize or did not accept it. */
  reason?: string;
}

export interface ReplayOptions {
  gatewayUrl: string;
  token: string;
  alerts: readonly FeedAlert[];
  /** Alerts per second. */
  rate: number;
  /** Progress lines. */
  log: (line: string) => void;
}

const MAX_RETRIES = 20;

/** Wall-clock epoch milliseconds with sub-millisecond resolution. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface GatewayAnswer {
  signalId?: string;
  normalized?: boolean;
  reason?: string;
  error?: string;
}

export async function replayFeed(options: ReplayOptions): Promise<SentAlert[]> {
  const url = `${options.gatewayUrl}/webhooks/tradingview/${encodeURIComponent(options.token)}`;
  const sent: SentAlert[] = [];
  const started = nowMs();
  let lastProgress = started;
  // Agents keep their state per instrument, so only one instrument's alerts must stay in order:
  // each instrument waits for its previous alert's answer, the instruments go in parallel.
  const previous = new Map<string, Promise<unknown>>();
  const inFlight: Promise<void>[] = [];
  for (const [index, alert] of options.alerts.entries()) {
    const due = started + (index * 1000) / options.rate;
    if (due > nowMs()) await sleep(due - nowMs());
    const send = (previous.get(alert.instrument) ?? Promise.resolve()).then(async () => {
      sent.push(await sendOne(url, alert, options.log));
      if (nowMs() - lastProgress >= 1000) {
        lastProgress = nowMs();
        options.log(progressLine(sent, options.alerts.length));
      }
    });
    previous.set(alert.instrument, send);
    inFlight.push(send);
  }
  await Promise.all(inFlight);
  options.log(progressLine(sent, options.alerts.length));
  return sent.sort((a, b) => a.alert.seq - b.alert.seq);
}

async function sendOne(url: string, alert: FeedAlert, log: (line: string) => void): Promise<SentAlert> {
  for (let attempt = 0; ; attempt++) {
    const sentAt = nowMs();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: webhookBody(alert, new Date()),
    });
    const answeredAt = nowMs();
    const answer = (await response.json().catch(() => ({}))) as GatewayAnswer;
    if (response.status === 401)
      throw new Error('the gateway refused the webhook token (401): TRADINGVIEW_WEBHOOK_TOKEN is not the one the gateway runs with');
    if ((response.status === 429 || response.status === 503) && attempt < MAX_RETRIES) {
      const waitSeconds = Number(response.headers.get('retry-after') ?? 1) || 1;
      log(
        `[demo] alert ${alert.seq}: gateway answered ${response.status} (${answer.error ?? 'busy'}); waiting ${waitSeconds}s as Retry-After says`,
      );
      await sleep(waitSeconds * 1000);
      continue;
    }
    const reason = response.status === 202 ? answer.reason : (answer.error ?? `HTTP ${response.status}`);
    return {
      alert,
      sentAt,
      answeredAt,
      status: response.status,
      ...(answer.signalId && answer.normalized !== false ? { signalId: answer.signalId } : {}),
      ...(reason ? { reason } : {}),
    };
  }
}

function progressLine(sent: readonly SentAlert[], total: number): string {
  const accepted = sent.filter((s) => s.status === 202).length;
  const normalized = sent.filter((s) => s.signalId !== undefined).length;
  const refused = sent.length - accepted;
  return `[demo] sent ${sent.length}/${total} alerts: ${accepted} accepted (202), ${normalized} normalized${refused ? `, ${refused} refused` : ''}`;
}
