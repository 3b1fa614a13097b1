/**
 * @module pipeline/mute-stage
 * Drops alerts a Muter mutes (upstream notify/mute.go MuteStage). The reason is given at construction
 * instead of upstream's type switch.
 */
import { recordFlushSkipped } from '../history/notification-events';
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import type { Muter, NotifyContext, Stage, StageResult } from './types';

export type MuteReason = 'silence' | 'inhibition';

export class MuteStage implements Stage {
  constructor(
    readonly muter: Muter,
    readonly reason: MuteReason,
    readonly metrics?: NotifyMetrics,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const kept: Alert[] = [];
    let muted = 0;
    for (const a of alerts) {
      if (this.muter.mutes(a.labels, a.fingerprint)) muted++;
      else kept.push(a);
    }
    if (muted > 0) {
      this.metrics?.suppressedTotal.inc({ reason: this.reason }, muted);
      ctx.logger.debug({ reason: this.reason, count: muted, aggrGroup: ctx.groupKey }, 'Notifications will not be sent for muted alerts');
      if (kept.length === 0 && ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, this.reason === 'silence' ? 'silenced' : 'inhibited');
    }
    return { ctx, alerts: kept };
  }
}
