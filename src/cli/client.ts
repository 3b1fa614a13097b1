import type { AckWire, PostableAck } from '../wire/ack';
import http, { STATUS_CODES } from 'node:http';
import type { HistoryEventWire } from './format/history';
import https from 'node:https';
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
    // never echo credentials given as user info
    throw new CliError(`invalid URL for --alertmanager.url: ${JSON.stringify(raw.replace(/\/\/[^/]*@/, '//<redacted>@'))}`);
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

/** Redirects followed before giving up, as Go's http.Client (amtool). */
const MAX_REDIRECTS = 10;

interface Answer {
  status: number;
  text: string;
  location?: string;
}

/**
 * Talks to Alertmanager's (or Tocsin's) HTTP API v2. One instance per command. Node's own http client:
 * loading undici (and compiling its WASM parser) cost tocsinctl about 0.1 s per run, and no WHATWG "bad port"
 * rule applies (fetch refuses 6000, 6665, 10080, ...).
 */
export class ApiClient {
  private readonly base: string;
  private readonly authorization?: string;
  /** keep-alive agents (the version check and the command share a connection), made on first use */
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly opts: ClientOptions) {
    const { base, authorization } = apiBase(opts.url);
    if (authorization !== undefined && opts.http !== undefined) {
      throw new CliError('basic authentication and http.config.file are mutually exclusive');
    }
    this.base = base;
    this.authorization = authorization ?? opts.http?.authorization;
  }

  /** base URL of the API (no credentials) */
  get baseUrl(): string {
    return this.base;
  }

  async close(): Promise<void> {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agent(protocol: string): http.Agent {
    let a = this.agents.get(protocol);
    if (!a) {
      const t = this.opts.http?.tls;
      a =
        protocol === 'https:'
          ? new https.Agent({ keepAlive: true, ca: t?.ca, cert: t?.cert, key: t?.key, servername: t?.servername, rejectUnauthorized: t?.rejectUnauthorized ?? true })
          : new http.Agent({ keepAlive: true });
      this.agents.set(protocol, a);
    }
    return a;
  }

  /** One HTTP exchange, no redirects. */
  private send(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent(url.protocol), signal: this.opts.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Sends and follows redirects as Go's http.Client does (amtool): 301/302/303 continue as GET without a
   * body, 307/308 repeat the request; credentials are not sent to another host; at most 10 redirects.
   */
  private async exchange(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
    let u = new URL(url);
    let m = method;
    let b = body;
    const h = { ...headers };
    for (let redirects = 0; ; redirects++) {
      const answer = await this.send(u, m, h, b);
      const follow = this.opts.http?.followRedirects !== false;
      if (!follow || answer.location === undefined || ![301, 302, 303, 307, 308].includes(answer.status)) return answer;
      if (redirects === MAX_REDIRECTS) throw Object.assign(new Error(`stopped after ${MAX_REDIRECTS} redirects`), { code: 'ERR_TOO_MANY_REDIRECTS' });
      const next = new URL(answer.location, u);
      if (next.host !== u.host) delete h.authorization;
      if (answer.status <= 303 && m !== 'GET' && m !== 'HEAD') {
        m = 'GET';
        b = undefined;
        delete h['content-type'];
      }
      u = next;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const url = this.base + path;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.opts.userAgent };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    const shown = `${method} ${url}`;
    try {
      ({ status, text } = await this.exchange(method, url, headers, body === undefined ? undefined : JSON.stringify(body)));
    } catch (err) {
      if (this.opts.signal.aborted) {
        throw new CliError(`${shown}: no answer within the --timeout of ${this.opts.timeoutText}`);
      }
      const e = err as { code?: string; message?: string };
      const detail = e.code === 'ERR_TOO_MANY_REDIRECTS' ? e.message : (e.code ?? e.message);
      throw new CliError(`cannot reach Alertmanager: ${shown}: ${detail}`);
    }
    this.opts.log?.(`${shown} -> ${status}`);
    if (status < 200 || status > 299) {
      const msg = errorText(text);
      throw new ApiStatusError(
        `${shown}: ${status} ${STATUS_CODES[status] ?? ''}${msg === '' ? '' : `: ${msg}`}`,
        status,
        text,
      );
    }
    return { status, text };
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

  /** GET /api/v2/tocsin/history (Tocsin only) with the given query */
  getHistory(query: URLSearchParams): Promise<{ events: HistoryEventWire[]; next: string | null }> {
    return this.json('GET', `/tocsin/history?${query.toString()}`);
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

  /** Tocsin only: POST /api/v2/tocsin/acks; resolves with the ack's ID */
  async postAck(a: PostableAck): Promise<string> {
    return (await this.json<{ ackID: string }>('POST', '/tocsin/acks', a)).ackID;
  }

  /** Tocsin only: GET /api/v2/tocsin/acks */
  getAcks(query: URLSearchParams): Promise<AckWire[]> {
    const qs = query.toString();
    return this.json('GET', `/tocsin/acks${qs === '' ? '' : `?${qs}`}`);
  }

  async deleteAck(id: string): Promise<void> {
    await this.request('DELETE', `/tocsin/acks/${encodeURIComponent(id)}`);
  }
}
