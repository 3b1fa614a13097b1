/**
 * @module notifiers/webhook/notifier
 * Posts the version-4 JSON message (upstream notify/webhook/webhook.go). Retry rule: only 5xx and
 * transport errors are retryable; the RetryStage owns backoff.
 */
import { readFileSync } from 'node:fs';
import type { WebhookSettings } from './config';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import { Secret } from '../../types/secret';
import { deepCopyWithTemplate } from '../../templates/structured';
import { goEncode, sortedMap } from '../../go/json';
import { HttpSender, redactUrl } from '../shared/http-sender';
import { buildWebhookPayload, truncateAlerts, webhookPayloadInput } from './payload';

export interface WebhookDeps {
  externalURL: string;
  userAgent: string;
  logger?: Logger;
  /** renders template text (templated url, custom payload) against the notification; absent = no templating */
  renderUrl?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string;
}

function secretValue(v: unknown): string | undefined {
  if (v instanceof Secret) return v.reveal();
  if (v && typeof (v as Secret).reveal === 'function') return (v as Secret).reveal();
  if (typeof v === 'string') return v;
  return undefined;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class WebhookNotifier implements Notifier {
  readonly #s: Record<string, unknown>;
  readonly #deps: WebhookDeps;
  readonly #sender: HttpSender;

  constructor(cfg: { settings: WebhookSettings }, deps: WebhookDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: cfg.settings.http_config, userAgent: deps.userAgent });
  }

  #url(ctx: NotifyContext, alerts: readonly Alert[]): string {
    let url = secretValue(this.#s.url);
    if (url === undefined && typeof this.#s.url_file === 'string') {
      try {
        url = readFileSync(this.#s.url_file, 'utf8').trim();
      } catch (e) {
        throw new NotifyError(`read url_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
      }
    }
    if (!url) throw new NotifyError('webhook url is empty', { retryable: false, reason: 'other' });
    if (url.includes('{{') && this.#deps.renderUrl) {
      try {
        url = this.#deps.renderUrl(url, ctx, alerts).trim();
      } catch (e) {
        // the error text of a template over a secret URL could echo it: keep only the template position
        throw new NotifyError(`failed to template webhook URL: ${redactUrl(errMessage(e), url)}`, { retryable: false, reason: 'other', cause: e });
      }
      if (!/^https?:\/\/[^/]/i.test(url)) throw new NotifyError('failed to template webhook URL: rendered URL is not an absolute http(s) URL', { retryable: false, reason: 'other' });
    }
    return url;
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, all: readonly Alert[]): Promise<void> {
    const maxAlerts = typeof this.#s.max_alerts === 'number' ? this.#s.max_alerts : 0;
    // upstream truncates first: the message, a custom payload and a templated URL all see only the kept alerts
    const alerts = truncateAlerts(all, maxAlerts).kept;
    const msg = buildWebhookPayload(webhookPayloadInput(ctx, this.#deps.externalURL, all, maxAlerts));
    if (msg.truncatedAlerts > 0) ctx.logger.warn({ groupKey: ctx.groupKey, truncated: msg.truncatedAlerts }, 'Truncated alerts');
    let body = msg as unknown;
    if (this.#s.payload !== undefined && this.#s.payload !== null) {
      const render = this.#deps.renderUrl;
      if (!render) throw new NotifyError('webhook payload needs templates, but no template set is configured', { retryable: false, reason: 'other' });
      try {
        // a custom payload is Go map[string]any: keys sorted on the wire
        body = sortedMap(deepCopyWithTemplate(this.#s.payload, (text) => render(text, ctx, alerts)));
      } catch (e) {
        throw new NotifyError(`failed to template webhook payload: ${errMessage(e)}`, { retryable: false, reason: 'other', cause: e });
      }
    }
    const url = this.#url(ctx, alerts);
    // Go json.Encoder: <, >, & escaped, trailing newline
    await this.#sender.post(url, goEncode(body), {
      ctx,
      timeout: typeof this.#s.timeout === 'number' ? this.#s.timeout : 0,
      timeoutLabel: 'webhook',
      headers: { 'content-type': 'application/json' },
    });
  }
}
