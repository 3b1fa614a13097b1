/**
 * @module notifiers/slack/notifier
 * Thin Slack sender (upstream notify/slack/slack.go): render -> buildSlackPayload -> one POST through the shared
 * sender -> Retrier rules, then Slack's body check (`ok` text or JSON `{"ok":true}`). Incoming webhooks post to
 * api_url (or the URL in api_url_file, read at send time); with an app token the message goes to app_url
 * (chat.postMessage) with `Authorization: Bearer <app_token>`. No retry loop here: the RetryStage owns backoff.
 */
import type { HTTPClientConfig } from '../../schema/http-client-config';
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { goEncode } from '../../go/json';
import { goQuote } from '../../types/labels';
import type { Logger } from '../../types/logger';
import type { Secret } from '../../types/secret';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type RendererFactory, templated } from '../shared/render';
import { buildSlackPayload, MAX_TITLE_RUNES, type SlackPayloadSettings } from './payload';

export interface SlackDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
  /** chat.update endpoint (tests only; upstream hard-codes it) */
  chatUpdateUrl?: string;
}

export const CHAT_UPDATE_URL = 'https://slack.com/api/chat.update';

type SlackSettings = SlackPayloadSettings & {
  api_url?: Secret;
  api_url_file?: string;
  app_token?: Secret;
  app_url?: string;
  http_config?: HTTPClientConfig;
  timeout?: number;
  update_message?: boolean;
};

function header(h: Record<string, string | string[] | undefined> | undefined, name: string): string {
  const v = h?.[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function readSecret(s: Secret | undefined, what: string): string {
  try {
    return s ? s.reveal().trim() : '';
  } catch (e) {
    throw new NotifyError(`failed to read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
  }
}

export class SlackNotifier extends HttpNotifier<SlackSettings, SlackDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const { message, titleTruncated } = templated('Slack message', () => buildSlackPayload(this.settings, render));
    if (titleTruncated) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'slack', max_runes: MAX_TITLE_RUNES }, 'Truncated title');

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let url: string;
    const token = readSecret(this.settings.app_token, 'app_token');
    if (token) {
      url = this.settings.app_url ?? 'https://slack.com/api/chat.postMessage';
      headers.authorization = `Bearer ${token}`;
    } else {
      url = readSecret(this.settings.api_url, 'api_url_file');
    }
    if (!url) throw new NotifyError('slack api_url is empty', { retryable: false, reason: 'other' });
    // update_message (master >= 0.32): once a message was posted for this group, edit it in place
    const store = this.settings.update_message ? ctx.nflogStore : undefined;
    if (this.settings.update_message && !store) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'slack' }, 'cannot create NflogStore, updatable messages will be disabled.');
    const threadTs = store?.get('threadTs');
    const channelId = store?.get('channelId');
    let out = message;
    if (threadTs && channelId) {
      url = this.deps.chatUpdateUrl ?? CHAT_UPDATE_URL;
      const { channel: _channel, ts: _ts, ...rest } = message;
      // Go struct field order: channel, ts, username, ...
      out = { channel: String(channelId), ts: String(threadTs), ...rest };
    }
    const redact = (m: string) => (token ? redactUrl(m, url).split(token).join('<secret>') : redactUrl(m, url));

    const res = await this.sender.send(url, goEncode(out), {
      ctx,
      timeout: this.settings.timeout ?? 0,
      timeoutLabel: 'slack',
      headers,
    });
    const channel = goQuote(out.channel ?? '');
    const err = classifyResponse(res.status, redact(res.body));
    if (err) throw new NotifyError(`channel ${channel}: ${err.message}`, { retryable: err.retryable, reason: err.reason, status: res.status });
    const data = this.#checkBody(res.body, header(res.headers, 'content-type'), channel, redact);
    if (store && typeof data?.ts === 'string' && data.ts && typeof data.channel === 'string' && data.channel) {
      store.set('threadTs', data.ts);
      store.set('channelId', data.channel);
    }
  }

  /** Slack answers 200 with an error in the body (upstream slackResponseHandler). */
  #checkBody(body: string, contentType: string, channel: string, redact: (m: string) => string): { ts?: unknown; channel?: unknown } | undefined {
    if (!contentType.startsWith('application/json')) {
      if (body !== 'ok') {
        throw new NotifyError(`channel ${channel}: received an error response from Slack: ${redact(body)}`, { retryable: false, reason: 'clientError' });
      }
      return undefined;
    }
    let data: { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown };
    try {
      data = JSON.parse(body) as { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown };
    } catch {
      throw new NotifyError(`channel ${channel}: could not unmarshal JSON response ${goQuote(redact(body))}`, { retryable: true, reason: 'clientError' });
    }
    if (data?.ok !== true) {
      throw new NotifyError(`channel ${channel}: error response from Slack: ${redact(String(data?.error ?? ''))}`, { retryable: false, reason: 'clientError' });
    }
    return data;
  }
}
