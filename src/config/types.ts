/**
 * The validated configuration: the contract between the config loader (src/config) and everything that
 * consumes it (routing, inhibit, pipeline, notifiers, api). Keys keep their YAML names (STYLE.md 5.1).
 * Durations are milliseconds. Matchers are parsed. Secrets are Secret objects. File paths are absolute
 * (resolved against the config file's directory).
 */
import type { Matcher } from '../matchers/types';
import type { TimeIntervalSpec } from '../timeinterval/types';
import type { Secret } from '../types/secret';

export interface Config {
  global: GlobalConfig;
  route: RouteConfig;
  inhibit_rules: InhibitRuleConfig[];
  receivers: ReceiverConfig[];
  /** absolute path globs, in file order */
  templates: string[];
  time_intervals: TimeIntervalConfig[];
  mute_time_intervals: TimeIntervalConfig[];
  /** master's `tracing` and `event_recorder` blocks as written (Tocsin acts on neither; the app warns) */
  tracing?: unknown;
  event_recorder?: unknown;
}

export interface TLSConfig {
  ca_file?: string;
  ca?: string;
  cert_file?: string;
  cert?: string;
  key_file?: string;
  key?: Secret;
  server_name?: string;
  insecure_skip_verify: boolean;
  min_version?: string;
  max_version?: string;
}

export interface HTTPClientConfig {
  basic_auth?: { username?: string; username_file?: string; password?: Secret };
  authorization?: { type: string; credentials?: Secret };
  /** legacy bearer_token / bearer_token_file, kept as an authorization of type Bearer */
  oauth2?: {
    /** absent when not written (as scopes and endpoint_params): the loader applies no default */
    client_id?: string;
    client_secret?: Secret;
    scopes?: string[];
    token_url: string;
    endpoint_params?: Record<string, string>;
    tls_config?: TLSConfig;
    proxy_url?: string;
    no_proxy?: string;
    proxy_from_environment?: boolean;
    proxy_connect_header?: Record<string, Secret[]>;
  };
  proxy_url?: string;
  no_proxy?: string;
  proxy_from_environment: boolean;
  proxy_connect_header?: Record<string, Secret[]>;
  tls_config: TLSConfig;
  follow_redirects: boolean;
  enable_http2: boolean;
  http_headers?: Record<string, { values?: string[]; secrets?: Secret[]; files?: string[] }>;
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

/** Every integration upstream has; the YAML key is `${IntegrationType}_configs`. */
export type IntegrationType =
  | 'discord'
  | 'email'
  | 'incidentio'
  | 'jira'
  | 'mattermost'
  | 'msteams'
  | 'msteamsv2'
  | 'opsgenie'
  | 'pagerduty'
  | 'pushover'
  | 'rocketchat'
  | 'slack'
  | 'sns'
  | 'telegram'
  | 'victorops'
  | 'webex'
  | 'webhook'
  | 'wechat';

export interface IntegrationConfig {
  type: IntegrationType;
  /** position within the receiver's `<type>_configs` list (upstream integration index) */
  index: number;
  send_resolved: boolean;
  /**
   * The integration's validated config, keyed by YAML names, with its defaults and the global fallbacks
   * applied (e.g. slack api_url from global.slack_api_url, http_config from global.http_config).
   * Each integration's own config.ts (src/notifiers/<type>/config.ts) defines its precise type.
   */
  settings: Record<string, unknown>;
}

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
}
