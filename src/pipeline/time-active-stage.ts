/**
 * @module pipeline/time-active-stage
 * Drops every alert when the route has active_time_intervals and none contains the flush time
 * (upstream notify.TimeActiveStage). The group is marked muted by all its active interval names.
 */
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import type { ResolvedGuard } from './resolved-guard';
import { mutingActiveIntervals, type TimeIntervals } from './time-interval';
import { skipFlush, type TimeSkip } from './time-skip';
import type { NotifyContext, Stage, StageResult } from './types';

const SKIP: TimeSkip = {
  event: 'outside active time interval',
  metric: 'active_time_interval',
  message: 'Notifications not sent, route is not within active time',
};

export class TimeActiveStage implements Stage {
  constructor(
    readonly intervals: TimeIntervals,
    readonly metrics?: NotifyMetrics,
    /** resolved_after_mute: lets resolved alerts the receiver was told fire through */
    readonly guard?: ResolvedGuard,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const names = ctx.activeTimeIntervals;
    if (names.length === 0) return { ctx, alerts };
    const muting = mutingActiveIntervals(this.intervals, names, ctx.now);
    if (muting.length === 0) {
      ctx.setMutedBy?.([]);
      return { ctx, alerts };
    }
    return skipFlush(ctx, alerts, muting, this.metrics, SKIP, this.guard);
  }
}
