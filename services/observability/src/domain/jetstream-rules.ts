// The rules evaluated on each read of the JetStream API: a durable consumer with more undelivered
// messages than the threshold (ConsumerLagHigh), and dead letters arriving for a subject
// (DeadLettersGrowing, resolved after a quiet period). Same names as the Prometheus rules.
import type { AlertBook, AlertSpec } from './alert-book.js';

export const CONSUMER_LAG_RULE = 'ConsumerLagHigh';
export const DEAD_LETTERS_RULE = 'DeadLettersGrowing';

export interface ConsumerLag {
  stream: string;
  durable: string;
  service: string;
  subject: string;
  pending: number;
}

export function consumerLagLabels(lag: Omit<ConsumerLag, 'pending'>): Record<string, string> {
  return { service: lag.service, stream: lag.stream, durable: lag.durable, subject: lag.subject };
}

export async function evaluateConsumerLag(book: AlertBook, lag: ConsumerLag, threshold: number): Promise<void> {
  const labels = consumerLagLabels(lag);
  if (lag.pending <= threshold) {
    await book.resolve(CONSUMER_LAG_RULE, labels);
    return;
  }
  await book.fire({
    rule: CONSUMER_LAG_RULE,
    severity: 'warning',
    labels,
    summary: `Consumer ${lag.durable} is ${lag.pending} messages behind (threshold ${threshold})`,
    description: `${lag.service} is not keeping up with ${lag.subject} on ${lag.stream}: check its logs and /ready.`,
  });
}

/** Dead letters per original subject, compared read to read; the first read is the baseline. */
export class DeadLetterGrowth {
  private counts: Map<string, number> | undefined;
  private readonly lastGrowthMs = new Map<string, number>();

  constructor(
    private readonly dlqStream: string,
    private readonly quietMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** `counts`: messages in the dead-letter stream by original subject. Returns what to fire and what to resolve. */
  observe(counts: ReadonlyMap<string, number>): { fire: AlertSpec[]; resolve: Record<string, string>[] } {
    const previous = this.counts;
    this.counts = new Map(counts);
    const now = this.nowMs();
    const fire: AlertSpec[] = [];
    for (const [subject, total] of counts) {
      const added = previous === undefined ? 0 : total - (previous.get(subject) ?? 0);
      if (added <= 0) continue;
      this.lastGrowthMs.set(subject, now);
      fire.push({
        rule: DEAD_LETTERS_RULE,
        severity: 'warning',
        labels: this.labels(subject),
        summary: `${added} messages from ${subject} went to the dead-letter stream ${this.dlqStream} (${total} there)`,
        description: `Read their dlq-reason and dlq-errors headers in ${this.dlqStream}. Resolves after ${Math.round(this.quietMs / 1000)} s without a new dead letter.`,
      });
    }
    // Quiet subjects are handed back on every read (resolving an alert that is not firing is a
    // no-op), so a resolve that failed to publish is retried; subjects are few.
    const resolve = [...this.lastGrowthMs].filter(([, atMs]) => now - atMs >= this.quietMs).map(([subject]) => this.labels(subject));
    return { fire, resolve };
  }

  private labels(subject: string): Record<string, string> {
    return { stream: this.dlqStream, subject };
  }
}
