/**
 * @module notifiers/pushover/notifier
 * Thin Pushover sender (upstream notify/pushover/pushover.go): render -> buildPushoverQuery -> one POST with an
 * empty text/plain body. token and user_key (inline or read from their files at send time, templated) travel in
 * the query string: they are redacted from every error. Only 5xx is retried.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import type { Secret } from '../../types/secret';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type RendererFactory, templated } from '../shared/render';
import type { PushoverSettings } from './config';
import { API_URL, buildPushoverQuery } from './payload';

export interface PushoverDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
  /** per-request timeout in ms (0 = none) */
  timeout?: number;
  /** the messages endpoint; upstream's fixed URL unless a test points it elsewhere */
  apiUrl?: string;
}

function read(s: Secret, field: string): string {
  try {
    return s.reveal();
  } catch (e) {
    throw new NotifyError(`read ${field}_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
  }
}

export class PushoverNotifier extends HttpNotifier<PushoverSettings, PushoverDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const keys = { token: read(this.settings.token, 'token'), user: read(this.settings.user_key, 'user_key') };
    const secrets = [keys.token, keys.user].filter((k) => k.length > 0);
    const hide = (m: string) => secrets.reduce((acc, k) => acc.split(k).join('<secret>'), m);
    const built = templated('Pushover message', () => buildPushoverQuery(this.settings, render, keys), hide);
    for (const t of built.truncated) {
      const what = t.field === 'url' ? 'URL' : t.field;
      this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'pushover', max_runes: t.maxRunes }, `Truncated ${what}`);
    }
    const url = `${this.deps.apiUrl ?? API_URL}?${built.query}`;
    const res = await this.sender.send(url, '', {
      ctx,
      timeout: this.deps.timeout ?? 0,
      timeoutLabel: 'pushover',
      headers: { 'content-type': 'text/plain' },
    });
    const err = classifyResponse(res.status, hide(redactUrl(res.body, url)));
    if (err) throw err;
  }
}
