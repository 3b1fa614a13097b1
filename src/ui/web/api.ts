/**
 * @module ui/web/api
 * Typed fetchers for /api/v2 (shapes per §8.2). All paths are relative to the page's base (the route prefix), so the
 * UI works under any --web.route-prefix. Errors carry the server's text (JSON string or {message}).
 */
import type { AckWire, EscalationWire, PostableAck } from '../../wire/ack';
import type { HistoryEventWire } from '../../wire/history';
import type { OccurrenceWire, PostableSilenceSchedule, SilenceAuditWire, SilenceScheduleWire } from '../../wire/silence-schedules';
import type { OutboxPageWire, OutboxReplayWire } from '../../wire/notifications';
import type { AlertGroup, AlertmanagerStatus, ApiMatcher, GettableAlert, GettableSilence, PostableSilence } from '../../wire/api';

export type {
  AlertGroup,
  GettableAlert,
  GettableAlertStatus as AlertStatus,
  GettableSilence as Silence,
  PostableSilence,
} from '../../wire/api';
/** What the status page reads: the upstream fields (any may be missing) and whatever else the server adds. */
export type Status = Partial<Pick<AlertmanagerStatus, 'cluster' | 'config' | 'uptime'>> & { versionInfo?: Record<string, string>; [k: string]: unknown };
/** GET /api/v2/tocsin/history/series (src/api/tocsin-history-series.ts) */
export interface HistorySeries {
  kind: 'alerts' | 'notifications';
  by: string;
  since: string;
  until: string;
  stepSeconds: number;
  series: { name: string; other?: boolean; values: number[]; failures?: number[] }[];
}
export interface Explain {
  routes: {
    id: string;
    receiver: string;
    group_by: string[];
    group_wait: string | number;
    group_interval: string | number;
    repeat_interval: string | number;
    matchers: string[] | ApiMatcher[] | string;
    /** Tocsin's server adds these per route */
    continue?: boolean;
    groupKey?: string;
    groupLabels?: Record<string, string>;
    mutedBy?: string[];
    ack?: AckWire;
    escalation?: EscalationWire;
  }[];
  groupKey?: string;
  groupKeys?: string[];
  /** Tocsin: every inhibit rule muting the alert now, with its source alert */
  inhibitions?: { sourceFingerprint: string; ruleIndex?: number; rule: Record<string, unknown> }[];
  /** Tocsin: the time intervals on the alert's routes and whether each contains the current time */
  muteTimeIntervals?: { name: string; activeNow: boolean }[];
  activeTimeIntervals?: { name: string; activeNow: boolean }[];
  lastNotified?: string | null;
  nextFlush?: string | null;
  silences?: string[];
  inhibitedBy?: string[];
  mutedBy?: string[];
  receivers?: {
    name: string;
    integrations: (string | { name?: string; [k: string]: unknown })[];
    /** Tocsin: tocsin.yml resolved_after_mute and rate_limit (with its state now) */
    resolvedAfterMute?: boolean;
    rateLimit?: { max: number; window: string; sentInWindow: number; foldedGroups: number; nextDigest: string | null } | null;
  }[];
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function apiBase(): string {
  const p = location.pathname;
  return p.slice(0, p.lastIndexOf('/') + 1);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiBase() + path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(`network error: ${(e as Error).message}`, 0);
  }
  const text = await res.text();
  let data: unknown ;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    if (typeof data === 'string' && data.trim() !== '') msg = data.trim();
    else if (data && typeof data === 'object' && 'message' in data) msg = String((data as { message: unknown }).message);
    else if (data && typeof data === 'object' && 'error' in data) msg = String((data as { error: unknown }).error);
    throw new ApiError(msg, res.status);
  }
  return data as T;
}

/** One change of GET api/v2/tocsin/alerts/stream's `alerts` event (src/api/alert-stream.ts). */
export type StreamChange = { type: 'added' | 'updated' | 'status'; alert: GettableAlert } | { type: 'removed'; fingerprint: string };

export interface AlertQuery {
  filter: string[];
  receiver?: string;
  silenced: boolean;
  inhibited: boolean;
  muted: boolean;
  active?: boolean;
}

export function alertQueryString(q: AlertQuery, groups: boolean): string {
  const p = new URLSearchParams();
  p.set('active', String(q.active ?? true));
  p.set('silenced', String(q.silenced));
  p.set('inhibited', String(q.inhibited));
  if (groups) p.set('muted', String(q.muted));
  for (const f of q.filter) p.append('filter', f);
  if (q.receiver) p.set('receiver', q.receiver);
  return p.toString();
}

export const api = {
  groups: (q: AlertQuery, signal?: AbortSignal) => request<AlertGroup[]>('GET', `api/v2/alerts/groups?${alertQueryString(q, true)}`, undefined, signal),
  alerts: (q: AlertQuery, signal?: AbortSignal) => request<GettableAlert[]>('GET', `api/v2/alerts?${alertQueryString(q, false)}`, undefined, signal),
  receivers: () => request<{ name: string }[]>('GET', 'api/v2/receivers'),
  silences: () => request<GettableSilence[]>('GET', 'api/v2/silences'),
  silence: (id: string) => request<GettableSilence>('GET', `api/v2/silence/${encodeURIComponent(id)}`),
  /** `warnings`: Tocsin's silences.warn_mute_share warning (absent from Alertmanager) */
  postSilence: (s: PostableSilence) => request<{ silenceID: string; warnings?: string[] }>('POST', 'api/v2/silences', s),
  expireSilence: (id: string) => request<unknown>('DELETE', `api/v2/silence/${encodeURIComponent(id)}`),
  status: () => request<Status>('GET', 'api/v2/status'),
  /** Tocsin only: GET /api/v2/tocsin/history?<query> (404 elsewhere) */
  history: (query: string, signal?: AbortSignal) => request<{ events: HistoryEventWire[]; next: string | null }>('GET', `api/v2/tocsin/history?${query}`, undefined, signal),
  /** Tocsin only: a silence's audit trail (404 elsewhere) */
  silenceAudit: (id: string) => request<SilenceAuditWire>('GET', `api/v2/tocsin/silences/${encodeURIComponent(id)}/audit`),
  /** Tocsin only: recurring silences */
  schedules: () => request<SilenceScheduleWire[]>('GET', 'api/v2/tocsin/silence-schedules'),
  previewSchedule: (s: PostableSilenceSchedule, count: number, signal?: AbortSignal) =>
    request<{ occurrences: OccurrenceWire[] }>('POST', `api/v2/tocsin/silence-schedules/preview?count=${count}`, s, signal),
  postSchedule: (s: PostableSilenceSchedule) => request<{ scheduleID: string }>('POST', 'api/v2/tocsin/silence-schedules', s),
  deleteSchedule: (id: string) => request<{ expiredSilences: string[] }>('DELETE', `api/v2/tocsin/silence-schedules/${encodeURIComponent(id)}`),
  /** Tocsin only: the persistent outbox (404 elsewhere) */
  notifications: (query: string, signal?: AbortSignal) => request<OutboxPageWire>('GET', `api/v2/tocsin/notifications?${query}`, undefined, signal),
  replayNotification: (id: number) => request<OutboxReplayWire>('POST', `api/v2/tocsin/notifications/${encodeURIComponent(String(id))}/replay`),
  discardNotification: (id: number) => request<unknown>('DELETE', `api/v2/tocsin/notifications/${encodeURIComponent(String(id))}`),
  /** Tocsin only: acknowledge a group, end an ack */
  postAck: (a: PostableAck) => request<{ ackID: string }>('POST', 'api/v2/tocsin/acks', a),
  deleteAck: (id: string) => request<unknown>('DELETE', `api/v2/tocsin/acks/${encodeURIComponent(id)}`),
  /** Tocsin only: GET /api/v2/tocsin/history/series?<query> (the History chart) */
  historySeries: (query: string, signal?: AbortSignal) => request<HistorySeries>('GET', `api/v2/tocsin/history/series?${query}`, undefined, signal),
  explain: (fp: string) => request<Explain>('GET', `api/v2/tocsin/explain?fingerprint=${encodeURIComponent(fp)}`),
};
