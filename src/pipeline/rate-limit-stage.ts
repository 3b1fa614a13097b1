/**
 * @module pipeline/rate-limit-stage
 * Storm control in a receiver's pipeline, after the mute stages and before the fan-out: a flush that needs a
 * notification through at least one integration (the dedup stage's decision, taken here without side
 * effects) counts against the receiver's rate limit; beyond it, the group's notification is folded into the
 * pending digest (src/pipeline/rate-limit.ts) instead of sent: recorded (`notification_folded`), counted,
 * never dropped silently. A flush that needs nothing passes on (the dedup stage drops it as usual).
 */
import { recordFlushSkipped } from '../history/notification-events';
import { hasImportedIds } from '../nflog/alert-hash';
import type { Alert } from '../types/alert';
import { needsUpdate, splitIds } from './dedup-stage';
import type { DeliveryMetrics } from './delivery-metrics';
import type { FoldedGroup, RateLimiter } from './rate-limit';
import { alertsForIntegration } from './resolved-guard';
import type { Integration, IntegrationRef, NotificationLog, NotificationReason, NotifyContext, Stage, StageResult } from './types';

export class RateLimitStage implements Stage {
  readonly #refs: IntegrationRef[];

  constructor(
    readonly limiter: RateLimiter,
    readonly nflog: Pick<NotificationLog, 'query'>,
    readonly integrations: readonly Integration[],
    readonly metrics?: DeliveryMetrics,
  ) {
    this.#refs = integrations.map((i) => ({ groupName: limiter.receiver, integration: i.name, idx: i.index }));
  }

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const sending = this.limiter.sendingWith(ctx.groupKey);
    if (sending) {
      // the digest going out now notifies this group; the next flush compares with what it logged
      if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, 'in a digest being sent', { digest: sending });
      return { ctx, alerts: [] };
    }
    let reason: NotificationReason | undefined;
    const ids: FoldedGroup['ids'][number][] = this.integrations.map((integ, i) => {
      const entry = this.nflog.query(ctx.groupKey, this.#refs[i]!);
      const list = alertsForIntegration(ctx, alerts, entry?.firingAlerts, integ.sendResolved);
      if (list.length === 0) return undefined;
      const { firing, resolved } = splitIds(list, ctx.now);
      // an integration without send_resolved sends nothing for a flush of resolved alerts (it only logs them)
      if (firing.length === 0 && !integ.sendResolved) return undefined;
      // an entry imported from Alertmanager compares other ids: leave that decision to the dedup stage
      const r = entry && (hasImportedIds(entry.firingAlerts) || hasImportedIds(entry.resolvedAlerts)) ? undefined : needsUpdate(entry, firing, resolved, integ.sendResolved, ctx.repeatInterval, ctx.now);
      if (!r) return undefined;
      reason ??= r;
      return { firing, resolved };
    });
    // a group already in the pending digest stays there until it goes out (never both on its own and in it)
    if (!reason || (!this.limiter.pending?.groups.has(ctx.groupKey) && this.limiter.admit(ctx.now))) return { ctx, alerts };
    const d = this.limiter.fold(ctx.now, { groupKey: ctx.groupKey, groupLabels: ctx.groupLabels, alerts, repeatInterval: ctx.repeatInterval, reason, ids, ...(ctx.guaranteed ? { guaranteed: ctx.guaranteed } : {}) }, ctx.logger, ctx.history);
    this.metrics?.folded.inc({ receiver: ctx.receiver });
    ctx.history?.record({
      time: ctx.now,
      kind: 'notification_folded',
      receiver: ctx.receiver,
      groupKey: ctx.groupKey,
      data: { digest: d.id, digestAt: new Date(d.dueAt).toISOString(), reason, alerts: alerts.length, max: this.limiter.settings?.max, window: this.limiter.settings?.window },
    });
    ctx.logger.debug({ aggrGroup: ctx.groupKey, digest: d.id }, 'Notification folded into the digest: receiver over its rate_limit');
    return { ctx, alerts: [] };
  }
}
