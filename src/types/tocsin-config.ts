/**
 * @module types/tocsin-config
 * The Tocsin-only settings read from `--tocsin.config.file` (tocsin.yml), decoded. They never go into
 * alertmanager.yml, so a file valid for Alertmanager stays valid. Loaded, checked and reloaded together with the
 * main config (src/config/tocsin); every layer that acts on them (pipeline, dispatch, silences, api) reads these
 * types, so they live at the bottom. Durations are milliseconds.
 *
 * @example tocsin.yml
 * receivers:
 *   team-pager:
 *     resolved_after_mute: true
 *     rate_limit: { max: 10, window: 1m }
 *     outbox: { deadline: 24h, min_backoff: 10s, max_backoff: 5m }
 *     escalation:
 *       - { after: 15m, receiver: team-pagerduty }
 *       - { after: 30m, receiver: manager-pagerduty }
 * silences:
 *   expire_unmatched_after: 7d
 *   warn_mute_share: 0.5
 */

/** Storm control: beyond `max` notifications per `window` to one receiver, the rest fold into one digest per window. */
export interface RateLimitSettings {
  max: number;
  window: number;
}

/** Persistent outbox: a failed notification is kept and retried with backoff until `deadline`, then dead-lettered. */
export interface OutboxSettings {
  deadline: number;
  min_backoff: number;
  max_backoff: number;
}

/** One escalation step: if the group is not acknowledged `after` its first notification, also notify `receiver`. */
export interface EscalationStep {
  after: number;
  receiver: string;
}

export interface TocsinReceiverSettings {
  /** a receiver that got a firing notification for an alert also gets its resolved one, even if muted meanwhile */
  resolved_after_mute: boolean;
  rate_limit?: RateLimitSettings;
  outbox?: OutboxSettings;
  /** steps in increasing `after` order; empty = no escalation */
  escalation: EscalationStep[];
}

export interface TocsinSilenceSettings {
  /** expire a silence that has muted nothing for this long (0 = never) */
  expire_unmatched_after: number;
  /** warn when a new or updated silence would mute more than this share (0..1] of firing alerts (0 = never) */
  warn_mute_share: number;
}

export interface TocsinConfig {
  /** by receiver name (every name is a receiver of alertmanager.yml; the loader checks it) */
  receivers: Record<string, TocsinReceiverSettings>;
  silences: TocsinSilenceSettings;
}

/** What applies when no tocsin.yml is given, or a receiver is not named in it: Alertmanager's behaviour. */
export const DEFAULT_RECEIVER_SETTINGS: TocsinReceiverSettings = Object.freeze({ resolved_after_mute: false, escalation: [] }) as TocsinReceiverSettings;

export const EMPTY_TOCSIN_CONFIG: TocsinConfig = Object.freeze({
  receivers: {},
  silences: { expire_unmatched_after: 0, warn_mute_share: 0 },
}) as TocsinConfig;

/** The settings for one receiver (the defaults when tocsin.yml does not name it). */
export function receiverSettings(cfg: TocsinConfig | undefined, receiver: string): TocsinReceiverSettings {
  return cfg?.receivers[receiver] ?? DEFAULT_RECEIVER_SETTINGS;
}
