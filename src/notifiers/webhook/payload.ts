/**
 * @module notifiers/webhook/payload
 * The webhook "version 4" message (upstream notify/webhook/webhook.go + template.Data JSON), built by a
 * pure function. Field order follows master; times are Go RFC3339Nano in UTC; firing alerts carry the zero
 * time as endsAt.
 */
import type { NotifyContext } from '../../pipeline/types';
import { type Alert, isResolved, type LabelSet } from '../../types/alert';
import { compareStrings } from '../../types/labels';
import { quoteMeta } from '../../templates/data';

/** Go regexp.QuoteMeta (upstream template data quotes the receiver name); one implementation, in templates. */
export { quoteMeta };

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookMessage {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  notification_reason: string;
  groupLabels: LabelSet;
  commonLabels: LabelSet;
  commonAnnotations: LabelSet;
  routeLabels: LabelSet;
  externalURL: string;
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go time.Time JSON (RFC3339Nano, UTC) for epoch ms; 0 = Go's zero time. */
export function goTime(ms: number): string {
  if (ms === 0) return GO_ZERO_TIME;
  const iso = new Date(ms).toISOString(); // 2026-11-24T22:07:42.860Z
  if (iso.length === 24) {
    // Go drops the fraction's trailing zeros, and the dot with them (string slicing: this runs per alert per notification)
    if (iso.charCodeAt(22) !== 0x30) return iso;
    if (iso.charCodeAt(21) !== 0x30) return `${iso.slice(0, 22)}Z`;
    if (iso.charCodeAt(20) !== 0x30) return `${iso.slice(0, 21)}Z`;
    return `${iso.slice(0, 19)}Z`;
  }
  // years outside 0000..9999 (+/-YYYYYY)
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `.${f}Z` : 'Z';
  });
}

/** Go encodes map[string]string with sorted keys: give label maps that order (byte order). */
function sorted(ls: LabelSet): LabelSet {
  const keys = Object.keys(ls);
  if (keys.length < 2) return ls;
  // already in order (e.g. sorted at the source): no copy, same JSON
  let i = 1;
  while (i < keys.length && compareStrings(keys[i - 1]!, keys[i]!) < 0) i++;
  if (i === keys.length) return ls;
  const out: Record<string, string> = {};
  for (const k of keys.sort(compareStrings)) out[k] = ls[k]!;
  return out;
}

function common(maps: readonly LabelSet[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (maps.length === 0) return out;
  const first = maps[0]!;
  // one alert (the usual group): all of its labels, without the entry pairs and the comparisons
  const one = maps.length === 1;
  for (const k of Object.keys(first)) {
    const v = first[k]!;
    if (one || maps.every((m) => m[k] === v)) out[k] = v;
  }
  return out;
}

export interface WebhookPayloadInput {
  receiver: string;
  groupKey: string;
  groupLabels: LabelSet;
  routeLabels?: LabelSet;
  externalURL: string;
  notificationReason?: string;
  /** the alerts of this notification, in flush order */
  alerts: readonly Alert[];
  now: number;
  /** 0 = unlimited */
  maxAlerts: number;
}

/** The payload input of one notification (webhook and incident.io). */
export function webhookPayloadInput(ctx: NotifyContext, externalURL: string, alerts: readonly Alert[], maxAlerts: number): WebhookPayloadInput {
  return {
    receiver: ctx.receiver,
    groupKey: ctx.groupKey,
    groupLabels: ctx.groupLabels,
    routeLabels: ctx.routeLabels,
    externalURL,
    ...(ctx.notificationReason ? { notificationReason: ctx.notificationReason } : {}),
    alerts,
    now: ctx.now,
    maxAlerts,
  };
}

/** The first `maxAlerts` alerts (0 = all) and how many were left out (upstream notify/webhook truncateAlerts). */
export function truncateAlerts<T>(alerts: readonly T[], maxAlerts: number): { kept: readonly T[]; truncated: number } {
  const kept = maxAlerts > 0 && alerts.length > maxAlerts ? alerts.slice(0, maxAlerts) : alerts;
  return { kept, truncated: alerts.length - kept.length };
}

/**
 * Upstream truncates first and builds the template data from the kept alerts: status, commonLabels and
 * commonAnnotations describe only the alerts sent (notify/webhook/webhook.go: truncateAlerts, then GetTemplateData).
 */
export function buildWebhookPayload(i: WebhookPayloadInput): WebhookMessage {
  const { kept: sent, truncated } = truncateAlerts(i.alerts, i.maxAlerts);
  const all = sent.map(
    (a): WebhookAlert => {
      const resolved = isResolved(a, i.now);
      return {
        status: resolved ? 'resolved' : 'firing',
        labels: sorted(a.labels),
        annotations: sorted(a.annotations),
        startsAt: goTime(a.startsAt),
        endsAt: resolved ? goTime(a.endsAt) : GO_ZERO_TIME,
        generatorURL: a.generatorURL,
        fingerprint: a.fingerprint,
      };
    },
  );
  return {
    receiver: quoteMeta(i.receiver),
    status: all.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: all,
    notification_reason: i.notificationReason ?? 'unknown',
    groupLabels: sorted(i.groupLabels),
    // common() keeps the first map's key order, and these maps are already sorted
    commonLabels: common(all.map((a) => a.labels)),
    commonAnnotations: common(all.map((a) => a.annotations)),
    routeLabels: sorted(i.routeLabels ?? {}),
    externalURL: i.externalURL,
    version: '4',
    groupKey: i.groupKey,
    truncatedAlerts: truncated,
  };
}
