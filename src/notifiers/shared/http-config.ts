/**
 * @module notifiers/shared/http-config
 * The shared `<http_config>` and `<tls_config>` schemas (Prometheus common HTTP client config, §1.4).
 * Defaults: follow_redirects true, enable_http2 true. basic_auth, authorization and oauth2 are mutually exclusive.
 * The legacy `bearer_token`/`bearer_token_file` become an `authorization` of type Bearer.
 */
import type { HTTPClientConfig, TLSConfig } from '../../schema/http-client-config';
import { f, type Field, type ObjectSchema, secretPair } from '../../schema/schema';

/** prometheus/common TLSVersion: TLS10..TLS13, `unknown TLS version: X` otherwise. */
const tlsVersion = () => f.string({ oneOf: ['TLS10', 'TLS11', 'TLS12', 'TLS13'], oneOfError: (v: string) => `unknown TLS version: ${v}` });

export const tlsConfigSchema: ObjectSchema = {
  name: 'tls_config',
  fields: {
    ca: f.string(),
    ca_file: f.file(),
    cert: f.string(),
    cert_file: f.file(),
    ...secretPair('key'),
    server_name: f.string(),
    insecure_skip_verify: f.bool({ default: false, omitFalse: true }),
    min_version: tlsVersion(),
    max_version: tlsVersion(),
  },
  exclusive: [
    ['ca', 'ca_file', 'at most one of ca and ca_file must be configured'],
    ['cert', 'cert_file', 'at most one of cert and cert_file must be configured'],
  ],
  check(o, at) {
    const hasCert = o.cert !== undefined || o.cert_file !== undefined;
    const hasKey = o.key !== undefined;
    if (hasCert && !hasKey) at.fail('exactly one of key or key_file must be configured when a client certificate is configured');
    if (hasKey && !hasCert) at.fail('exactly one of cert or cert_file must be configured when a client key is configured');
  },
};

const basicAuthSchema: ObjectSchema = {
  name: 'basic_auth',
  fields: { username: f.string(), username_file: f.file(), ...secretPair('password') },
  exclusive: [['username', 'username_file', 'at most one of basic_auth username & username_file must be configured']],
};

const authorizationSchema: ObjectSchema = {
  name: 'authorization',
  fields: { type: f.string({ default: 'Bearer' }), ...secretPair('credentials') },
  check(o, at) {
    if (typeof o.type === 'string' && o.type.toLowerCase() === 'basic') {
      at.failField('type', 'authorization type cannot be set to "basic", use "basic_auth" instead');
    }
  },
};

const proxyFields = {
  // prometheus/common accepts any url.Parse-able proxy URL (e.g. socks5://), not only http(s)
  proxy_url: f.string(),
  no_proxy: f.string(),
  proxy_from_environment: f.bool({ default: false, omitFalse: true }),
  proxy_connect_header: f.mapOf(f.secretList()),
};

const oauth2Schema: ObjectSchema = {
  name: 'oauth2',
  fields: {
    client_id: f.string(),
    ...secretPair('client_secret'),
    scopes: f.stringList(),
    token_url: f.url({ required: 'token_url is required for oauth2' }),
    endpoint_params: f.stringMap(),
    tls_config: f.object(tlsConfigSchema),
    ...proxyFields,
  },
};

const headerSchema: ObjectSchema = {
  name: 'header',
  fields: { values: f.stringList(), secrets: f.secretList(), files: f.fileList() },
};

export const httpConfigSchema: ObjectSchema = {
  name: 'http_config',
  fields: {
    basic_auth: f.object(basicAuthSchema),
    authorization: f.object(authorizationSchema),
    oauth2: f.object(oauth2Schema),
    ...secretPair('bearer_token'),
    tls_config: f.object(tlsConfigSchema, { default: true }),
    follow_redirects: f.bool({ default: true }),
    enable_http2: f.bool({ default: true }),
    ...proxyFields,
    http_headers: f.mapOf(f.object(headerSchema)),
  },
  check(o, at) {
    const n = ['basic_auth', 'authorization', 'oauth2'].filter((k) => o[k] !== undefined).length;
    if (o.bearer_token !== undefined && (o.basic_auth !== undefined || o.oauth2 !== undefined)) {
      at.fail('at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
    } else if (n > 1) {
      at.fail('at most one of basic_auth, oauth2 & authorization must be configured');
    } else if (o.bearer_token !== undefined && o.authorization !== undefined) {
      at.fail('authorization is not compatible with bearer_token & bearer_token_file');
    }
    if (o.proxy_from_environment === true && (o.proxy_url !== undefined || o.no_proxy !== undefined)) {
      at.fail('if proxy_from_environment is configured, proxy_url and no_proxy must not be configured');
    }
    if (o.no_proxy !== undefined && o.proxy_url === undefined) at.fail('if no_proxy is configured, proxy_url must also be configured');
    // legacy bearer token → authorization Bearer (what the HTTP client uses)
    if (o.bearer_token !== undefined && o.authorization === undefined) {
      o.authorization = { type: 'Bearer', credentials: o.bearer_token };
      delete o.bearer_token;
      delete o.bearer_token_file;
    }
  },
};

/** The default `http_config` (commoncfg.DefaultHTTPClientConfig). */
export function defaultHttpConfig(): Record<string, unknown> {
  return { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false };
}

/**
 * The `http_config` field every HTTP integration declares (filled from global.http_config when absent). Its type is
 * the hand-kept wire shape in src/schema/http-client-config.ts (what the HTTP sender reads).
 */
export const httpConfigField = (): Field<HTTPClientConfig> => f.object(httpConfigSchema) as Field<never>;

/** A `tls_config` field (email's own, global.smtp_tls_config). */
export const tlsConfigField = (): Field<TLSConfig> => f.object(tlsConfigSchema) as Field<never>;
