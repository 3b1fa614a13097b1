/**
 * @module pipeline/time-skip
 * What the time interval stages (time-active-stage, time-mute-stage) do with a flush that intervals mute.
 */
import { recordFlushSkipped, type SkipReason } from '../history/notification-events';
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import { type ResolvedGuard, withGuaranteed } from './resolved-guard';
import type { NotifyContext, StageResult } from './types';

/** How one time interval stage names the flush it drops. */
export interface TimeSkip {
  /** reason of the history event */
  event: Extract<SkipReason, 'muted by time interval' | 'outside active time interval'>;
  /** reason label of alertmanager_notifications_suppressed_total */
  metric: 'active_time_interval' | 'mute_time_interval';
  /** debug log message (upstream's) */
  message: string;
}

/**
 * Marks the group muted by these intervals, records, counts and logs the dropped flush; no alert goes on,
 * except, with resolved_after_mute (`guard`), the resolved alerts the receiver was told fire.
 */
export function skipFlush(
  ctx: NotifyContext,
  alerts: readonly Alert[],
  muting: readonly string[],
  metrics: NotifyMetrics | undefined,
  skip: TimeSkip,
  guard?: ResolvedGuard,
): StageResult {
  ctx.setMutedBy?.(muting);
  const passed = guard?.pass(ctx, alerts) ?? [];
  if (passed.length > 0) {
    metrics?.suppressedTotal.inc({ reason: skip.metric }, alerts.length - passed.length);
    ctx.logger.debug({ aggrGroup: ctx.groupKey, intervals: muting, resolved: passed.length }, `${skip.message}; resolved alerts sent (resolved_after_mute)`);
    return { ctx: withGuaranteed(ctx, passed, skip.event), alerts: passed };
  }
  if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, skip.event, { intervals: muting });
  metrics?.suppressedTotal.inc({ reason: skip.metric }, alerts.length);
  ctx.logger.debug({ aggrGroup: ctx.groupKey, intervals: muting }, skip.message);
  return { ctx, alerts: [] };
}
