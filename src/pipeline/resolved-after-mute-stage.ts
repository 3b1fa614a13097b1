/**
 * @module pipeline/resolved-after-mute-stage
 * Runs after a receiver's fan-out succeeded: records each muted resolved alert the resolved guarantee let
 * through (src/pipeline/resolved-guard.ts) as `resolved_after_mute` in the history, and counts it. A failed
 * fan-out throws before this stage, so an alert retried at the next flush is counted once, when sent.
 */
import type { Alert } from '../types/alert';
import type { DeliveryMetrics } from './delivery-metrics';
import type { NotifyContext, Stage, StageResult } from './types';

export class ResolvedAfterMuteStage implements Stage {
  constructor(readonly metrics?: DeliveryMetrics) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const g = ctx.guaranteed;
    if (!g || g.size === 0) return { ctx, alerts };
    this.metrics?.resolvedAfterMute.inc({ receiver: ctx.receiver }, g.size);
    if (ctx.history) {
      for (const a of alerts) {
        const why = g.get(a.fingerprint);
        if (why) ctx.history.record({ time: ctx.now, kind: 'resolved_after_mute', fingerprint: a.fingerprint, labels: a.labels, receiver: ctx.receiver, groupKey: ctx.groupKey, data: { mutedBy: why } });
      }
    }
    ctx.logger.debug({ aggrGroup: ctx.groupKey, count: g.size }, 'Resolved notifications sent for muted alerts (resolved_after_mute)');
    return { ctx, alerts };
  }
}
