/**
 * @module notifiers/wechat/notifier
 * WeChat Work sender (upstream notify/wechat/wechat.go). An access token is fetched with
 * `GET <api_url>gettoken?corpid=..&corpsecret=..` and kept by this notifier for 2 hours (per-instance state, timed
 * by the flush time); the message goes to `POST <api_url>message/send?access_token=..`. Upstream's rules:
 * a non-200 answer is retried; `errcode` 0 is success, 42001 (token expired) drops the token and is retried,
 * any other errcode fails for good. The corp secret and the access token are redacted from every error.
 */
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { HttpSender, reasonForStatus, redactUrl } from '../shared/http-sender';
import { goEncodeQuery } from '../../go/url';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { WechatSettings } from './config';
import { buildWechatMessage } from './payload';

export type WechatDeps = TemplatedNotifierDeps;

export const TOKEN_LIFETIME_MS = 2 * 3600_000;

export class WechatNotifier implements Notifier {
  readonly #s: WechatSettings;
  readonly #deps: WechatDeps;
  readonly #sender: HttpSender;
  #token = '';
  #tokenAt = 0;

  constructor(cfg: { settings: WechatSettings }, deps: WechatDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  #secret(): string {
    try {
      const v = this.#s.api_secret.reveal();
      return this.#s.api_secret.file !== undefined ? v.trim() : v;
    } catch (e) {
      throw new NotifyError(`read api_secret_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }

  #hide(m: string, url: string, secrets: readonly string[]): string {
    return secrets.filter((x) => x).reduce((acc, k) => acc.split(k).join('<secret>'), redactUrl(m, url));
  }

  async #fetchToken(ctx: NotifyContext, text: (s: string) => string): Promise<void> {
    const raw = this.#secret();
    const secret = templated('api_secret', () => text(raw), () => '<redacted>');
    const corpId = templated('corp_id', () => text(this.#s.corp_id));
    const url = `${this.#s.api_url}gettoken?${goEncodeQuery([
      ['corpsecret', secret],
      ['corpid', corpId],
    ])}`;
    const res = await this.#sender.send(url, undefined, { ctx, timeout: this.#deps.timeout ?? 0, timeoutLabel: 'wechat', method: 'GET' });
    let token = '';
    try {
      const data = JSON.parse(res.body) as { access_token?: unknown };
      if (typeof data?.access_token === 'string') token = data.access_token;
    } catch {
      const status = res.status >= 200 && res.status < 300 ? '' : ` (status code ${res.status})`;
      throw new NotifyError(`could not decode the WeChat token response${status}`, { retryable: false, reason: res.status >= 400 ? reasonForStatus(res.status) : 'other' });
    }
    if (!token) throw new NotifyError(`invalid APISecret for CorpID: ${corpId}`, { retryable: false, reason: 'other' });
    this.#token = token;
    this.#tokenAt = ctx.now;
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const body = templated('WeChat message', () => buildWechatMessage(this.#s, render));
    if (!this.#token || ctx.now - this.#tokenAt > TOKEN_LIFETIME_MS) await this.#fetchToken(ctx, (s) => render.text(s));
    const token = this.#token;
    const url = `${this.#s.api_url}message/send?${goEncodeQuery([['access_token', token]])}`;
    const secrets = [token, this.#s.api_secret.file === undefined ? this.#s.api_secret.reveal() : ''];
    const res = await this.#sender.send(url, body, {
      ctx,
      timeout: this.#deps.timeout ?? 0,
      timeoutLabel: 'wechat',
      headers: { 'content-type': 'application/json' },
    });
    if (res.status !== 200) {
      throw new NotifyError(`unexpected status code ${res.status}`, { retryable: true, reason: reasonForStatus(res.status), status: res.status });
    }
    let answer: { errcode?: unknown; errmsg?: unknown };
    try {
      answer = JSON.parse(res.body) as { errcode?: unknown; errmsg?: unknown };
    } catch {
      throw new NotifyError(`could not decode the WeChat response ${JSON.stringify(this.#hide(res.body, url, secrets))}`, { retryable: true, reason: 'other' });
    }
    const code = typeof answer?.errcode === 'number' ? answer.errcode : 0;
    if (code === 0) return;
    const msg = this.#hide(String(answer.errmsg ?? ''), url, secrets);
    if (code === 42001) {
      this.#token = '';
      throw new NotifyError(msg, { retryable: true, reason: 'other' });
    }
    throw new NotifyError(msg, { retryable: false, reason: 'other' });
  }
}
