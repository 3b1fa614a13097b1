/**
 * @module schema/http-client-config
 * The decoded `<http_config>` and `<tls_config>` (Prometheus common HTTP client config, §1.4), as the HTTP sender
 * and the integrations read them. Their schemas are in src/notifiers/shared/http-config.ts.
 */
import type { Secret } from '../types/secret';

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
