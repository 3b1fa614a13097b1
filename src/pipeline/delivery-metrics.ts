/**
 * @module pipeline/delivery-metrics
 * The metrics of issue 15's delivery decisions (Tocsin-only, `tocsin_` prefix), by receiver: notifications
 * folded into a digest and digests sent (storm control, `rate_limit`), resolved notifications sent for muted
 * alerts (`resolved_after_mute`).
 */
import { Counter, type Registry } from 'prom-client';
import { getOrCreateMetric } from '../types/metrics';

export interface DeliveryMetrics {
  folded: Counter<'receiver'>;
  digests: Counter<'receiver'>;
  resolvedAfterMute: Counter<'receiver'>;
}

export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const registers = [registry];
  const counter = (name: string, help: string) => getOrCreateMetric(registry, name, () => new Counter({ name, help, labelNames: ['receiver'] as const, registers }));
  return {
    folded: counter('tocsin_notifications_folded_total', 'Notifications of a group not sent on their own because the receiver reached its rate_limit, folded into a digest.'),
    digests: counter('tocsin_digests_sent_total', 'Digest notifications sent (to every integration of the receiver) for the groups folded in a rate_limit window.'),
    resolvedAfterMute: counter('tocsin_resolved_after_mute_total', 'Resolved alerts notified although muted (silenced, inhibited, time-muted), because the receiver was told they fire (resolved_after_mute).'),
  };
}
