/**
 * @module pipeline/dedup-stage
 * Decides whether this integration needs a notification, against the nflog (upstream notify/dedup_stage.go,
 * reference §4.3). Alert ids are fingerprints (upstream hashes labels; the id is internal to the nflog).
 */
import { recordFlushSkipped } from '../history/notification-events';
import { isResolved, type Alert } from '../types/alert';
import type { IntegrationRef, NflogEntry, NotificationLog, NotificationReason, NotifyContext, Stage, StageResult } from './types';

function subset(xs: readonly string[], set: ReadonlySet<string>): boolean {
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

export class DedupStage implements Stage {
  constructor(
    readonly nflog: NotificationLog,
    readonly recv: IntegrationRef,
    readonly sendResolved: boolean,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const firing: string[] = [];
    const resolved: string[] = [];
    for (const a of alerts) (isResolved(a, ctx.now) ? resolved : firing).push(a.fingerprint);
    const entry = this.nflog.query(ctx.groupKey, this.recv);
    const reason = needsUpdate(entry, firing, resolved, this.sendResolved, ctx.repeatInterval, ctx.now);
    if (!reason) {
      if (ctx.history) recordFlushSkipped(ctx.history, ctx.now, ctx.receiver, ctx.groupKey, 'deduplicated', { integration: `${this.recv.integration}[${this.recv.idx}]` });
      return { ctx, alerts: [] };
    }
    const nflogStore = new Map<string, string | number>(Object.entries(entry?.receiverData ?? {}));
    return { ctx: Object.freeze({ ...ctx, firing, resolved, notificationReason: reason, integration: this.recv, nflogStore }), alerts };
  }
}
