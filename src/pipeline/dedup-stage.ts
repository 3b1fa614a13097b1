/**
 * @module pipeline/dedup-stage
 * Decides whether this integration needs a notification, against the nflog (upstream notify/dedup_stage.go,
 * reference §4.3). Alert ids are fingerprints (upstream hashes labels; the id is internal to the nflog), except in
 * an entry imported from Alertmanager (`tocsinctl import alertmanager-storage`): its ids are Alertmanager's
 * hashes, so the current alerts are compared by that hash until Tocsin logs the group itself.
 */
import { alertmanagerAlertIds, hasImportedIds } from '../nflog/alert-hash';
import { recordFlushSkipped } from '../history/notification-events';
import { isResolved, type Alert } from '../types/alert';
import { alertsForIntegration } from './resolved-guard';
import type { AckGate, IntegrationRef, NflogEntry, NotificationLog, NotificationReason, NotifyContext, Stage, StageResult } from './types';

/** Every id of `xs` is in `set`. */
export function subset(xs: readonly string[], set: ReadonlySet<string>): boolean {
  for (const x of xs) if (!set.has(x)) return false;
  return true;
}

/** The decision table of reference §4.3; undefined = no notification needed. */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: readonly string[],
  resolved: readonly string[],
  sendResolved: boolean,
  repeatInterval: number,
  now: number,
): NotificationReason | undefined {
  if (!entry) return firing.length > 0 ? 'first notification' : undefined;
  const prevFiring = new Set(entry.firingAlerts);
  if (!subset(firing, prevFiring)) return prevFiring.size === 0 ? 'first notification' : 'new alerts added';
  if (firing.length === 0) return prevFiring.size > 0 ? 'all alerts resolved' : undefined;
  if (sendResolved && !subset(resolved, new Set(entry.resolvedAlerts))) return 'some alerts resolved';
  if (entry.timestamp < now - repeatInterval) return 'repeat interval elapsed';
  return undefined;
}

/** The fingerprints of a flush's firing and resolved alerts. */
export function splitIds(alerts: readonly Alert[], now: number): { firing: string[]; resolved: string[] } {
  const firing: string[] = [];
  const resolved: string[] = [];
  for (const a of alerts) (isResolved(a, now) ? resolved : firing).push(a.fingerprint);
  return { firing, resolved };
}

export class DedupStage implements Stage {
  constructor(
    readonly nflog: NotificationLog,
    readonly recv: IntegrationRef,
    readonly sendResolved: boolean,
    readonly acks?: AckGate,
    /**
     * resolved_after_mute (for an integration that sends resolved notifications): notes the alerts a notification
     * has firing before it is sent (NotificationLog.intend), and counts those of a notification in flight at a kill
     * as told
     */
    readonly intents = false,
  ) {}

  async exec(ctx: NotifyContext, all: readonly Alert[]): Promise<StageResult> {
    let entry = this.nflog.query(ctx.groupKey, this.recv);
    const maybeTold = this.intents ? this.nflog.intended?.(ctx.groupKey, this.recv) : undefined;
    const told = maybeTold ? [...(entry?.firingAlerts ?? []), ...maybeTold] : entry?.firingAlerts;
    // resolved_after_mute: a muted resolved alert goes only to the integrations that were told it fires
    const alerts = alertsForIntegration(ctx, all, told, this.sendResolved);
    if (alerts.length === 0) return { ctx, alerts };
    const { firing, resolved } = splitIds(alerts, ctx.now);
    // a notification in flight at a kill may have told the integration that some of these alerts fire: once nothing
    // fires and one of them is resolved (and not logged as resolved in `e`), the resolved notification is due as if
    // that entry had been logged (a firing alert is sent again by needsUpdate(): at least once)
    const resolvesMaybeTold = (e: NflogEntry | undefined): boolean =>
      maybeTold !== undefined && firing.length === 0 && resolved.some((fp) => maybeTold.includes(fp) && !e?.resolvedAlerts.includes(fp));
    // also the decision a shared log makes again from the stored entry (claim() below)
    const decide = (e: NflogEntry | undefined) =>
      needsUpdate(e, firing, resolved, this.sendResolved, ctx.repeatInterval, ctx.now) ?? (resolvesMaybeTold(e) ? 'all alerts resolved' : undefined);
    let reason =
      entry && (hasImportedIds(entry.firingAlerts) || hasImportedIds(entry.resolvedAlerts))
        ? ((await againstImported(entry, alerts, ctx.now, this.sendResolved, ctx.repeatInterval)) ?? (resolvesMaybeTold(entry) ? 'all alerts resolved' : undefined))
        : decide(entry);
    if (!reason) {
      if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, 'deduplicated', { integration: `${this.recv.integration}[${this.recv.idx}]` });
      return { ctx, alerts: [] };
    }
    // an acknowledged group gets no repeat of what was acknowledged (src/ack); anything else still goes out
    const ackID = this.acks?.suppressRepeat(ctx.groupKey, ctx.escalatedFrom ?? ctx.receiver, alerts, ctx.now, reason);
    if (ackID !== undefined) {
      if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, 'acknowledged', { integration: `${this.recv.integration}[${this.recv.idx}]`, ackID });
      return { ctx, alerts: [] };
    }
    if (this.nflog.claim) {
      // several replicas: only the group's owner sends, after claiming this notification in the shared store
      const claimed = await this.nflog.claim(ctx.groupKey, this.recv, decide);
      if (!claimed) return { ctx, alerts: [] };
      entry = claimed.entry;
      reason = claimed.reason as NotificationReason;
    }
    if (this.intents && firing.length > 0) await this.nflog.intend?.(ctx.groupKey, this.recv, firing, ctx.repeatInterval);
    const nflogStore = new Map<string, string | number>(Object.entries(entry?.receiverData ?? {}));
    return { ctx: Object.freeze({ ...ctx, firing, resolved, notificationReason: reason, integration: this.recv, nflogStore }), alerts };
  }
}

/** needsUpdate against an entry imported from Alertmanager: the alerts' ids are Alertmanager's hashes. */
async function againstImported(
  entry: NflogEntry,
  alerts: readonly Alert[],
  now: number,
  sendResolved: boolean,
  repeatInterval: number,
): Promise<NotificationReason | undefined> {
  const isRes = alerts.map((a) => isResolved(a, now));
  const ids = await alertmanagerAlertIds(alerts.map((a) => a.labels));
  return needsUpdate(
    entry,
    ids.filter((_, i) => !isRes[i]),
    ids.filter((_, i) => isRes[i]),
    sendResolved,
    repeatInterval,
    now,
  );
}
