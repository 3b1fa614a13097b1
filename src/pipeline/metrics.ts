/**
 * @module pipeline/metrics
 * Notification metrics (reference §11) on an injected prom-client Registry. Get-or-create, so a reload that
 * builds a new pipeline against the same registry reuses the series.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { getOrCreateMetric } from '../types/metrics';

export const FAILURE_REASONS = [
  'other',
  'clientError',
  'serverError',
  'contextCanceled',
  'contextDeadlineExceeded',
  'authError',
  'rateLimited',
] as const;

export interface NotifyMetrics {
  notificationsTotal: Counter<'integration'>;
  notificationsFailedTotal: Counter<'integration' | 'reason'>;
  requestsTotal: Counter<'integration'>;
  requestsFailedTotal: Counter<'integration'>;
  latency: Histogram<'integration'>;
  suppressedTotal: Counter<'reason'>;
}

export interface NotifyMetricsOptions {
  /**
   * the integration types whose series start at zero, as upstream registers all of them (the app passes
   * src/notifiers' integrationTypes, derived from the definitions; the pipeline does not import the notifiers)
   */
  integrations?: readonly string[];
}

export function notifyMetrics(registry: Registry, opts: NotifyMetricsOptions = {}): NotifyMetrics {
  const integrations = opts.integrations ?? [];
  const registers = [registry];
  const m: NotifyMetrics = {
    notificationsTotal: getOrCreateMetric(registry, 'alertmanager_notifications_total', () => {
      const c = new Counter({ name: 'alertmanager_notifications_total', help: 'The total number of attempted notifications.', labelNames: ['integration'], registers });
      for (const i of integrations) c.inc({ integration: i }, 0);
      return c;
    }),
    notificationsFailedTotal: getOrCreateMetric(registry, 'alertmanager_notifications_failed_total', () => {
      const c = new Counter({ name: 'alertmanager_notifications_failed_total', help: 'The total number of failed notifications.', labelNames: ['integration', 'reason'], registers });
      for (const i of integrations) for (const r of FAILURE_REASONS) c.inc({ integration: i, reason: r }, 0);
      return c;
    }),
    requestsTotal: getOrCreateMetric(registry, 'alertmanager_notification_requests_total', () => {
      const c = new Counter({ name: 'alertmanager_notification_requests_total', help: 'The total number of attempted notification requests.', labelNames: ['integration'], registers });
      for (const i of integrations) c.inc({ integration: i }, 0);
      return c;
    }),
    requestsFailedTotal: getOrCreateMetric(registry, 'alertmanager_notification_requests_failed_total', () => {
      const c = new Counter({ name: 'alertmanager_notification_requests_failed_total', help: 'The total number of failed notification requests.', labelNames: ['integration'], registers });
      for (const i of integrations) c.inc({ integration: i }, 0);
      return c;
    }),
    latency: getOrCreateMetric(
      registry,
      'alertmanager_notification_latency_seconds',
      () => new Histogram({ name: 'alertmanager_notification_latency_seconds', help: 'The latency of notifications in seconds.', labelNames: ['integration'], buckets: [1, 5, 10, 15, 20], registers }),
    ),
    suppressedTotal: getOrCreateMetric(registry, 'alertmanager_notifications_suppressed_total', () => {
      const c = new Counter({ name: 'alertmanager_notifications_suppressed_total', help: 'The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.', labelNames: ['reason'], registers });
      for (const r of ['silence', 'inhibition', 'mute_time_interval', 'active_time_interval']) c.inc({ reason: r }, 0);
      return c;
    }),
  };
  return m;
}

export { Gauge };
