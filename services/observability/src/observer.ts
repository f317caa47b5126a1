// What the tap does with each event: count it by subject and schema version, judge it against
// its contract (a violation is counted and alerted), and feed the end-to-end latency join.
import type { DeliveredMessage, Logger } from '../../core/src/index.js';
import { type ContractIndex, judgeEvent, VersionLabels } from './contracts.js';
import type { LatencyJoin } from './domain/latency.js';
import type { ViolationAlerts } from './domain/violation-alerts.js';
import type { ObservabilityMetrics } from './metrics.js';

/** The subject observability publishes its alerts on: violations there are counted, never alerted (no alert loop). */
export const ALERTS_SUBJECT = 'alerts.fired';

export interface EventObserverOptions {
  contracts: ContractIndex;
  metrics: ObservabilityMetrics;
  latency: LatencyJoin;
  violations: ViolationAlerts;
  logger: Logger;
}

export function createEventObserver(options: EventObserverOptions): (msg: DeliveredMessage) => void {
  const { metrics, logger } = options;
  const versions = new VersionLabels();
  return function observeEvent(msg) {
    const verdict = judgeEvent(options.contracts, msg);
    const labels = { subject: verdict.subject, schema_version: versions.label(verdict.subject, verdict.schemaVersion) };
    metrics.events.inc(labels);
    if (!verdict.ok) {
      metrics.violations.inc(labels);
      const detail = verdict.issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
      logger.debug({ ...labels, reason: verdict.reason, issues: verdict.issues }, 'contract violation');
      if (verdict.subject !== ALERTS_SUBJECT) {
        options.violations.record({ subject: labels.subject, schemaVersion: labels.schema_version, reason: verdict.reason, detail });
      }
      return;
    }
    const { meta } = verdict;
    const observations = options.latency.record({
      subject: verdict.subject,
      eventId: meta.eventId,
      correlationId: meta.correlationId,
      ...(meta.causationId === undefined ? {} : { causationId: meta.causationId }),
      timeMs: Date.parse(meta.time),
    });
    for (const { kind, seconds } of observations) metrics.latency[kind].observe(seconds);
  };
}
