/**
 * @module pipeline/time-active-stage
 * Drops every alert when the route has active_time_intervals and none contains the flush time
 * (upstream notify.TimeActiveStage). The group is marked muted by all its active interval names.
 */
import { recordFlushSkipped } from '../history/notification-events';
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import { mutingActiveIntervals, type TimeIntervals } from './time-interval';
import type { NotifyContext, Stage, StageResult } from './types';

export class TimeActiveStage implements Stage {
  constructor(
    readonly intervals: TimeIntervals,
    readonly metrics?: NotifyMetrics,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const names = ctx.activeTimeIntervals;
    if (names.length === 0) return { ctx, alerts };
    const muting = mutingActiveIntervals(this.intervals, names, ctx.now);
    if (muting.length === 0) {
      ctx.setMutedBy?.([]);
      return { ctx, alerts };
    }
    ctx.setMutedBy?.(muting);
    if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, 'outside active time interval', { intervals: muting });
    this.metrics?.suppressedTotal.inc({ reason: 'active_time_interval' }, alerts.length);
    ctx.logger.debug({ aggrGroup: ctx.groupKey }, 'Notifications not sent, route is not within active time');
    return { ctx, alerts: [] };
  }
}
