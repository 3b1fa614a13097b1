/**
 * @module history/event
 * The history's event model: one flat, cheap object per event (built on the hot path, serialised later by
 * the batch writer). Kinds use upstream's event recorder vocabulary where it has one (eventrecorderpb
 * EventData: alertmanager_startup_event, alert_created, alert_resolved, alert_grouped, notification,
 * silence_created, silence_updated, silence_muted_alert, inhibition_muted_alert) and Tocsin's own names for
 * what upstream does not record.
 */
import type { Matcher } from '../matchers/types';
import type { Alert, LabelSet } from '../types/alert';

/** Kinds shared with upstream's eventrecorder (same names). */
export const UPSTREAM_KINDS = [
  'alertmanager_startup',
  'alertmanager_shutdown',
  'alert_created',
  'alert_resolved',
  'alert_grouped',
  'notification',
  'silence_created',
  'silence_updated',
  'silence_muted_alert',
  'inhibition_muted_alert',
] as const;

/** Tocsin's own kinds. */
export const TOCSIN_KINDS = [
  /** labels kept, annotations or endsAt changed by a client */
  'alert_changed',
  /** a previously silenced/inhibited alert is no longer muted */
  'alert_unmuted',
  /** a flush that sent nothing, and why (deduplicated, silenced, inhibited, a time interval) */
  'flush_skipped',
  'silence_expired',
  'config_reload',
  /** resolved_after_mute: a muted alert's resolved notification sent because the receiver was told it fires */
  'resolved_after_mute',
  /** rate_limit: a group's notification not sent on its own, folded into the receiver's next digest */
  'notification_folded',
  /** rate_limit: the digest of the groups folded in one window, sent (or failed) to the receiver */
  'digest_sent',
  /** a person acknowledged a group on a receiver (src/ack) */
  'ack_created',
  'ack_deleted',
  /** an ack stopped applying: its endsAt passed, the group's alerts changed, or a newer ack superseded it */
  'ack_expired',
  /** a group's first firing notification to a receiver with escalation steps */
  'escalation_started',
  /** an escalation step reached: the step's receiver also gets the group's notifications */
  'escalation_step',
  /** no further step: the group was acknowledged or resolved */
  'escalation_stopped',
] as const;

export type HistoryKind = (typeof UPSTREAM_KINDS)[number] | (typeof TOCSIN_KINDS)[number];

export const HISTORY_KINDS: readonly HistoryKind[] = [...UPSTREAM_KINDS, ...TOCSIN_KINDS];
const KIND_SET: ReadonlySet<string> = new Set(HISTORY_KINDS);

export function isHistoryKind(s: string): s is HistoryKind {
  return KIND_SET.has(s);
}

/** Kind-specific fields (JSON values); e.g. a notification's status, latency, attempt. */
export type EventData = Readonly<Record<string, unknown>>;

export interface HistoryEvent {
  /** epoch ms */
  readonly time: number;
  readonly kind: HistoryKind;
  /** the alert concerned (alert and mute kinds) */
  readonly fingerprint?: string;
  /** the alert's labels (alert kinds; what `filter` matches) */
  readonly labels?: LabelSet;
  readonly groupKey?: string;
  readonly receiver?: string;
  readonly silenceId?: string;
  readonly data?: EventData;
  /** what the event was recorded from, for live consumers only (upstream's event recorder); never stored */
  readonly live?: LiveFacts;
}

/**
 * The objects an event was recorded from (references, no copies: cheap on the hot path). Storage ignores
 * them; the event recorder (src/app/event-recorder) builds upstream's event shape from them.
 */
export interface LiveFacts {
  /** the alert (alert and mute kinds) */
  readonly alert?: Alert;
  /** notification: the alerts the integration was sent */
  readonly alerts?: readonly Alert[];
  /** alert_grouped, alert_resolved by a group, notification: the group's labels */
  readonly groupLabels?: LabelSet;
  /** notification: the route's repeat_interval (ms) */
  readonly repeatInterval?: number;
  /** silence_created, silence_updated, silence_expired: the silence */
  readonly silence?: LiveSilence;
  /** silence_muted_alert: the silences muting the alert */
  readonly silences?: readonly LiveSilence[];
  /** inhibition_muted_alert: the rule that matched */
  readonly inhibitRule?: { readonly name?: string | undefined; readonly sourceMatchers: readonly Matcher[]; readonly targetMatchers: readonly Matcher[]; readonly equal: readonly string[] };
}

/** A silence's fields (id, matcher sets, times, author, comment): what src/silence/types.ts Silence builds on. */
export interface LiveSilence {
  readonly id: string;
  readonly matcherSets: readonly (readonly Matcher[])[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** A stored event: its id orders events recorded at the same time. */
export interface StoredHistoryEvent extends HistoryEvent {
  readonly id: number;
}
