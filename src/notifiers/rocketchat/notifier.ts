/**
 * @module notifiers/rocketchat/notifier
 * Thin Rocket.Chat sender (upstream notify/rocketchat/rocketchat.go): render -> buildRocketchatMessage -> one POST
 * to <api_url>/api/v1/chat.postMessage with `X-Auth-Token` and `X-User-Id` (inline or read from their files at
 * send time). Retrier rules first (5xx retried), then the body must be JSON `{"success":true}`; otherwise
 * `error response from Rocketchat: <error>` (not retried). Errors are prefixed with the channel.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { goEncode } from '../../go/json';
import { goQuote } from '../../types/labels';
import type { Secret } from '../../types/secret';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { RocketchatSettings } from './config';
import { buildRocketchatMessage, MAX_TITLE_RUNES, postMessageUrl } from './payload';

export type RocketchatDeps = TemplatedNotifierDeps;

function read(s: Secret, field: string): string {
  try {
    return s.file !== undefined ? s.reveal().trim() : s.reveal();
  } catch (e) {
    throw new NotifyError(`could not read ${field}_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
  }
}

export class RocketchatNotifier extends HttpNotifier<RocketchatSettings, RocketchatDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const built = templated('Rocketchat message', () => buildRocketchatMessage(this.settings, render));
    if (built.titleTruncated) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'rocketchat', max_runes: MAX_TITLE_RUNES }, 'Truncated title');
    const token = read(this.settings.token, 'token');
    const tokenId = read(this.settings.token_id, 'token_id');
    const url = postMessageUrl(this.settings.api_url);
    const hide = (m: string) => [token, tokenId].filter((x) => x).reduce((acc, k) => acc.split(k).join('<secret>'), redactUrl(m, url));
    const res = await this.sender.send(url, goEncode(built.message), {
      ctx,
      timeout: this.deps.timeout ?? 0,
      timeoutLabel: 'rocketchat',
      headers: { 'content-type': 'application/json', 'x-auth-token': token, 'x-user-id': tokenId },
    });
    const channel = goQuote(typeof built.message.channel === 'string' ? built.message.channel : '');
    const err = classifyResponse(res.status, hide(res.body));
    if (err) throw new NotifyError(`channel ${channel}: ${err.message}`, { retryable: err.retryable, reason: err.reason, status: res.status });
    let data: { success?: unknown; error?: unknown };
    try {
      data = JSON.parse(res.body) as { success?: unknown; error?: unknown };
    } catch {
      throw new NotifyError(`channel ${channel}: could not unmarshal JSON response ${goQuote(hide(res.body))}`, { retryable: true, reason: 'clientError' });
    }
    if (data?.success !== true) {
      throw new NotifyError(`channel ${channel}: error response from Rocketchat: ${hide(String(data?.error ?? ''))}`, { retryable: false, reason: 'clientError' });
    }
  }
}
