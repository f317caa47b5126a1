// The alerts observability has published and not yet resolved, with Prometheus/Alertmanager
// semantics: an alert is its rule plus its labels (fingerprinted into a stable alertId), fires
// once, and is closed by one `resolved` event. A publish that fails leaves the state as it was,
// so the next evaluation tries again.
import { createHash } from 'node:crypto';
import type { AlertFired, Severity } from '../../../../generated/types.js';

export interface AlertSpec {
  rule: string;
  severity: Severity;
  labels: Record<string, string>;
  summary: string;
  description?: string;
}

export type PublishAlert = (alert: AlertFired) => Promise<void>;

/** A stable id from the rule and its labels (label order does not matter). */
export function alertFingerprint(rule: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return createHash('sha256')
    .update(JSON.stringify([rule, sorted]))
    .digest('hex')
    .slice(0, 16);
}

const SUMMARY_MAX = 1024;
const DESCRIPTION_MAX = 4000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface ActiveAlert {
  alert: AlertFired;
  /** The firing publish; a resolve waits for it. */
  published: Promise<boolean>;
}

export class AlertBook {
  private readonly active = new Map<string, ActiveAlert>();

  constructor(
    private readonly publish: PublishAlert,
    private readonly now: () => Date = () => new Date(),
  ) {}

  isFiring(rule: string, labels: Record<string, string>): boolean {
    return this.active.has(alertFingerprint(rule, labels));
  }

  /** The alerts firing now (including ones whose firing event is still being published). */
  firing(): AlertFired[] {
    return [...this.active.values()].map((a) => a.alert);
  }

  /** Publishes `firing` unless the alert already fires; resolves true when this call published it. */
  fire(spec: AlertSpec): Promise<boolean> {
    const alertId = alertFingerprint(spec.rule, spec.labels);
    if (this.active.has(alertId)) return Promise.resolve(false);
    const alert: AlertFired = {
      alertId,
      severity: spec.severity,
      rule: spec.rule,
      summary: clip(spec.summary, SUMMARY_MAX),
      ...(spec.description === undefined ? {} : { description: clip(spec.description, DESCRIPTION_MAX) }),
      labels: spec.labels,
      startsAt: this.now().toISOString(),
      status: 'firing',
    };
    // Marked active before the publish resolves: a burst of violations publishes one alert.
    const published = this.publish(alert).then(
      () => true,
      (err: unknown) => {
        this.active.delete(alertId);
        throw err;
      },
    );
    this.active.set(alertId, { alert, published: published.catch(() => false) });
    return published;
  }

  /** Publishes `resolved` for a firing alert; resolves true when this call published it. */
  async resolve(rule: string, labels: Record<string, string>): Promise<boolean> {
    const alertId = alertFingerprint(rule, labels);
    const entry = this.active.get(alertId);
    if (!entry || !(await entry.published) || this.active.get(alertId) !== entry) return false;
    this.active.delete(alertId);
    try {
      await this.publish({ ...entry.alert, status: 'resolved', endsAt: this.now().toISOString() });
      return true;
    } catch (err) {
      this.active.set(alertId, entry);
      throw err;
    }
  }
}
