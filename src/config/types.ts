/**
 * The validated configuration: the contract between the config loader (src/config) and everything that
 * consumes it (routing, inhibit, pipeline, notifiers, api). Keys keep their YAML names (STYLE.md 5.1).
 * Durations are milliseconds. Matchers are parsed. Secrets are Secret objects. File paths are absolute
 * (resolved against the config file's directory).
 */
import type { Matcher } from '../matchers/types';
import type { TimeIntervalSpec } from '../timeinterval/types';
import type { Secret } from '../types/secret';
import type { TocsinConfig } from '../types/tocsin-config';
import type { HTTPClientConfig, TLSConfig } from '../schema/http-client-config';
import type { IntegrationConfig } from '../notifiers/index';
import type { EventRecorderConfig } from './event-recorder';

export type { HTTPClientConfig, TLSConfig } from '../schema/http-client-config';

export interface Config {
  global: GlobalConfig;
  route: RouteConfig;
  inhibit_rules: InhibitRuleConfig[];
  receivers: ReceiverConfig[];
  /** absolute path globs, in file order */
  templates: string[];
  time_intervals: TimeIntervalConfig[];
  mute_time_intervals: TimeIntervalConfig[];
  /** master's `tracing` block as written (Tocsin does not act on it; the app warns) */
  tracing?: unknown;
  /** master's `event_recorder` block (used with --enable-feature=event-recorder) */
  event_recorder?: EventRecorderConfig;
}

export interface GlobalConfig {
  resolve_timeout: number;
  http_config: HTTPClientConfig;
  smtp_from?: string;
  smtp_hello: string;
  smtp_smarthost?: string;
  smtp_auth_username?: string;
  smtp_auth_password?: Secret;
  smtp_auth_identity?: string;
  smtp_auth_secret?: Secret;
  smtp_require_tls: boolean;
  smtp_tls_config?: TLSConfig;
  smtp_force_implicit_tls?: boolean;
  slack_api_url?: Secret;
  slack_app_token?: Secret;
  slack_app_url?: string;
  pagerduty_url?: string;
  opsgenie_api_url?: string;
  opsgenie_api_key?: Secret;
  victorops_api_url?: string;
  victorops_api_key?: Secret;
  wechat_api_url?: string;
  wechat_api_secret?: Secret;
  wechat_api_corp_id?: string;
  telegram_api_url?: string;
  telegram_bot_token?: Secret;
  webex_api_url?: string;
  rocketchat_api_url?: string;
  rocketchat_token?: Secret;
  rocketchat_token_id?: Secret;
  jira_api_url?: string;
  mattermost_webhook_url?: Secret;
}

/**
 * A route as written, with only the root's defaults filled in (group_wait 30s, group_interval 5m,
 * repeat_interval 4h, group_by []). Inheritance is applied by src/routing, as upstream's dispatch.NewRoute does.
 */
export interface RouteConfig {
  receiver?: string;
  /** undefined = inherit; ['...'] = group by all labels */
  group_by?: string[];
  continue: boolean;
  /** match + match_re + matchers, merged and sorted as upstream (name, value, type order = != =~ !~) */
  matchers: Matcher[];
  group_wait?: number;
  group_interval?: number;
  repeat_interval?: number;
  mute_time_intervals: string[];
  active_time_intervals: string[];
  /** master 0.34 route labels: label name -> template text */
  labels?: Record<string, string>;
  routes: RouteConfig[];
}

export interface InhibitRuleConfig {
  name?: string;
  source_matchers: Matcher[];
  target_matchers: Matcher[];
  equal: string[];
}

export interface TimeIntervalConfig {
  name: string;
  time_intervals: TimeIntervalSpec[];
}

/** Every integration and one integration of a receiver, derived from the definitions (src/notifiers/index.ts). */
export type { IntegrationConfig, IntegrationSettings, IntegrationType } from '../notifiers/index';

export interface ReceiverConfig {
  name: string;
  labels?: Record<string, string>;
  integrations: IntegrationConfig[];
}

/** What a successful load returns. */
export interface LoadedConfig {
  config: Config;
  /** absolute path of the file loaded */
  file: string;
  /** raw file text */
  raw: string;
  /** re-serialised YAML with defaults filled in and secrets as <secret> (upstream /api/v2/status config.original) */
  original: string;
  /** sha256 hex of raw, for alertmanager_config_hash */
  hash: string;
  /** non-fatal findings (upstream logs them as warnings) */
  warnings: string[];
  /** the Tocsin-only settings of `--tocsin.config.file`, loaded and reloaded with this file (absent: none given) */
  tocsin?: LoadedTocsinConfig;
}

/** tocsin.yml, decoded (src/config/tocsin). */
export interface LoadedTocsinConfig {
  config: TocsinConfig;
  /** absolute path of the file loaded */
  file: string;
  /** sha256 hex of the file text */
  hash: string;
  /** re-serialised YAML with defaults filled in (the `tocsin.config.original` of GET /api/v2/status) */
  original: string;
}
