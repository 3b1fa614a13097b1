/**
 * @module notifiers/mattermost/notifier
 * Thin Mattermost sender (upstream notify/mattermost/mattermost.go): render -> buildMattermostRequest -> one POST
 * to webhook_url (or webhook_url_file / global mattermost_webhook_url, read at send time). Only 5xx is retried;
 * errors are prefixed with the channel as upstream does.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { goEncode } from '../../go/json';
import { goQuote } from '../../types/labels';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { readWebhookUrl } from '../shared/webhook-url';
import type { MattermostSettings } from './config';
import { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';

export type MattermostDeps = TemplatedNotifierDeps;

export class MattermostNotifier extends HttpNotifier<MattermostSettings, MattermostDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const url = readWebhookUrl(this.settings.webhook_url, 'webhook_url');
    const render = this.deps.render(ctx, alerts);
    const built = templated('Mattermost message', () => buildMattermostRequest(this.settings, render));
    for (const w of built.warnings) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'mattermost', ...(w === 'Truncated text' ? { max_runes: MAX_TEXT_RUNES } : {}) }, w);
    const res = await this.sender.send(url, goEncode(built.request), {
      ctx,
      timeout: this.deps.timeout ?? 0,
      timeoutLabel: 'mattermost',
      headers: { 'content-type': 'application/json' },
    });
    const err = classifyResponse(res.status, redactUrl(res.body, url));
    if (err) {
      const channel = goQuote(typeof built.request.channel === 'string' ? built.request.channel : '');
      throw new NotifyError(`channel ${channel}: ${err.message}`, { retryable: err.retryable, reason: err.reason, status: res.status });
    }
  }
}
