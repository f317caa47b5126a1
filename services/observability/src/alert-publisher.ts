// Publishes alerts on alerts.fired through the generated typed publisher (validated against the
// alerts contract before they reach NATS). The event id is derived from alertId, status and
// startsAt, as the contract says, so each state change is stored once however often it is retried.
import type { JetStreamClient } from '@nats-io/jetstream';
import { type AlertFired, publishAlertFired } from '../../../generated/index.js';
import { deterministicId, type Logger } from '../../core/src/index.js';
import type { PublishAlert } from './domain/alert-book.js';
import type { ObservabilityMetrics } from './metrics.js';

export const OBSERVABILITY_SOURCE = '/services/observability';

export function alertEventId(alert: Pick<AlertFired, 'alertId' | 'status' | 'startsAt'>): string {
  return deterministicId('alerts.fired', `${alert.alertId}:${alert.status}:${alert.startsAt}`);
}

export function createAlertPublisher(js: () => JetStreamClient, metrics: ObservabilityMetrics, logger: Logger): PublishAlert {
  return async function publishAlert(alert) {
    await publishAlertFired(js(), alert, { source: OBSERVABILITY_SOURCE, eventId: alertEventId(alert) });
    metrics.alerts.inc({ rule: alert.rule, status: alert.status });
    logger.info({ rule: alert.rule, status: alert.status, labels: alert.labels, alertId: alert.alertId }, alert.summary);
  };
}
