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

type LabelValues<L extends string> = Partial<Record<L, string | number>>;

/** What the stages call on a counter / histogram (prom-client's, or a per-receiver view of one). */
export interface CounterOf<L extends string> {
  inc(labels: LabelValues<L>, value?: number): void;
}
export interface HistogramOf<L extends string> {
  observe(labels: LabelValues<L>, value: number): void;
}

/** The per-integration series; with --enable-feature=receiver-name-in-metrics they also carry `receiver_name`. */
export interface NotifyMetrics {
  notificationsTotal: CounterOf<'integration'>;
  notificationsFailedTotal: CounterOf<'integration' | 'reason'>;
  requestsTotal: CounterOf<'integration'>;
  requestsFailedTotal: CounterOf<'integration'>;
  latency: HistogramOf<'integration'>;
  suppressedTotal: CounterOf<'reason'>;
  /** the series as registered (with receiver_name when `receiverName`) */
  readonly vectors: {
    notificationsTotal: Counter<string>;
    notificationsFailedTotal: Counter<string>;
    requestsTotal: Counter<string>;
    requestsFailedTotal: Counter<string>;
    latency: Histogram<string>;
  };
  /** --enable-feature=receiver-name-in-metrics */
  readonly receiverName: boolean;
}

export interface NotifyMetricsOptions {
  /** --enable-feature=receiver-name-in-metrics: a `receiver_name` label after `integration` (upstream notify/metrics.go) */
  receiverNameInMetrics?: boolean;
  /**
   * the integration types whose series start at zero, as upstream registers all of them (the app passes
   * src/notifiers' integrationTypes, derived from the definitions; the pipeline does not import the notifiers)
   */
  integrations?: readonly string[];
}

/**
 * The notification metrics (upstream notify.NewMetrics). Without receiver names every integration's series
 * exist from the start at 0; with them, `initializeFor` creates the configured receivers' series instead.
 */
export function notifyMetrics(registry: Registry, opts: NotifyMetricsOptions = {}): NotifyMetrics {
  const registers = [registry];
  const receiverName = opts.receiverNameInMetrics === true;
  const labels = receiverName ? ['integration', 'receiver_name'] : ['integration'];
  const zero = <L extends string>(c: Counter<L>, each: (i: string) => LabelValues<L>[]) => {
    if (!receiverName) for (const i of opts.integrations ?? []) for (const l of each(i)) c.inc(l, 0);
    return c;
  };
  const vectors: NotifyMetrics['vectors'] = {
    notificationsTotal: getOrCreateMetric(registry, 'alertmanager_notifications_total', () =>
      zero(new Counter({ name: 'alertmanager_notifications_total', help: 'The total number of attempted notifications.', labelNames: labels, registers }), (i) => [{ integration: i }]),
    ),
    notificationsFailedTotal: getOrCreateMetric(registry, 'alertmanager_notifications_failed_total', () =>
      zero(
        new Counter({ name: 'alertmanager_notifications_failed_total', help: 'The total number of failed notifications.', labelNames: [...labels, 'reason'], registers }),
        (i) => FAILURE_REASONS.map((r) => ({ integration: i, reason: r })),
      ),
    ),
    requestsTotal: getOrCreateMetric(registry, 'alertmanager_notification_requests_total', () =>
      zero(new Counter({ name: 'alertmanager_notification_requests_total', help: 'The total number of attempted notification requests.', labelNames: labels, registers }), (i) => [{ integration: i }]),
    ),
    requestsFailedTotal: getOrCreateMetric(registry, 'alertmanager_notification_requests_failed_total', () =>
      zero(new Counter({ name: 'alertmanager_notification_requests_failed_total', help: 'The total number of failed notification requests.', labelNames: labels, registers }), (i) => [{ integration: i }]),
    ),
    latency: getOrCreateMetric(
      registry,
      'alertmanager_notification_latency_seconds',
      () => new Histogram({ name: 'alertmanager_notification_latency_seconds', help: 'The latency of notifications in seconds.', labelNames: labels, buckets: [1, 5, 10, 15, 20], registers }),
    ),
  };
  return {
    ...vectors,
    vectors,
    receiverName,
    suppressedTotal: getOrCreateMetric(registry, 'alertmanager_notifications_suppressed_total', () => {
      const c = new Counter({ name: 'alertmanager_notifications_suppressed_total', help: 'The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.', labelNames: ['reason'], registers });
      for (const r of ['silence', 'inhibition', 'mute_time_interval', 'active_time_interval']) c.inc({ reason: r }, 0);
      return c;
    }),
  };
}

/**
 * With receiver names: drops the series of the previous config and creates the configured receivers' ones
 * at 0 (upstream Metrics.InitializeFor, called on every (re)load). Without: nothing to do.
 */
export function initializeNotifyMetricsFor(m: NotifyMetrics, receivers: ReadonlyMap<string, readonly { name: string }[]>): void {
  if (!m.receiverName) return;
  const v = m.vectors;
  for (const c of [v.notificationsTotal, v.requestsTotal, v.requestsFailedTotal, v.notificationsFailedTotal]) c.reset();
  v.latency.reset();
  for (const [receiver, integrations] of receivers) {
    for (const { name } of integrations) {
      const l = { integration: name, receiver_name: receiver };
      v.notificationsTotal.inc(l, 0);
      v.requestsTotal.inc(l, 0);
      v.requestsFailedTotal.inc(l, 0);
      v.latency.zero(l);
      for (const reason of FAILURE_REASONS) v.notificationsFailedTotal.inc({ ...l, reason }, 0);
    }
  }
}

/** The metrics as one receiver's stages record them: with receiver names, every series gets `receiver_name`. */
export function receiverNotifyMetrics(m: NotifyMetrics, receiver: string): NotifyMetrics {
  if (!m.receiverName) return m;
  const v = m.vectors;
  const counter = <L extends string>(c: Counter<string>): CounterOf<L> => ({ inc: (l, value) => c.inc({ ...l, receiver_name: receiver }, value) });
  return {
    ...m,
    notificationsTotal: counter(v.notificationsTotal),
    notificationsFailedTotal: counter(v.notificationsFailedTotal),
    requestsTotal: counter(v.requestsTotal),
    requestsFailedTotal: counter(v.requestsFailedTotal),
    latency: { observe: (l, value) => v.latency.observe({ ...l, receiver_name: receiver }, value) },
  };
}

export { Gauge };
