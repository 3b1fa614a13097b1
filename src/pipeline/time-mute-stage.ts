/**
 * @module pipeline/time-mute-stage
 * Drops every alert when one of the route's mute_time_intervals contains the flush time
 * (upstream notify.TimeMuteStage). The group is marked muted by the matching interval names.
 */
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import type { ResolvedGuard } from './resolved-guard';
import { mutingMuteIntervals, type TimeIntervals } from './time-interval';
import { skipFlush, type TimeSkip } from './time-skip';
import type { NotifyContext, Stage, StageResult } from './types';

const SKIP: TimeSkip = {
  event: 'muted by time interval',
  metric: 'mute_time_interval',
  message: 'Notifications not sent, route is within mute time',
};

export class TimeMuteStage implements Stage {
  constructor(
    readonly intervals: TimeIntervals,
    readonly metrics?: NotifyMetrics,
    /** resolved_after_mute: lets resolved alerts the receiver was told fire through */
    readonly guard?: ResolvedGuard,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const names = ctx.muteTimeIntervals;
    if (names.length === 0) return { ctx, alerts };
    const muting = mutingMuteIntervals(this.intervals, names, ctx.now);
    if (muting.length === 0) {
      // active stage may already have marked the group; only clear when nothing else muted it
      return { ctx, alerts };
    }
    return skipFlush(ctx, alerts, muting, this.metrics, SKIP, this.guard);
  }
}
