/**
 * @module notifiers/shared/oauth2
 * `http_config.oauth2`: the OAuth 2.0 client-credentials grant as prometheus/common's oauth2RoundTripper does it
 * with golang.org/x/oauth2/clientcredentials (AuthStyleAutoDetect): POST token_url as a form
 * (grant_type=client_credentials, scope space-joined, endpoint_params), client id and secret first in a Basic
 * header (each query-escaped), then, if that fails, in the form. The token is cached until 10 s before it
 * expires (x/oauth2 expiryDelta); a token without expires_in is kept. Sent as `Authorization: <Type> <token>`
 * with x/oauth2's Token.Type() normalisation. The token request is sent with the oauth2 block's own tls_config and
 * proxy settings (proxy_url, no_proxy, proxy_from_environment, proxy_connect_header), not the integration's: see
 * HttpSender in http-sender.ts.
 */
import type { HTTPClientConfig } from '../../schema/http-client-config';
import { goEncodeQuery, goQueryEscape } from '../../go/url';
import { NotifyError } from '../../types/errors';

export type OAuth2Config = NonNullable<HTTPClientConfig['oauth2']>;

/** one form POST: resolves with status and body (transport errors reject) */
export type FormPost = (url: string, body: string, headers: Record<string, string>, signal: AbortSignal) => Promise<{ status: number; body: string }>;

const EXPIRY_DELTA_MS = 10_000;

interface Token {
  header: string;
  /** epoch ms after which it is refreshed; Infinity = never */
  refreshAt: number;
}

/** x/oauth2 Token.Type(): bearer/mac/basic case-normalised, another type as given, empty = Bearer */
function tokenType(t: string | undefined): string {
  const l = (t ?? '').toLowerCase();
  if (l === 'bearer' || l === '') return 'Bearer';
  if (l === 'mac') return 'MAC';
  if (l === 'basic') return 'Basic';
  return t as string;
}

export class OAuth2TokenSource {
  #token: Token | undefined;
  #pending: Promise<Token> | undefined;
  /** x/oauth2 remembers which auth style worked */
  #style: 'header' | 'params' | undefined;

  constructor(
    private readonly cfg: OAuth2Config,
    private readonly post: FormPost,
    private readonly userAgent: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** the Authorization header value, fetching a token when none is valid */
  async authorization(signal: AbortSignal): Promise<string> {
    if (this.#token && this.now() < this.#token.refreshAt) return this.#token.header;
    this.#pending ??= this.#fetch(signal).finally(() => {
      this.#pending = undefined;
    });
    this.#token = await this.#pending;
    return this.#token.header;
  }

  async #fetch(signal: AbortSignal): Promise<Token> {
    const styles: ('header' | 'params')[] = this.#style ? [this.#style] : ['header', 'params'];
    let last: NotifyError | undefined;
    for (const style of styles) {
      const params: [string, string][] = [['grant_type', 'client_credentials']];
      // scopes, endpoint_params and client_id are optional in the YAML (the loader leaves them out when absent)
      const scopes = this.cfg.scopes ?? [];
      const clientId = this.cfg.client_id ?? '';
      if (scopes.length > 0) params.push(['scope', scopes.join(' ')]);
      for (const [k, v] of Object.entries(this.cfg.endpoint_params ?? {})) params.push([k, v]);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.userAgent };
      const secret = this.cfg.client_secret?.reveal() ?? '';
      if (style === 'header') {
        headers.authorization = `Basic ${Buffer.from(`${goQueryEscape(clientId)}:${goQueryEscape(secret)}`).toString('base64')}`;
      } else {
        params.push(['client_id', clientId]);
        if (secret) params.push(['client_secret', secret]);
      }
      const res = await this.post(this.cfg.token_url, goEncodeQuery(params), headers, signal);
      let answer: { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | undefined;
      try {
        answer = JSON.parse(res.body) as typeof answer;
      } catch {
        answer = undefined;
      }
      if (res.status >= 200 && res.status < 300 && typeof answer?.access_token === 'string' && answer.access_token !== '') {
        this.#style = style;
        const expiresIn = Number(answer.expires_in ?? 0);
        return {
          header: `${tokenType(typeof answer.token_type === 'string' ? answer.token_type : undefined)} ${answer.access_token}`,
          refreshAt: expiresIn > 0 ? this.now() + expiresIn * 1000 - EXPIRY_DELTA_MS : Number.POSITIVE_INFINITY,
        };
      }
      // the body may echo credentials: only the status is reported
      const why = res.status >= 200 && res.status < 300 ? 'server response missing access_token' : `status ${res.status}`;
      last = new NotifyError(`oauth2: cannot fetch token: ${why}`, { retryable: true, reason: 'other' });
    }
    throw last as NotifyError;
  }
}
