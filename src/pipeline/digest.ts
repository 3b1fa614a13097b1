/**
 * @module pipeline/digest
 * The digest of the groups a rate-limited receiver folded in one window (src/pipeline/rate-limit.ts), sent
 * as ONE ordinary notification through each of the receiver's integrations, so its own templates render it
 * and every integration gets a valid message: a synthetic group whose alerts are all the folded groups'
 * alerts, whose group label `tocsin_digest` says "N more groups firing", and whose alerts all carry the
 * annotation `tocsin_digest` (so it is a common annotation: the head and the first group names) and each the
 * annotation `tocsin_digest_group` naming its own folded group. Once it reached an
 * integration, each folded group is logged in the nflog for that integration as if notified (the digest was
 * its notification). The history gets the attempts (`notification`, group key `tocsin-digest:<receiver>`)
 * and one `digest_sent` naming the folded groups.
 */
import { setMaxListeners } from 'node:events';
import { type Alert, isResolved } from '../types/alert';
import type { Clock } from '../types/clock';
import { labelSetString } from '../types/labels';
import { splitIds } from './dedup-stage';
import type { DeliveryMetrics } from './delivery-metrics';
import type { NotifyMetrics } from './metrics';
import { DigestFailedError, type FoldedGroup, type PendingDigest } from './rate-limit';
import { type BackoffPolicy, RetryStage } from './retry-stage';
import type { GuardedMute, Integration, IntegrationRef, NotificationLog, NotificationReason, NotifyContext } from './types';

/** The group label and the annotation every alert of a digest carries (so also a common annotation). */
export const DIGEST_LABEL = 'tocsin_digest';
/** The annotation naming the folded group(s) the alert came from. */
export const DIGEST_GROUP_ANNOTATION = 'tocsin_digest_group';
/** How many group names the summary lists before "…" (every alert names its own group in full). */
export const SUMMARY_NAMES = 10;

export interface DigestContent {
  groupLabels: Record<string, string>;
  alerts: Alert[];
  /** `N more groups firing: {a="1"}, {a="2"}, … (M more)` */
  summary: string;
}

/**
 * The synthetic group of a digest. Every folded group is named: in the summary (the first SUMMARY_NAMES) and, on
 * each of its alerts, in the annotation tocsin_digest_group; the payload grows linearly with the alerts.
 */
export function digestContent(groups: readonly FoldedGroup[], now: number): DigestContent {
  let firingGroups = 0;
  for (const g of groups) if (g.alerts.some((a) => !isResolved(a, now))) firingGroups++;
  const n = groups.length;
  const head = firingGroups === n ? `${n} more groups firing` : firingGroups === 0 ? `${n} more groups resolved` : `${n} more groups (${firingGroups} firing, ${n - firingGroups} resolved)`;
  const names = groups.map((g) => labelSetString(g.groupLabels));
  const listed = names.slice(0, SUMMARY_NAMES).join(', ');
  const summary = `${head}: ${listed}${n > SUMMARY_NAMES ? `, … (${n - SUMMARY_NAMES} more)` : ''}`;
  // an alert in several folded groups (routes with continue) goes once, naming them all
  const byFp = new Map<string, { alert: Alert; groups: string[] }>();
  groups.forEach((g, i) => {
    for (const a of g.alerts) {
      const hit = byFp.get(a.fingerprint);
      if (hit) hit.groups.push(names[i]!);
      else byFp.set(a.fingerprint, { alert: a, groups: [names[i]!] });
    }
  });
  const alerts: Alert[] = [];
  for (const { alert, groups: from } of byFp.values()) {
    alerts.push({ ...alert, annotations: { ...alert.annotations, [DIGEST_LABEL]: summary, [DIGEST_GROUP_ANNOTATION]: from.join(', ') } });
  }
  return { groupLabels: { [DIGEST_LABEL]: head }, alerts, summary };
}

export interface DigestSenderOptions {
  receiver: string;
  integrations: readonly Integration[];
  nflog: NotificationLog;
  clock: Clock;
  backoff: BackoffPolicy;
  metrics?: NotifyMetrics;
  deliveryMetrics?: DeliveryMetrics;
}

function digestReason(groups: readonly FoldedGroup[]): NotificationReason {
  const first = groups[0]?.reason ?? 'unknown';
  return groups.every((g) => g.reason === first) ? first : 'unknown';
}

/** Sends a due digest (see the module comment); resolves once every integration is done. */
export async function sendDigest(o: DigestSenderOptions, d: PendingDigest): Promise<void> {
  const groups = [...d.groups.values()];
  if (groups.length === 0) return;
  const now = o.clock.now();
  const content = digestContent(groups, now);
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  const deadline = o.clock.setTimer(60_000, () => ac.abort(new DOMException('context deadline exceeded', 'TimeoutError')));
  const { firing, resolved } = splitIds(content.alerts, now);
  const base: NotifyContext = {
    receiver: o.receiver,
    groupKey: `${DIGEST_LABEL}:${o.receiver}`,
    groupLabels: content.groupLabels,
    routeId: '',
    routeLabels: {},
    now,
    repeatInterval: 0,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    signal: ac.signal,
    logger: d.logger,
    firing,
    resolved,
    notificationReason: digestReason(groups),
    ...(d.history ? { history: d.history } : {}),
  };
  // resolved_after_mute: a muted resolved alert goes only to the integrations that were told it fires (their ids)
  const guaranteed = new Map<string, { why: GuardedMute; alert: Alert; groupKey: string }>();
  for (const g of groups) {
    for (const a of g.alerts) {
      const why = g.guaranteed?.get(a.fingerprint);
      if (why) guaranteed.set(a.fingerprint, { why, alert: a, groupKey: g.groupKey });
    }
  }
  const guaranteedSent = new Set<string>();
  const outcomes = await Promise.allSettled(
    o.integrations.map(async (integ, i) => {
      const ref: IntegrationRef = { groupName: o.receiver, integration: integ.name, idx: integ.index };
      let alerts: readonly Alert[] = content.alerts;
      const told = new Set<string>();
      if (guaranteed.size > 0) {
        for (const g of groups) {
          for (const fp of g.ids[i]?.resolved ?? []) if (guaranteed.has(fp)) told.add(fp);
        }
        alerts = alerts.filter((a) => !guaranteed.has(a.fingerprint) || told.has(a.fingerprint));
        if (alerts.length === 0) return;
      }
      await new RetryStage(integ, o.clock, o.metrics, o.backoff).exec(Object.freeze({ ...base, integration: ref, nflogStore: new Map() }), alerts);
      for (const fp of told) guaranteedSent.add(fp);
      // the attempt is durable in the history before the nflog counts the groups as notified (as SetNotifiesStage)
      await d.history?.committed().catch(() => undefined);
      for (const g of groups) {
        const ids = g.ids[i];
        if (!ids) continue;
        const prev = o.nflog.query(g.groupKey, ref);
        await o.nflog.log(ref, g.groupKey, ids.firing, ids.resolved, g.repeatInterval, prev?.receiverData);
      }
    }),
  );
  deadline.cancel();
  const failed = outcomes.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length < outcomes.length) o.deliveryMetrics?.digests.inc({ receiver: o.receiver });
  if (guaranteedSent.size > 0) o.deliveryMetrics?.resolvedAfterMute.inc({ receiver: o.receiver }, guaranteedSent.size);
  for (const fp of guaranteedSent) {
    const g = guaranteed.get(fp)!;
    d.history?.record({ time: now, kind: 'resolved_after_mute', fingerprint: fp, labels: g.alert.labels, receiver: o.receiver, groupKey: g.groupKey, data: { mutedBy: g.why, digest: d.id } });
  }
  d.history?.record({
    time: now,
    kind: 'digest_sent',
    receiver: o.receiver,
    groupKey: base.groupKey,
    data: {
      digest: d.id,
      groups: groups.map((g) => g.groupKey),
      alerts: content.alerts.length,
      outcome: failed.length === 0 ? 'success' : 'failure',
      ...(failed.length > 0 ? { error: failed.map((f) => String((f.reason as Error)?.message ?? f.reason)).join('; ') } : {}),
    },
  });
  if (failed.length > 0) throw new DigestFailedError(`digest ${d.id}: ${failed.length} of ${outcomes.length} integrations failed`, failed.length < outcomes.length, failed.map((f) => f.reason));
}
