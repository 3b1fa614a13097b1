/**
 * @module notifiers/shared/http-sender
 * The ONE HTTP client every notifier uses (undici): applies <http_config> (basic_auth, authorization,
 * http_headers, tls_config, proxy_url, no_proxy, proxy_from_environment, follow_redirects, enable_http2; oauth2 with
 * its own tls_config and proxy settings for the token request), sets `User-Agent: Alertmanager/<version>`,
 * honours the pipeline's AbortSignal and a per-request timeout, and classifies responses into NotifyError
 * with upstream's Retrier rules (notify/util.go). URLs are redacted from every error: no secret leaks.
 */
import { noteHttpExchange } from '../../history/attempt-capture';
import { renderedPayload } from '../../pipeline/payload-capture';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NotifyContext } from '../../pipeline/types';
import type { HTTPClientConfig, TLSConfig } from '../../schema/http-client-config';
import { type FailureReason, NotifyError } from '../../types/errors';
import { tocsinPackageVersion } from '../../types/package-version';
import { bypassProxy } from './no-proxy';
import { OAuth2TokenSource } from './oauth2';
import { type ExchangeResult, type PoolSettings, sendThread } from './send-thread';
import type { Secret } from '../../types/secret';

export interface HttpSenderOptions {
  httpConfig?: HTTPClientConfig | undefined;
  /** full User-Agent value, e.g. Alertmanager/0.1.0 */
  userAgent: string;
  /** extra retryable status codes besides 5xx (e.g. 429 for opsgenie) */
  retryCodes?: readonly number[];
}

/**
 * What a request needs of the notification's context: its abort signal, and the captures to note the exchange in
 * (the attempt's for history, the outbox's payloads; absent when nothing captures). A sender outside a
 * notification (e.g. the event recorder) passes `{ signal }`.
 */
export type SendContext = Pick<NotifyContext, 'signal' | 'attempt' | 'payloads'>;

export interface SendOptions {
  ctx: SendContext;
  /** per-request timeout in ms (0 = none) */
  timeout?: number;
  /** text used in the timeout error, e.g. "webhook" -> "configured webhook timeout reached (500ms)" */
  timeoutLabel?: string;
  headers?: Record<string, string>;
  method?: 'POST' | 'PUT' | 'GET';
}

export interface HttpResponse {
  status: number;
  body: string;
  /** response headers, lower-case names (added for Slack's Content-Type check) */
  headers?: Record<string, string | string[] | undefined>;
}

const MAX_ERROR_BODY = 1024;

/**
 * Starts the send thread now (idempotent), so that the next notification does not wait for it to load undici:
 * the dispatch calls it when a group is created (app/create-dispatch.ts), its group_wait ahead.
 */
export function preloadHttpClient(): void {
  sendThread().warm(MAX_CONNECTIONS_PER_ORIGIN);
}
/** Connections one sender keeps to one origin at most (measured: 64 gives the lowest latency for 1000 simultaneous flushes). */
export const MAX_CONNECTIONS_PER_ORIGIN = 64;

/** Upstream notify.RedactURL: the URL never appears in an error. */
export function redactUrl(message: string, url: string): string {
  let out = message;
  if (url) out = out.split(url).join('<redacted>');
  // also any other absolute URL (e.g. after redirects) and userinfo
  return out.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"']+/gi, '<redacted>');
}

/** Failure reason for a non-2xx status (reference §2.2, master 0.34). */
export function reasonForStatus(status: number): FailureReason {
  if (status === 401 || status === 403) return 'authError';
  if (status === 429) return 'rateLimited';
  if (status >= 400 && status < 500) return 'clientError';
  if (status >= 500) return 'serverError';
  return 'other';
}

/**
 * Upstream Retrier.Check: 2xx succeeds (undefined); otherwise `unexpected status code <code>[: <body>]`,
 * retryable iff 5xx or listed in retryCodes.
 */
export function classifyResponse(status: number, body: string, retryCodes: readonly number[] = []): NotifyError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const text = body.trim();
  const msg = `unexpected status code ${status}${text ? `: ${text}` : ''}`;
  return new NotifyError(msg, { retryable: status >= 500 || retryCodes.includes(status), reason: reasonForStatus(status), status });
}

function tlsOptions(t: TLSConfig | undefined): Record<string, unknown> {
  if (!t) return {};
  const o: Record<string, unknown> = {};
  if (t.ca) o.ca = t.ca;
  if (t.ca_file) o.ca = readFileSync(t.ca_file, 'utf8');
  if (t.cert) o.cert = t.cert;
  if (t.cert_file) o.cert = readFileSync(t.cert_file, 'utf8');
  if (t.key) o.key = t.key.reveal();
  if (t.server_name) o.servername = t.server_name;
  if (t.insecure_skip_verify) o.rejectUnauthorized = false;
  const v = (s?: string) => (s ? `TLSv1.${s.slice(4)}`.replace('TLSv1.0', 'TLSv1') : undefined);
  if (t.min_version) o.minVersion = v(t.min_version);
  if (t.max_version) o.maxVersion = v(t.max_version);
  return o;
}

/** http_config.proxy_connect_header: headers of the CONNECT request to proxy_url (values revealed, joined) */
function proxyConnectHeaders(h: Record<string, Secret[]> | undefined): { headers?: Record<string, string> } {
  if (!h) return {};
  return { headers: Object.fromEntries(Object.entries(h).map(([k, vs]) => [k, vs.map((v) => v.reveal()).join(', ')])) };
}

function reveal(s: Secret | undefined): string {
  return s ? s.reveal() : '';
}

/** Where and how one pool connects: the integration's http_config, or its oauth2 block for the token request. */
interface ConnectionSettings {
  /** TLS options (tlsOptions()) */
  connect: Record<string, unknown>;
  proxy_url?: string | undefined;
  no_proxy?: string | undefined;
  proxy_from_environment?: boolean | undefined;
  proxy_connect_header?: Record<string, Secret[]> | undefined;
  follow_redirects: boolean;
  /** enable_http2: HTTP/2 over TLS (ALPN) on direct connections */
  http2: boolean;
}

/**
 * One ConnectionSettings' pools on the send thread (send-thread.ts): the (proxying) dispatcher and the no_proxy
 * direct one, made there at their first request.
 */
class Pools {
  #id: number | undefined;
  constructor(private readonly s: ConnectionSettings) {}

  /** the pool's id on the send thread, and whether `url` goes direct (no_proxy, see shared/no-proxy.ts) */
  for(url: string): { pool: number; direct: boolean } {
    const s = this.s;
    // proxy_from_environment (undici's EnvHttpProxyAgent: HTTP_PROXY, HTTPS_PROXY, NO_PROXY) plus x/net's rule that
    // localhost and loopback IPs are never proxied
    const direct = s.proxy_from_environment ? bypassProxy('', url) : !!s.proxy_url && !!s.no_proxy && bypassProxy(s.no_proxy, url);
    this.#id ??= sendThread().register(poolSettings(s));
    return { pool: this.#id, direct };
  }

  close(): Promise<void> {
    const id = this.#id;
    this.#id = undefined;
    return id === undefined ? Promise.resolve() : sendThread().closePool(id);
  }
}

/** What the send thread needs of ConnectionSettings (plain data; the environment's proxies read now, as undici did at its first request). */
function poolSettings(s: ConnectionSettings): PoolSettings {
  const env = process.env;
  return {
    connect: s.connect,
    proxy_url: s.proxy_url,
    proxyHeaders: proxyConnectHeaders(s.proxy_connect_header).headers,
    env: s.proxy_from_environment
      ? {
          httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
          httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
          noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
        }
      : undefined,
    follow_redirects: s.follow_redirects,
    http2: s.http2,
    maxConnections: MAX_CONNECTIONS_PER_ORIGIN,
  };
}

/** origin and path of an http(s) URL; undefined for any other (undici.request() gives its error) */
interface Target {
  origin: string;
  path: string;
}

/**
 * Parsed URLs by text: a notifier posts to the same few URLs again and again. One cache per sender (it goes with
 * the configuration that named the URLs), bounded: templated URLs vary.
 */
type Targets = Map<string, Target | undefined>;
const MAX_TARGETS = 1024;

function target(targets: Targets, url: string): Target | undefined {
  if (targets.has(url)) return targets.get(url);
  let t: Target | undefined;
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') t = { origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname };
  } catch {
    t = undefined;
  }
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, t);
  return t;
}

/** One request on the send thread: a parsed URL as origin and path, another as it is (for undici's exact error). */
function exchange(
  targets: Targets,
  on: { pool: number; direct: boolean },
  url: string,
  method: 'POST' | 'PUT' | 'GET',
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
): Promise<ExchangeResult> {
  const t = target(targets, url);
  return sendThread().exchange(t ? { ...on, origin: t.origin, path: t.path, method, headers, body } : { ...on, url, method, headers, body }, signal);
}

export class HttpSender {
  readonly #o: HttpSenderOptions;
  /** http_config.oauth2 (client credentials); undefined without it */
  readonly #oauth2: OAuth2TokenSource | undefined;
  readonly #pools: Pools;
  /** the token request's pools: oauth2's own tls_config and proxy settings (prometheus/common oauth2RoundTripper) */
  readonly #oauth2Pools: Pools | undefined;
  readonly #targets: Targets = new Map();
  /** headers() without the per-call extras, when they read no file */
  #constantHeaders: Record<string, string> | undefined;

  constructor(o: HttpSenderOptions) {
    this.#o = o;
    const hc = o.httpConfig;
    // TLS files are read at construction as before (a bad ca_file still fails the config load)
    this.#pools = new Pools({
      connect: tlsOptions(hc?.tls_config),
      proxy_url: hc?.proxy_url,
      no_proxy: hc?.no_proxy,
      proxy_from_environment: hc?.proxy_from_environment,
      proxy_connect_header: hc?.proxy_connect_header,
      follow_redirects: hc?.follow_redirects ?? true,
      http2: hc?.enable_http2 ?? true,
    });
    const oauth = hc?.oauth2;
    // upstream builds the token client's transport from oauth2.tls_config and oauth2's proxy settings only (Go's
    // default client: redirects followed; HTTP/2 as the transport's default)
    const tokenPools = oauth
      ? new Pools({
          connect: tlsOptions(oauth.tls_config),
          proxy_url: oauth.proxy_url,
          no_proxy: oauth.no_proxy,
          proxy_from_environment: oauth.proxy_from_environment,
          proxy_connect_header: oauth.proxy_connect_header,
          follow_redirects: true,
          http2: true,
        })
      : undefined;
    this.#oauth2Pools = tokenPools;
    this.#oauth2 =
      oauth && tokenPools
        ? new OAuth2TokenSource(oauth, async (url, body, headers, signal) => {
            const res = await exchange(this.#targets, tokenPools.for(url), url, 'POST', headers, body, signal);
            return { status: res.status, body: res.body };
          }, o.userAgent)
        : undefined;
  }

  headers(extra?: Record<string, string>): Record<string, string> {
    // without files to read per request the configured headers are the same every time: built once
    const base = this.#constantHeaders ?? this.#configuredHeaders();
    if (this.#constantHeaders === undefined && !this.#readsFiles()) this.#constantHeaders = base;
    return extra ? { ...base, ...extra } : { ...base };
  }

  /** http_headers.files and basic_auth.username_file are read on every request (as upstream) */
  #readsFiles(): boolean {
    const hc = this.#o.httpConfig;
    return !!hc?.basic_auth?.username_file || Object.values(hc?.http_headers ?? {}).some((v) => (v.files ?? []).length > 0);
  }

  #configuredHeaders(): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': this.#o.userAgent };
    const hc = this.#o.httpConfig;
    if (hc?.http_headers) {
      for (const [name, v] of Object.entries(hc.http_headers)) {
        const vals = [...(v.values ?? []), ...(v.secrets ?? []).map(reveal), ...(v.files ?? []).map((f) => readFileSync(f, 'utf8').trim())];
        if (vals.length > 0) h[name.toLowerCase()] = vals.join(', ');
      }
    }
    if (hc?.basic_auth) {
      const user = hc.basic_auth.username_file ? readFileSync(hc.basic_auth.username_file, 'utf8').trim() : (hc.basic_auth.username ?? '');
      h.authorization = `Basic ${Buffer.from(`${user}:${reveal(hc.basic_auth.password)}`).toString('base64')}`;
    } else if (hc?.authorization) {
      h.authorization = `${hc.authorization.type || 'Bearer'} ${reveal(hc.authorization.credentials)}`;
    }
    return h;
  }

  /** Sends the request; resolves with the response or throws a (retryable) NotifyError on transport failure. */
  async send(url: string, rendered: string | undefined, o: SendOptions): Promise<HttpResponse> {
    const { ctx } = o;
    // the outbox's capture notes the body (and a retry or replay sends the stored one: same bytes)
    const body = rendered !== undefined ? renderedPayload(ctx.payloads, rendered, () => requestTarget(o.method ?? 'POST', url)) : undefined;
    const timeout = o.timeout ?? 0;
    const timer = timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
    const signal = timer ? AbortSignal.any([ctx.signal, timer]) : ctx.signal;
    try {
      const method = o.method ?? 'POST';
      const headers = this.#oauth2 ? { ...this.headers(o.headers), authorization: await this.#oauth2.authorization(signal) } : this.headers(o.headers);
      const res = await exchange(this.#targets, this.#pools.for(url), url, method, headers, body, signal);
      noteHttpExchange(ctx.attempt, res.status, body);
      return { status: res.status, body: res.body.length > MAX_ERROR_BODY ? res.body.slice(0, MAX_ERROR_BODY) : res.body, headers: res.headers };
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
      if (timer?.aborted && !ctx.signal.aborted) {
        throw new NotifyError(`${o.method ?? 'POST'} "<redacted>": configured ${o.timeoutLabel ?? 'request'} timeout reached (${timeout}ms)`, {
          retryable: true,
          reason: 'contextDeadlineExceeded',
        });
      }
      if (ctx.signal.aborted) {
        const r = ctx.signal.reason as { name?: string } | undefined;
        const deadline = r?.name === 'TimeoutError';
        throw new NotifyError(`${o.method ?? 'POST'} "<redacted>": ${deadline ? 'context deadline exceeded' : 'context canceled'}`, {
          retryable: false,
          reason: deadline ? 'contextDeadlineExceeded' : 'contextCanceled',
        });
      }
      // the oauth2 token source's own failure (already free of secrets and URLs)
      if (e instanceof NotifyError) throw new NotifyError(`${o.method ?? 'POST'} "<redacted>": ${e.message}`, { retryable: e.retryable, reason: e.reason });
      const detail = err.cause?.message ?? err.message ?? String(e);
      const code = err.cause?.code ?? err.code;
      throw new NotifyError(redactUrl(`${o.method ?? 'POST'} "<redacted>": ${code ? `${code} ` : ''}${detail}`, url), { retryable: true, reason: 'other' });
    }
  }

  /** POST a body and apply Retrier rules: returns on 2xx, throws NotifyError otherwise. */
  async post(url: string, body: string, o: SendOptions): Promise<HttpResponse> {
    const res = await this.send(url, body, o);
    // a 2xx needs no error text (redactUrl scans the whole body)
    if (res.status >= 200 && res.status < 300) return res;
    const err = classifyResponse(res.status, redactUrl(res.body, url), this.#o.retryCodes);
    if (err) throw err;
    return res;
  }

  close(): Promise<void> {
    return Promise.all([this.#pools.close(), this.#oauth2Pools?.close()]).then(() => undefined);
  }
}

/** A request's target as the outbox keeps it: the method and a hash of the URL without its query (never the URL). */
function requestTarget(method: string, url: string): string {
  const cut = url.search(/[?#]/);
  return `${method} ${createHash('sha256').update(cut >= 0 ? url.slice(0, cut) : url).digest('hex').slice(0, 16)}`;
}

/** `Alertmanager/<version>` with Tocsin's version (from package.json). */
export function defaultUserAgent(): string {
  return `Alertmanager/${tocsinPackageVersion()}`;
}
