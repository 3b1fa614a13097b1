/**
 * @module pipeline/set-notifies-stage
 * Logs the notification in the nflog right after a successful send (upstream notify.SetNotifiesStage); the
 * stage resolves only once the entry is durable (and, with history on, the notification's event before it).
 */
import type { Alert } from '../types/alert';
import type { IntegrationRef, NotificationLog, NotifyContext, Stage, StageResult } from './types';

export class SetNotifiesStage implements Stage {
  constructor(
    readonly nflog: NotificationLog,
    readonly recv: IntegrationRef,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    if (!ctx.firing || !ctx.resolved) throw new Error('set-notifies: firing/resolved alerts missing from context');
    const data = ctx.nflogStore && ctx.nflogStore.size > 0 ? Object.fromEntries(ctx.nflogStore) : undefined;
    // the attempt's history event is durable before the nflog counts the notification as sent; a failing
    // history store (the writer logs it and keeps the events for its next batch) never causes a re-send
    await ctx.history?.committed().catch(() => undefined);
    await this.nflog.log(this.recv, ctx.groupKey, ctx.firing, ctx.resolved, ctx.repeatInterval, data);
    return { ctx, alerts };
  }
}
