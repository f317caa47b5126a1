// Contract violations raise one ContractViolation alert per subject and schema version: the
// first violation fires it, later ones only keep it open, and it resolves once a whole window
// passes without one. A flood of bad events therefore costs one alert, not one per event.
import type { AlertBook } from './alert-book.js';

export const CONTRACT_VIOLATION_RULE = 'ContractViolation';

export interface Violation {
  subject: string;
  schemaVersion: string;
  /** Why the event was refused (a dead-letter reason: validation_failed, unknown_major_version, ...). */
  reason: string;
  /** The first issue, readable. */
  detail: string;
}

export class ViolationAlerts {
  private readonly lastSeen = new Map<string, { labels: Record<string, string>; atMs: number }>();

  constructor(
    private readonly book: AlertBook,
    private readonly windowMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly nowMs: () => number = Date.now,
  ) {}

  record(violation: Violation): void {
    const labels = { subject: violation.subject, schema_version: violation.schemaVersion };
    this.lastSeen.set(`${violation.subject}\u0000${violation.schemaVersion}`, { labels, atMs: this.nowMs() });
    if (this.book.isFiring(CONTRACT_VIOLATION_RULE, labels)) return;
    this.book
      .fire({
        rule: CONTRACT_VIOLATION_RULE,
        severity: 'warning',
        labels,
        summary: `Events on ${violation.subject} (schema ${violation.schemaVersion}) break their contract: ${violation.reason}`,
        description:
          `${violation.detail}. The consumers dead-letter these events (dlq.${violation.subject}); ` +
          `check the producer of ${violation.subject} and its contract version. Resolves after ${Math.round(this.windowMs / 1000)} s without a violation.`,
      })
      .catch(this.onError);
  }

  /** Resolves the alerts whose subject and version have been quiet for a whole window. */
  async sweep(): Promise<void> {
    const now = this.nowMs();
    for (const [key, { labels, atMs }] of this.lastSeen) {
      if (now - atMs < this.windowMs) continue;
      this.lastSeen.delete(key);
      await this.book.resolve(CONTRACT_VIOLATION_RULE, labels).catch((err: unknown) => {
        this.lastSeen.set(key, { labels, atMs });
        this.onError(err);
      });
    }
  }
}
