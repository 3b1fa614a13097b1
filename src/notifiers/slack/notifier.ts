/**
 * @module notifiers/slack/notifier
 * Thin Slack sender (upstream notify/slack/slack.go): render -> buildSlackPayload -> one POST through the shared
 * sender -> Retrier rules, then Slack's body check (`ok` text or JSON `{"ok":true}`). Incoming webhooks post to
 * api_url (or the URL in api_url_file, read at send time); with an app token the message goes to app_url
 * (chat.postMessage) with `Authorization: Bearer <app_token>`. No retry loop here: the RetryStage owns backoff.
 */
import type { HTTPClientConfig, IntegrationConfig } from '../../config/types';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import type { Secret } from '../../types/secret';
import { goEncode } from '../shared/go-json';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type RendererFactory, templated } from '../shared/render';
import { buildSlackPayload, MAX_TITLE_RUNES, type SlackPayloadSettings } from './payload';

export interface SlackDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
}

type SlackSettings = SlackPayloadSettings & {
  api_url?: Secret;
  api_url_file?: string;
  app_token?: Secret;
  app_url?: string;
  http_config?: HTTPClientConfig;
  timeout?: number;
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

export class SlackNotifier implements Notifier {
  readonly #s: SlackSettings;
  readonly #deps: SlackDeps;
  readonly #sender: HttpSender;

  constructor(cfg: IntegrationConfig, deps: SlackDeps) {
    this.#s = cfg.settings as SlackSettings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const { message, titleTruncated } = templated('Slack message', () => buildSlackPayload(this.#s, render));
    if (titleTruncated) this.#deps.logger.warn({ group_key: ctx.groupKey, integration: 'slack', max_runes: MAX_TITLE_RUNES }, 'Truncated title');

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let url: string;
    const token = readSecret(this.#s.app_token, 'app_token');
    if (token) {
      url = this.#s.app_url ?? 'https://slack.com/api/chat.postMessage';
      headers.authorization = `Bearer ${token}`;
    } else {
      url = readSecret(this.#s.api_url, 'api_url_file');
    }
    if (!url) throw new NotifyError('slack api_url is empty', { retryable: false, reason: 'other' });
    const redact = (m: string) => (token ? redactUrl(m, url).split(token).join('<secret>') : redactUrl(m, url));

    const res = await this.#sender.send(url, goEncode(message), {
      signal: ctx.signal,
      timeout: this.#s.timeout ?? 0,
      timeoutLabel: 'slack',
      headers,
    });
    const channel = JSON.stringify(message.channel ?? '');
    const err = classifyResponse(res.status, redact(res.body));
    if (err) throw new NotifyError(`channel ${channel}: ${err.message}`, { retryable: err.retryable, reason: err.reason, status: res.status });
    this.#checkBody(res.body, header(res.headers, 'content-type'), channel, redact);
  }

  /** Slack answers 200 with an error in the body (upstream slackResponseHandler). */
  #checkBody(body: string, contentType: string, channel: string, redact: (m: string) => string): void {
    if (!contentType.startsWith('application/json')) {
      if (body !== 'ok') {
        throw new NotifyError(`channel ${channel}: received an error response from Slack: ${redact(body)}`, { retryable: false, reason: 'clientError' });
      }
      return;
    }
    let data: { ok?: unknown; error?: unknown };
    try {
      data = JSON.parse(body) as { ok?: unknown; error?: unknown };
    } catch {
      throw new NotifyError(`channel ${channel}: could not unmarshal JSON response ${JSON.stringify(redact(body))}`, { retryable: true, reason: 'clientError' });
    }
    if (data?.ok !== true) {
      throw new NotifyError(`channel ${channel}: error response from Slack: ${redact(String(data?.error ?? ''))}`, { retryable: false, reason: 'clientError' });
    }
  }
}
