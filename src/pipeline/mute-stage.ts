/**
 * @module pipeline/mute-stage
 * Drops alerts a Muter mutes (upstream notify/mute.go MuteStage). The reason is given at construction
 * instead of upstream's type switch.
 */
import { recordFlushSkipped } from '../history/notification-events';
import type { Alert } from '../types/alert';
import type { NotifyMetrics } from './metrics';
import { type ResolvedGuard, withGuaranteed } from './resolved-guard';
import type { Muter, NotifyContext, Stage, StageResult } from './types';

export type MuteReason = 'silence' | 'inhibition';

export class MuteStage implements Stage {
  constructor(
    readonly muter: Muter,
    readonly reason: MuteReason,
    readonly metrics?: NotifyMetrics,
    /** resolved_after_mute: lets resolved alerts the receiver was told fire through */
    readonly guard?: ResolvedGuard,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const kept: Alert[] = [];
    const mutedAlerts: Alert[] = [];
    for (const a of alerts) {
      if (this.muter.mutes(a.labels, a.fingerprint)) mutedAlerts.push(a);
      else kept.push(a);
    }
    if (this.guard && mutedAlerts.length > 0) {
      const passed = this.guard.pass(ctx, mutedAlerts);
      if (passed.length > 0) {
        const dropped = new Set(mutedAlerts);
        for (const a of passed) dropped.delete(a);
        // in the flush's order (the group sorted it)
        const through = alerts.filter((a) => !dropped.has(a));
        return this.#muted(withGuaranteed(ctx, passed, this.reason === 'silence' ? 'silenced' : 'inhibited'), through, dropped.size);
      }
    }
    return this.#muted(ctx, kept, mutedAlerts.length);
  }

  #muted(ctx: NotifyContext, kept: readonly Alert[], muted: number): StageResult {
    if (muted > 0) {
      this.metrics?.suppressedTotal.inc({ reason: this.reason }, muted);
      ctx.logger.debug({ reason: this.reason, count: muted, aggrGroup: ctx.groupKey }, 'Notifications will not be sent for muted alerts');
      if (kept.length === 0 && ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, this.reason === 'silence' ? 'silenced' : 'inhibited');
    }
    return { ctx, alerts: kept };
  }
}
