/**
 * @module pipeline/types
 * The notification pipeline's small interfaces (upstream notify/notify.go, notify/mute.go), with a typed
 * NotifyContext instead of upstream's untyped context keys.
 */
import type { IntegrationType } from '../config/types';
import type { Alert, LabelSet } from '../types/alert';
import type { Logger } from '../types/logger';

/** Upstream notify.Reason strings (webhook `notification_reason`, template .NotificationReason). */
export type NotificationReason =
  | 'first notification'
  | 'new alerts added'
  | 'some alerts resolved'
  | 'all alerts resolved'
  | 'repeat interval elapsed'
  | 'unknown';

/** Which integration a pipeline branch serves (upstream nflogpb.Receiver). */
export interface IntegrationRef {
  /** receiver name */
  groupName: string;
  integration: IntegrationType | string;
  idx: number;
}

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
  name: IntegrationType | string;
  index: number;
  sendResolved: boolean;
  notifier: Notifier;
}

/** An nflog entry (upstream nflogpb.Entry + MeshEntry.expires_at). Alert ids are fingerprints. */
export interface NflogEntry {
  groupKey: string;
  receiver: IntegrationRef;
  /** epoch ms when the notification was logged */
  timestamp: number;
  firingAlerts: readonly string[];
  resolvedAlerts: readonly string[];
  receiverData?: Readonly<Record<string, string | number>>;
  expiresAt: number;
}

/** The notification log as the pipeline uses it (src/nflog implements it). */
export interface NotificationLog {
  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined;
  /**
   * Durable once it returns, or, when it returns a promise, once that promise resolves (a write-behind
   * log commits the entries of many flushes in one transaction); the caller awaits it.
   */
  log(
    receiver: IntegrationRef,
    groupKey: string,
    firing: readonly string[],
    resolved: readonly string[],
    repeatInterval: number,
    receiverData?: Readonly<Record<string, string | number>>,
  ): void | Promise<void>;
}
