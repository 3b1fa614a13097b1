/**
 * @module notifiers/webex/notifier
 * Thin Webex sender (upstream notify/webex/webex.go): render -> buildWebexMessage -> one POST to api_url; the
 * bot token travels in http_config.authorization (required by config.ts). Only 5xx is retried.
 */
import type { IntegrationConfig } from '../../config/types';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { goEncode } from '../../types/go-json';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { WebexSettings } from './config';
import { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';

export type WebexDeps = TemplatedNotifierDeps;

export class WebexNotifier implements Notifier {
  readonly #s: WebexSettings;
  readonly #deps: WebexDeps;
  readonly #sender: HttpSender;

  constructor(cfg: IntegrationConfig, deps: WebexDeps) {
    this.#s = cfg.settings as unknown as WebexSettings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const built = templated('Webex message', () => buildWebexMessage(this.#s, render));
    if (built.truncated) this.#deps.logger.debug({ group_key: ctx.groupKey, integration: 'webex', max_bytes: MAX_MESSAGE_BYTES }, 'message truncated due to exceeding maximum allowed length by webex');
    const res = await this.#sender.send(this.#s.api_url, goEncode(built.message), {
      signal: ctx.signal,
      timeout: this.#deps.timeout ?? 0,
      timeoutLabel: 'webex',
      headers: { 'content-type': 'application/json' },
    });
    // an error body may echo the request: hide the URL and the bot token of http_config.authorization
    let body = redactUrl(res.body, this.#s.api_url);
    const token = this.#s.http_config?.authorization?.credentials?.reveal();
    if (token) body = body.split(token).join('<secret>');
    const err = classifyResponse(res.status, body);
    if (err) throw err;
  }
}
