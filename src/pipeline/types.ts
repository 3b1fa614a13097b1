/**
 * @module pipeline/types
 * The notification pipeline's small interfaces (upstream notify/notify.go, notify/mute.go), with a typed
 * NotifyContext instead of upstream's untyped context keys.
 */
import type { AttemptCapture } from '../history/attempt-capture';
import type { HistorySink } from '../history/sink';
import type { IntegrationRef } from '../nflog/types';
import type { Alert, LabelSet } from '../types/alert';
import type { Logger } from '../types/logger';
import type { PayloadCapture } from './payload-capture';

export type { IntegrationRef, NflogEntry, NotificationLog } from '../nflog/types';

/** Upstream notify.Reason strings (webhook `notification_reason`, template .NotificationReason). */
export type NotificationReason =
  | 'first notification'
  | 'new alerts added'
  | 'some alerts resolved'
  | 'all alerts resolved'
  | 'repeat interval elapsed'
  | 'unknown';

/** Why a resolved alert let through by resolved_after_mute would have been muted (flush_skipped reasons). */
export type GuardedMute = 'silenced' | 'inhibited' | 'muted by time interval' | 'outside active time interval';

export interface NotifyContext {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: LabelSet;
  readonly routeId: string;
  readonly routeLabels: LabelSet;
  /** the flush time (the group timer's time): the one reference "now" for the whole pipeline */
  readonly now: number;
  readonly repeatInterval: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** aborted at the flush deadline, on reload and on shutdown */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** called by the time-interval stages with the names muting the group ([] when not muted) */
  readonly setMutedBy?: (names: readonly string[]) => void;
  /** set by DedupStage: the ids (fingerprints) of firing and resolved alerts of this flush */
  readonly firing?: readonly string[];
  readonly resolved?: readonly string[];
  readonly notificationReason?: NotificationReason;
  /** set per fan-out branch */
  readonly integration?: IntegrationRef;
  /**
   * Set by DedupStage: this integration's receiver data from the previous nflog entry (upstream nflog.Store),
   * which a notifier may update (Slack update_message keeps threadTs/channelId) and SetNotifiesStage saves.
   */
  readonly nflogStore?: Map<string, string | number>;
  /**
   * Set by OutboxStage: true once earlier notifications for this integration wait in the persistent outbox; the
   * retry stage then stops retrying (before its next attempt) so this one queues behind them, in order.
   */
  readonly stopRetrying?: () => boolean;
  /** the history recorder (src/history), when history is on */
  readonly history?: HistorySink;
  /**
   * Set by the retry stage for one attempt when history is on: the notifier's sender notes what the attempt sent
   * and got back in it (src/history/attempt-capture.ts)
   */
  readonly attempt?: AttemptCapture;
  /**
   * Set by the outbox for one notification: the notifier's sender notes its request bodies in it, or sends the
   * stored ones on a retry or replay (src/pipeline/payload-capture.ts)
   */
  readonly payloads?: PayloadCapture;
  /**
   * resolved_after_mute: fingerprint -> why it was muted, for the resolved alerts a mute stage let through
   * because the receiver was told they fire (src/pipeline/resolved-guard.ts)
   */
  readonly guaranteed?: ReadonlyMap<string, GuardedMute>;
  /**
   * Set on an escalation step's flush (src/pipeline/escalating-stage.ts): the receiver whose escalation this is;
   * acks of the group on that receiver apply
   */
  readonly escalatedFrom?: string;
}

/** What the dedup stage asks of the acknowledgements (src/ack Acks). */
export interface AckGate {
  /** the id of the ack suppressing this notification (a repeat of acknowledged alerts), or undefined: send it */
  suppressRepeat(groupKey: string, receiver: string, alerts: readonly Alert[], now: number, reason: string): string | undefined;
}

export interface StageResult {
  ctx: NotifyContext;
  alerts: readonly Alert[];
}

export interface Stage {
  exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult>;
}

/** Sends one notification. Throws NotifyError (retryable or not); never puts secrets in messages. */
export interface Notifier {
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void>;
  /** optional: releases pooled connections; called when the dispatch that owns the notifier stops */
  close?(): Promise<void>;
}

/**
 * Mutes alerts. Satisfied structurally by the inhibitor (src/inhibit) and the silencer (src/silence), which
 * record inhibitedBy / silencedBy into the AlertMarker themselves.
 */
export interface Muter {
  mutes(labels: LabelSet, fingerprint: string): boolean;
}

/** One integration of a receiver, ready to send. */
export interface Integration {
  /** the integration type, e.g. `webhook` (the config's IntegrationType) */
  name: string;
  index: number;
  sendResolved: boolean;
  notifier: Notifier;
}

