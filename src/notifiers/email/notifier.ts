/**
 * @module notifiers/email/notifier
 * Sends one email per notification over SMTP with nodemailer's SMTPConnection, following upstream's dialogue
 * (notify/email/email.go): implicit TLS when force_implicit_tls or port 465; otherwise plain TCP and, with
 * require_tls (default), STARTTLS, which the server must advertise; no STARTTLS at all when require_tls is
 * false. With auth_username set and AUTH advertised, the server's mechanisms are walked in its order and the
 * first usable of CRAM-MD5 (needs auth_secret), PLAIN (needs auth_password; authzid = auth_identity) and LOGIN
 * is used. The message itself is built by payload.ts. Connection, TLS, AUTH and SMTP command failures are
 * retryable; template and address errors are not.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { type AttemptCapture, noteSmtpReply } from '../../history/attempt-capture';
import type { TLSConfig } from '../../schema/http-client-config';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import type { Secret } from '../../types/secret';
import { type RendererFactory, templated } from '../shared/render';
import { buildEmailMessage, parseAddressList } from './payload';
import { renderedPayload } from '../../pipeline/payload-capture';

export interface EmailDeps {
  logger: Logger;
  render: RendererFactory;
  /** host name in Message-Id (default os.hostname()) */
  hostname?: string;
  /** SMTP socket timeouts in ms (default 30 s; tests use less) */
  socketTimeout?: number;
}

export interface EmailSettings {
  to: string;
  from?: string;
  hello?: string;
  smarthost: string;
  auth_username?: string;
  auth_password?: Secret;
  auth_secret?: Secret;
  auth_identity?: string;
  headers?: Record<string, string>;
  html?: string;
  text?: string;
  require_tls?: boolean;
  tls_config?: TLSConfig;
  force_implicit_tls?: boolean;
  threading?: { enabled?: boolean; thread_by_date?: string };
}

type Mech = { method: 'CRAM-MD5' | 'PLAIN' | 'LOGIN'; user: string; pass: string };

/**
 * Notes an SMTP reply for the attempt's history event: nodemailer gives the reply line as `response` ("250 2.0.0
 * Ok: queued as X", "550 5.1.1 unknown user") and, on errors, its code as `responseCode`.
 */
function noteReply(capture: AttemptCapture | undefined, r: unknown): void {
  if (!capture) return;
  const o = (typeof r === 'object' && r !== null ? r : {}) as { response?: unknown; responseCode?: unknown };
  if (typeof o.response !== 'string') return;
  const m = /^(\d{3})[ -]?(.*)$/s.exec(o.response.trim());
  const code = typeof o.responseCode === 'number' ? o.responseCode : m ? Number(m[1]) : undefined;
  if (code !== undefined) noteSmtpReply(capture, code, (m ? m[2]! : o.response).trim());
}

/** An SMTP step failed: retryable, message names the step as upstream does. */
function smtpError(step: string, e: unknown, secrets: readonly string[]): NotifyError {
  let msg = e instanceof Error ? e.message : String(e);
  for (const s of secrets) if (s) msg = msg.split(s).join('<secret>');
  return new NotifyError(`${step}: ${msg}`, { retryable: true, reason: 'other' });
}

function splitHostPort(hp: string): { host: string; port: string } {
  const i = hp.lastIndexOf(':');
  const host = hp.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: hp.slice(i + 1) };
}

function tlsOptions(t: TLSConfig | undefined, host: string): Record<string, unknown> {
  const o: Record<string, unknown> = { servername: t?.server_name || host };
  if (t?.ca) o.ca = t.ca;
  if (t?.ca_file) o.ca = readFileSync(t.ca_file, 'utf8');
  if (t?.cert) o.cert = t.cert;
  if (t?.cert_file) o.cert = readFileSync(t.cert_file, 'utf8');
  if (t?.key) o.key = t.key.reveal();
  if (t?.key_file) o.key = readFileSync(t.key_file, 'utf8');
  if (t?.insecure_skip_verify) o.rejectUnauthorized = false;
  return o;
}

export class EmailNotifier implements Notifier {
  readonly #s: EmailSettings;
  readonly #deps: EmailDeps;

  constructor(cfg: { settings: EmailSettings }, deps: EmailDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
  }

  #secret(s: Secret | undefined, what: string): string {
    try {
      return s ? s.reveal().trim() : '';
    } catch (e) {
      throw new NotifyError(`could not read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: true, reason: 'other' });
    }
  }

  /** Upstream Email.auth: walk the server's mechanisms in order; first usable wins. */
  #pickAuth(serverMechs: readonly string[]): Mech | undefined {
    const user = this.#s.auth_username ?? '';
    if (!user) {
      this.#deps.logger.debug({ integration: 'email' }, 'smtp_auth_username is not configured. Attempting to send email without authenticating');
      return undefined;
    }
    const errs: string[] = [];
    for (const mech of serverMechs) {
      if (mech === 'CRAM-MD5') {
        const secret = this.#secret(this.#s.auth_secret, 'auth_secret_file');
        if (secret) return { method: 'CRAM-MD5', user, pass: secret };
        errs.push('missing secret for CRAM-MD5 auth mechanism');
      } else if (mech === 'PLAIN' || mech === 'LOGIN') {
        const password = this.#secret(this.#s.auth_password, 'auth_password_file');
        if (password) return { method: mech, user, pass: password };
        errs.push(`missing password for ${mech} auth mechanism`);
      } else errs.push(`unknown auth mechanism: ${mech}`);
    }
    throw new NotifyError(`find auth mechanism: ${errs.join('\n')}`, { retryable: true, reason: 'other' });
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const s = this.#s;
    // render and validate everything first: these failures are not retryable and need no connection
    const render = this.#deps.render(ctx, alerts);
    const from = templated("'from'", () => render.text(s.from ?? ''));
    const to = templated("'to'", () => render.text(s.to));
    let fromAddrs: { address: string }[];
    let toAddrs: { address: string }[];
    try {
      fromAddrs = parseAddressList(from);
    } catch (e) {
      throw new NotifyError(`parse 'from' addresses: ${(e as Error).message}`, { retryable: false, reason: 'other' });
    }
    if (fromAddrs.length !== 1) throw new NotifyError(`must be exactly one 'from' address (got: ${fromAddrs.length})`, { retryable: false, reason: 'other' });
    try {
      toAddrs = parseAddressList(to);
    } catch (e) {
      throw new NotifyError(`parse 'to' addresses: ${(e as Error).message}`, { retryable: false, reason: 'other' });
    }
    const headerTemplates: Record<string, string> = { Subject: '{{ template "email.default.subject" . }}', To: s.to, From: s.from ?? '', ...(s.headers ?? {}) };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(headerTemplates)) headers[k] = templated(`"${k}" header`, () => render.text(v));
    const text = s.text ? templated('text', () => render.text(s.text!)) : '';
    const html = s.html ? templated('html', () => render.html(s.html!)) : '';
    const raw = buildEmailMessage({
      headers,
      text,
      html,
      now: ctx.now,
      boundary: randomBytes(30).toString('hex'),
      messageId: `<${BigInt(ctx.now) * 1_000_000n}.${randomBytes(8).readBigUInt64BE()}@${this.#deps.hostname ?? hostname()}>`,
      ...(s.threading?.enabled ? { threading: { groupKey: ctx.groupKey, byDate: s.threading.thread_by_date !== 'none' } } : {}),
    });
    // the outbox's capture notes the message (and a retry or replay sends the stored one)
    await this.#deliver(ctx, fromAddrs[0]!.address, toAddrs.map((a) => a.address), renderedPayload(ctx.payloads, raw, () => 'smtp'));
  }

  async #deliver(ctx: NotifyContext, from: string, to: string[], raw: string): Promise<void> {
    const s = this.#s;
    if (ctx.signal.aborted) throw new NotifyError('context canceled', { retryable: false, reason: 'contextCanceled' });
    const { host, port } = splitHostPort(s.smarthost);
    const implicit = s.force_implicit_tls ?? port === '465';
    const requireTls = s.require_tls ?? true;
    const timeout = this.#deps.socketTimeout ?? 30_000;
    const secrets = [this.#safeSecret(s.auth_password), this.#safeSecret(s.auth_secret)];
    const conn = new SMTPConnection({
      host,
      port: Number(port),
      secure: implicit,
      // upstream only upgrades when require_tls is set (and then insists on STARTTLS, checked below)
      ignoreTLS: !requireTls,
      name: s.hello || 'localhost',
      tls: tlsOptions(s.tls_config, host) as never,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
      customAuth: {
        // PLAIN with an authorization identity (Go smtp.PlainAuth(identity, user, pass, host))
        PLAIN: async (c) => {
          const token = Buffer.from(`${s.auth_identity ?? ''}\0${c.auth.credentials.user}\0${c.auth.credentials.pass}`).toString('base64');
          const r = await c.sendCommand(`AUTH PLAIN ${token}`);
          if (r.status !== 235) throw new Error(r.text || r.response);
          return true;
        },
      },
    });
    let settled = false;
    const onAbort = () => conn.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    // nodemailer reports most failures as 'error' events and a dropped connection as 'end': route both to the
    // step in progress
    let current: ((e: unknown) => void) | undefined;
    conn.on('error', (e) => current?.(e));
    conn.on('end', () => current?.(new Error('connection closed')));
    const step = <T>(name: string, f: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        let done = false;
        const fail = (e: unknown) => {
          if (done) return;
          done = true;
          current = undefined;
          noteReply(ctx.attempt, e);
          reject(smtpError(name, e, secrets));
        };
        current = fail;
        f((err, v) => {
          if (err) return fail(err);
          if (done) return;
          done = true;
          current = undefined;
          resolve(v as T);
        });
      });
    try {
      await step(implicit ? 'establish TLS connection to server' : 'establish connection to server', (cb) => conn.connect((e) => cb(e)));
      if (requireTls && !implicit && !conn.secure) {
        throw new NotifyError(`'require_tls' is true (default) but "${s.smarthost}" does not advertise the STARTTLS extension`, { retryable: true, reason: 'other' });
      }
      const internal = conn as unknown as { _ehloLines?: string[]; _supportedAuth?: string[] };
      const authLine = (internal._ehloLines ?? []).find((l) => /^AUTH[\s=]/i.test(l));
      if (authLine !== undefined || (internal._supportedAuth ?? []).length > 0) {
        const mechs = authLine !== undefined ? authLine.slice(5).trim().split(/[\s=]+/).map((m) => m.toUpperCase()) : (internal._supportedAuth ?? []);
        const auth = this.#pickAuth(mechs);
        if (auth) await step(`${auth.method} auth`, (cb) => conn.login({ user: auth.user, pass: auth.pass, method: auth.method } as never, (e) => cb(e)));
      }
      const info = await step<unknown>('send message', (cb) => conn.send({ from, to }, raw, (e, i) => cb(e, i)));
      noteReply(ctx.attempt, info);
      settled = true;
    } catch (e) {
      if (ctx.signal.aborted) {
        const r = ctx.signal.reason as { name?: string } | undefined;
        const deadline = r?.name === 'TimeoutError';
        throw new NotifyError(deadline ? 'context deadline exceeded' : 'context canceled', { retryable: false, reason: deadline ? 'contextDeadlineExceeded' : 'contextCanceled', cause: e });
      }
      throw e instanceof NotifyError ? e : smtpError('smtp', e, secrets);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      if (settled) conn.quit();
      else conn.close();
    }
  }

  #safeSecret(s: Secret | undefined): string {
    try {
      return s ? s.reveal().trim() : '';
    } catch {
      return '';
    }
  }
}
