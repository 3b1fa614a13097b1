/**
 * @module notifiers/telegram/notifier
 * Thin Telegram sender (upstream notify/telegram/telegram.go over telebot v3): render -> buildTelegramRequest ->
 * `POST <api_url>/bot<token>/sendMessage`. Telegram answers `{"ok":false,"error_code":N,"description":..}` on
 * failure; upstream retries every Telegram failure, so every error here is retryable, with the reason taken from
 * the error code (429 -> rateLimited, 401/403 -> authError, ...). The bot token is part of the URL: it is
 * redacted from every error and log line.
 */
import { readFileSync } from 'node:fs';
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { HttpNotifier } from '../shared/http-notifier';
import { type HttpSender, reasonForStatus, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { TelegramSettings } from './config';
import { buildTelegramRequest, MAX_MESSAGE_RUNES } from './payload';

export type TelegramDeps = TemplatedNotifierDeps;

interface TelegramAnswer {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
}

function fileError(what: string, e: unknown): NotifyError {
  return new NotifyError(`could not read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: true, reason: 'other' });
}

export class TelegramNotifier extends HttpNotifier<TelegramSettings, TelegramDeps> {
  #token(): string {
    try {
      const t = this.settings.bot_token.reveal();
      return this.settings.bot_token.file !== undefined ? t.trim() : t;
    } catch (e) {
      throw fileError('bot_token_file', e);
    }
  }

  #chatId(): string {
    if (this.settings.chat_id_file === undefined) return String(this.settings.chat_id ?? 0);
    let text: string;
    try {
      text = readFileSync(this.settings.chat_id_file, 'utf8').trim();
    } catch (e) {
      throw fileError('chat_id_file', e);
    }
    // Go strconv.ParseInt(s, 10, 64)
    if (!/^[+-]?\d{1,19}$/.test(text) || BigInt(text) > 9223372036854775807n || BigInt(text) < -9223372036854775808n) {
      throw new NotifyError('could not parse chat_id from chat_id_file', { retryable: true, reason: 'other' });
    }
    return BigInt(text).toString();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const chatId = this.#chatId();
    const built = templated('Telegram message', () => buildTelegramRequest(this.settings, render, chatId));
    if (built.overflow === 'truncated') this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'telegram', max_runes: MAX_MESSAGE_RUNES }, 'Truncated message');
    if (built.overflow === 'replaced') this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'telegram', max_runes: MAX_MESSAGE_RUNES }, 'Message exceeds Telegram limits, sent a notice instead');
    const token = this.#token();
    const url = `${this.settings.api_url}/bot${token}/sendMessage`;
    const redact = (m: string) => {
      const out = redactUrl(m, url);
      return token ? out.split(token).join('<redacted>') : out;
    };
    let res: Awaited<ReturnType<HttpSender['send']>>;
    try {
      res = await this.sender.send(url, built.body, {
        ctx,
        timeout: this.deps.timeout ?? 0,
        timeoutLabel: 'telegram',
        headers: { 'content-type': 'application/json' },
      });
    } catch (e) {
      if (e instanceof NotifyError && token && e.message.includes(token)) throw new NotifyError(redact(e.message), { retryable: e.retryable, reason: e.reason });
      throw e;
    }
    let answer: TelegramAnswer | undefined;
    try {
      const parsed = JSON.parse(res.body) as unknown;
      if (parsed !== null && typeof parsed === 'object') answer = parsed as TelegramAnswer;
    } catch {
      answer = undefined;
    }
    if (answer && answer.ok === false) {
      const code = typeof answer.error_code === 'number' ? answer.error_code : res.status;
      throw new NotifyError(redact(`telegram: ${String(answer.description ?? '')} (${code})`), { retryable: true, reason: reasonForStatus(code), status: res.status });
    }
    if (res.status < 200 || res.status >= 300) {
      const text = redact(res.body.trim());
      throw new NotifyError(`unexpected status code ${res.status}${text ? `: ${text}` : ''}`, { retryable: true, reason: reasonForStatus(res.status), status: res.status });
    }
    if (answer?.ok !== true) {
      throw new NotifyError('telegram: unexpected response, no "ok":true', { retryable: true, reason: 'other', status: res.status });
    }
  }
}
