import { Agent, type Dispatcher, fetch } from 'undici';
import { ApiStatusError, CliError } from './errors';
import type { HttpClientSettings } from './http-config';
import type {
  AlertmanagerStatus,
  GettableAlert,
  GettableSilence,
  PostableAlert,
  PostableSilence,
} from './models';

export interface ClientOptions {
  /** --alertmanager.url as given */
  url: string;
  http?: HttpClientSettings;
  /** aborts every request of the command (the --timeout deadline) */
  signal: AbortSignal;
  /** for the timeout message */
  timeoutText: string;
  userAgent: string;
  /** -v: one line per request */
  log?: (line: string) => void;
}

export interface AlertQuery {
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  unprocessed: boolean;
  receiver?: string;
  filter: string[];
}

/**
 * The base URL amtool derives from --alertmanager.url (upstream cli/root.go NewAlertmanagerClient):
 * empty host means localhost:9093, empty scheme means http, and the path is a prefix to /api/v2.
 * User info becomes basic auth.
 */
export function apiBase(raw: string): { base: string; authorization?: string } {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw.replace(/^\/\//, '')}`);
  } catch {
    throw new CliError(`invalid URL for --alertmanager.url: ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new CliError(`unsupported scheme in --alertmanager.url: ${u.protocol.replace(/:$/, '')}`);
  }
  const host = u.host === '' ? 'localhost:9093' : u.host;
  const path = u.pathname.replace(/\/+$/, '');
  let authorization: string | undefined;
  if (u.username !== '' || u.password !== '') {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  return { base: `${u.protocol}//${host}${path}/api/v2`, authorization };
}

/** Text of an API error body: go-swagger `{"code","message"}`, a JSON string, or plain text. */
function errorText(body: string): string {
  const trimmed = body.trim();
  try {
    const v = JSON.parse(trimmed) as unknown;
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') {
      return (v as { message: string }).message;
    }
  } catch {
    // not JSON
  }
  return trimmed;
}

/** Talks to Alertmanager's (or Tocsin's) HTTP API v2. One instance per command. */
export class ApiClient {
  private readonly base: string;
  private readonly authorization?: string;
  private readonly dispatcher?: Dispatcher;

  constructor(private readonly opts: ClientOptions) {
    const { base, authorization } = apiBase(opts.url);
    if (authorization !== undefined && opts.http !== undefined) {
      throw new CliError('basic authentication and http.config.file are mutually exclusive');
    }
    this.base = base;
    this.authorization = authorization ?? opts.http?.authorization;
    if (opts.http?.tls) {
      const t = opts.http.tls;
      this.dispatcher = new Agent({
        connect: { ca: t.ca, cert: t.cert, key: t.key, servername: t.servername, rejectUnauthorized: t.rejectUnauthorized },
      });
    }
  }

  /** base URL of the API (no credentials) */
  get baseUrl(): string {
    return this.base;
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }

  private async request(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const url = this.base + path;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.opts.userAgent };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Awaited<ReturnType<typeof fetch>>;
    const shown = `${method} ${url}`;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.opts.signal,
        redirect: this.opts.http?.followRedirects === false ? 'manual' : 'follow',
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      if (this.opts.signal.aborted) {
        throw new CliError(`${shown}: no answer within the --timeout of ${this.opts.timeoutText}`);
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new CliError(`cannot reach Alertmanager: ${shown}: ${detail}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (this.opts.signal.aborted) {
        throw new CliError(`${shown}: no answer within the --timeout of ${this.opts.timeoutText}`);
      }
      throw new CliError(`${shown}: reading the response failed: ${(err as Error).message}`);
    }
    this.opts.log?.(`${shown} -> ${res.status}`);
    if (res.status < 200 || res.status > 299) {
      const msg = errorText(text);
      throw new ApiStatusError(
        `${shown}: ${res.status} ${res.statusText}${msg === '' ? '' : `: ${msg}`}`,
        res.status,
        text,
      );
    }
    return { status: res.status, text };
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { text } = await this.request(method, path, body);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`${method} ${this.base}${path}: the answer is not JSON`);
    }
  }

  getStatus(): Promise<AlertmanagerStatus> {
    return this.json('GET', '/status');
  }

  getAlerts(q: AlertQuery): Promise<GettableAlert[]> {
    const p = new URLSearchParams();
    p.set('active', String(q.active));
    p.set('silenced', String(q.silenced));
    p.set('inhibited', String(q.inhibited));
    p.set('unprocessed', String(q.unprocessed));
    if (q.receiver) p.set('receiver', q.receiver);
    for (const f of q.filter) p.append('filter', f);
    return this.json('GET', `/alerts?${p.toString()}`);
  }

  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    await this.request('POST', '/alerts', alerts);
  }

  getSilences(filter: string[]): Promise<GettableSilence[]> {
    const p = new URLSearchParams();
    for (const f of filter) p.append('filter', f);
    const qs = p.toString();
    return this.json('GET', `/silences${qs === '' ? '' : `?${qs}`}`);
  }

  getSilence(id: string): Promise<GettableSilence> {
    return this.json('GET', `/silence/${encodeURIComponent(id)}`);
  }

  async postSilence(s: PostableSilence): Promise<string> {
    const r = await this.json<{ silenceID: string }>('POST', '/silences', s);
    return r.silenceID;
  }

  async deleteSilence(id: string): Promise<void> {
    await this.request('DELETE', `/silence/${encodeURIComponent(id)}`);
  }
}
