/**
 * @module notifiers/webex/notifier
 * Thin Webex sender (upstream notify/webex/webex.go): render -> buildWebexMessage -> one POST to api_url; the
 * bot token travels in http_config.authorization (required by config.ts). Only 5xx is retried.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { goEncode } from '../../go/json';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { WebexSettings } from './config';
import { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';

export type WebexDeps = TemplatedNotifierDeps;

export class WebexNotifier extends HttpNotifier<WebexSettings, WebexDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const built = templated('Webex message', () => buildWebexMessage(this.settings, render));
    if (built.truncated) this.deps.logger.debug({ group_key: ctx.groupKey, integration: 'webex', max_bytes: MAX_MESSAGE_BYTES }, 'message truncated due to exceeding maximum allowed length by webex');
    const res = await this.sender.send(this.settings.api_url, goEncode(built.message), {
      ctx,
      timeout: this.deps.timeout ?? 0,
      timeoutLabel: 'webex',
      headers: { 'content-type': 'application/json' },
    });
    // an error body may echo the request: hide the URL and the bot token of http_config.authorization
    let body = redactUrl(res.body, this.settings.api_url);
    const token = this.settings.http_config?.authorization?.credentials?.reveal();
    if (token) body = body.split(token).join('<secret>');
    const err = classifyResponse(res.status, body);
    if (err) throw err;
  }
}
