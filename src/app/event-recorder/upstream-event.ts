/**
 * @module app/event-recorder/upstream-event
 * A history event (src/history/event.ts) in upstream's event recorder shape: the eventrecorderpb.Event message
 * as Go's protojson writes it (upstream eventrecorder/eventrecorderpb/eventrecorder.proto), so tools built for
 * upstream's recorder read Tocsin's. protojson's rules, applied here by hand:
 * - field names are lowerCamelCase (the envelope's timestamp is "@timestamp");
 * - zero values (0, "", false, empty lists, the first enum value) are left out; a set message is written even
 *   when empty ({});
 * - 64-bit integers (fingerprints, hashes, int64 index) are decimal strings; uint32 is a number;
 * - Timestamp is RFC 3339 in UTC ("Z"), with 0, 3, 6 or 9 fractional digits; Duration is seconds with an "s";
 * - enums are their names (NOTIFY_REASON_FIRST_NOTIFICATION, TYPE_EQUAL).
 * Events upstream does not record (Tocsin's own kinds, failed notification attempts) map to nothing.
 */
import { createHash } from 'node:crypto';
import type { HistoryEvent, LiveSilence } from '../../history/event';
import type { Matcher } from '../../matchers/types';
import { type Alert, isResolved, type LabelSet } from '../../types/alert';
import { sortedLabelNames } from '../../types/labels';

type Json = Record<string, unknown>;

/** What the conversion needs besides the event. */
export interface UpstreamEventContext {
  /** the hostname (upstream: os.Hostname()) */
  instance: string;
  /** upstream notify.hashAlert over a label set */
  hashAlert: (labels: LabelSet) => bigint;
  /** the version and build context of the startup event */
  version: string;
  buildContext: string;
}

/** Go's zero time.Time as a protobuf Timestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** protojson Timestamp: RFC 3339 UTC, fraction trimmed to 0/3 digits (Tocsin's times are milliseconds). */
export function timestampJson(ms: number): string {
  if (ms === 0) return ZERO_TIME;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** protojson Duration: seconds with up to 9 fractional digits, trimmed like Go's (0/3/6/9). */
export function durationJson(ms: number): string {
  const whole = Math.trunc(ms / 1000);
  const frac = Math.abs(ms % 1000);
  return frac === 0 ? `${whole}s` : `${ms < 0 && whole === 0 ? '-' : ''}${whole}.${String(frac).padStart(3, '0')}s`;
}

/** A 16-hex-digit fingerprint as protojson's uint64 (a decimal string). */
function fingerprintJson(fp: string): string {
  return BigInt(`0x${fp}`).toString();
}

/** Leaves out protojson's zero values: undefined, '', 0, false, empty arrays. */
function omitZero(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function labelSetJson(ls: LabelSet): Json {
  return omitZero({ labels: sortedLabelNames(ls).map((k) => omitZero({ key: k, value: ls[k] })) });
}

function alertJson(a: Alert, now: number): Json {
  return omitZero({
    fingerprint: fingerprintJson(a.fingerprint),
    name: a.labels.alertname ?? '',
    labels: labelSetJson(a.labels),
    annotations: labelSetJson(a.annotations),
    startsAt: timestampJson(a.startsAt),
    endsAt: timestampJson(a.endsAt),
    resolved: isResolved(a, now),
  });
}

function groupedAlertJson(a: Alert, now: number, c: UpstreamEventContext): Json {
  return { hash: c.hashAlert(a.labels).toString(), details: alertJson(a, now) };
}

const MATCH_TYPES: Readonly<Record<Matcher['type'], string>> = { '=': 'TYPE_EQUAL', '=~': 'TYPE_REGEXP', '!=': 'TYPE_NOT_EQUAL', '!~': 'TYPE_NOT_REGEXP' };

function matcherJson(m: Matcher): Json {
  return omitZero({ type: MATCH_TYPES[m.type], name: m.name, pattern: m.value, rendered: m.toString() });
}

function silenceJson(s: LiveSilence): Json {
  const sets = s.matcherSets.map((set) => omitZero({ matchers: set.map(matcherJson) }));
  return omitZero({
    id: s.id,
    matchers: (s.matcherSets[0] ?? []).map(matcherJson),
    startsAt: timestampJson(s.startsAt),
    endsAt: timestampJson(s.endsAt),
    updatedAt: timestampJson(s.updatedAt),
    createdBy: s.createdBy,
    comment: s.comment,
    matcherSets: sets,
  });
}

function groupInfoJson(e: HistoryEvent): Json {
  const key = e.groupKey ?? '';
  return omitZero({
    groupKey: key,
    groupLabels: labelSetJson(e.live?.groupLabels ?? {}),
    groupId: createHash('sha256').update(key).digest('hex'),
    receiverName: e.receiver,
  });
}

function mutedAlertJson(e: HistoryEvent): Json {
  return omitZero({ labels: labelSetJson(e.labels ?? {}), fingerprint: e.fingerprint ? fingerprintJson(e.fingerprint) : undefined });
}

const REASONS: Readonly<Record<string, string>> = {
  'first notification': 'NOTIFY_REASON_FIRST_NOTIFICATION',
  'new alerts added': 'NOTIFY_REASON_NEW_ALERTS_IN_GROUP',
  'some alerts resolved': 'NOTIFY_REASON_NEW_RESOLVED_ALERTS',
  'all alerts resolved': 'NOTIFY_REASON_ALL_ALERTS_RESOLVED',
  'repeat interval elapsed': 'NOTIFY_REASON_REPEAT_INTERVAL_ELAPSED',
};

function notificationJson(e: HistoryEvent, c: UpstreamEventContext): Json | undefined {
  const d = e.data ?? {};
  // upstream records delivered notifications only
  if (d.outcome !== 'success') return undefined;
  const alerts = e.live?.alerts ?? [];
  const byFp = new Map(alerts.map((a) => [a.fingerprint, a]));
  const hashes = (fps: unknown): Json[] =>
    (Array.isArray(fps) ? (fps as string[]) : []).flatMap((fp) => {
      const a = byFp.get(fp);
      return a ? [{ hash: c.hashAlert(a.labels).toString() }] : [];
    });
  return omitZero({
    alerts: alerts.map((a) => groupedAlertJson(a, e.time, c)),
    firingAlerts: hashes(d.firing),
    resolvedAlerts: hashes(d.resolved),
    groupInfo: groupInfoJson(e),
    repeatInterval: durationJson(e.live?.repeatInterval ?? 0),
    reason: REASONS[String(d.reason)],
    integration: omitZero({ name: d.integration, index: typeof d.index === 'number' && d.index !== 0 ? String(d.index) : undefined }),
  });
}

/** The EventData oneof of an event, or undefined when upstream records no such event. */
function eventData(e: HistoryEvent, c: UpstreamEventContext): Json | undefined {
  const live = e.live;
  switch (e.kind) {
    case 'alertmanager_startup':
      return { alertmanagerStartupEvent: omitZero({ version: c.version, buildContext: c.buildContext }) };
    case 'alertmanager_shutdown':
      return { alertmanagerShutdownEvent: {} };
    case 'alert_created':
      return live?.alert ? { alertCreated: { alert: alertJson(live.alert, e.time) } } : undefined;
    case 'alert_resolved':
      return live?.alert ? { alertResolved: omitZero({ alert: groupedAlertJson(live.alert, e.time, c), groupInfo: e.groupKey !== undefined ? groupInfoJson(e) : undefined }) } : undefined;
    case 'alert_grouped':
      return live?.alert ? { alertGrouped: { alert: groupedAlertJson(live.alert, e.time, c), groupInfo: groupInfoJson(e) } } : undefined;
    case 'notification': {
      const n = notificationJson(e, c);
      return n ? { notification: n } : undefined;
    }
    case 'silence_created':
      return live?.silence ? { silenceCreated: { silence: silenceJson(live.silence) } } : undefined;
    case 'silence_updated':
      return live?.silence ? { silenceUpdated: { silence: silenceJson(live.silence) } } : undefined;
    case 'inhibition_muted_alert': {
      const r = live?.inhibitRule;
      const by = e.data?.inhibitedBy;
      return {
        inhibitionMutedAlert: omitZero({
          inhibitRules: r
            ? [
                omitZero({
                  sourceMatchers: r.sourceMatchers.map(matcherJson),
                  targetMatchers: r.targetMatchers.map(matcherJson),
                  equalLabels: [...r.equal].sort(),
                  name: r.name,
                }),
              ]
            : [],
          mutedAlert: mutedAlertJson(e),
          inhibitingFingerprints: typeof by === 'string' ? [fingerprintJson(by)] : [],
        }),
      };
    }
    default:
      return undefined;
  }
}

/**
 * The upstream events for one history event (silence_muted_alert gives one per muting silence, as upstream
 * records one per silence); [] for what upstream does not record.
 */
export function upstreamEvents(e: HistoryEvent, c: UpstreamEventContext): Json[] {
  const envelope = (data: Json): Json => ({ '@timestamp': timestampJson(e.time), ...(c.instance ? { instance: c.instance } : {}), data });
  if (e.kind === 'silence_muted_alert') {
    return (e.live?.silences ?? []).map((s) => envelope({ silenceMutedAlert: { silence: silenceJson(s), mutedAlert: mutedAlertJson(e) } }));
  }
  const data = eventData(e, c);
  return data ? [envelope(data)] : [];
}
