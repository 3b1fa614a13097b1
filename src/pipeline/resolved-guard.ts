/**
 * @module pipeline/resolved-guard
 * The resolved guarantee (tocsin.yml `resolved_after_mute`, issue 15, upstream #226): a muted alert that is
 * resolved, and that the receiver was last told is firing (some integration with send_resolved has it in the
 * firing alerts of its nflog entry for the group), passes the mute stages so that its resolved notification
 * goes out. A firing muted alert stays muted. The nflog is durable, so this also holds across a restart, and so
 * are its intents: an alert a notification in flight at a kill had firing counts as told (NotificationLog.intend).
 * The alerts a guard let through are named in the context (`guaranteed`); the dedup stage keeps them only
 * for the integrations that were told they fire, and ResolvedAfterMuteStage records them once sent.
 */
import { type Alert, isResolved } from '../types/alert';
import type { GuardedMute, IntegrationRef, NotificationLog, NotifyContext } from './types';

export class ResolvedGuard {
  /**
   * @param refs the receiver's integrations that send resolved notifications (the others never get one)
   */
  constructor(
    readonly nflog: Pick<NotificationLog, 'query' | 'intended'>,
    readonly refs: readonly IntegrationRef[],
  ) {}

  /**
   * The muted alerts that must pass anyway (resolved, and notified as firing), or [] . Reads the nflog only
   * when a muted alert is resolved.
   */
  pass(ctx: NotifyContext, muted: readonly Alert[]): Alert[] {
    let notified: Set<string> | undefined;
    const out: Alert[] = [];
    for (const a of muted) {
      if (!isResolved(a, ctx.now)) continue;
      if (!notified) {
        notified = new Set();
        for (const ref of this.refs) {
          for (const fp of this.nflog.query(ctx.groupKey, ref)?.firingAlerts ?? []) notified.add(fp);
          for (const fp of this.nflog.intended?.(ctx.groupKey, ref) ?? []) notified.add(fp);
        }
      }
      if (notified.has(a.fingerprint)) out.push(a);
    }
    return out;
  }
}

/** The context with these alerts named as let through by a guard (for `why`), on top of earlier ones. */
export function withGuaranteed(ctx: NotifyContext, passed: readonly Alert[], why: GuardedMute): NotifyContext {
  if (passed.length === 0) return ctx;
  const guaranteed = new Map(ctx.guaranteed ?? []);
  for (const a of passed) if (!guaranteed.has(a.fingerprint)) guaranteed.set(a.fingerprint, why);
  return Object.freeze({ ...ctx, guaranteed });
}

/**
 * The alerts one integration gets: those a guard let through only if this integration sends resolved
 * notifications and its last notification of the group had them firing (the others saw no change).
 */
export function alertsForIntegration(ctx: NotifyContext, alerts: readonly Alert[], firingBefore: readonly string[] | undefined, sendResolved: boolean): readonly Alert[] {
  const g = ctx.guaranteed;
  if (!g || g.size === 0) return alerts;
  const told = sendResolved ? new Set(firingBefore ?? []) : undefined;
  return alerts.filter((a) => !g.has(a.fingerprint) || told?.has(a.fingerprint) === true);
}
