/**
 * @module notifiers/discord/notifier
 * Thin Discord sender (upstream notify/discord/discord.go): render -> buildDiscordMessage -> one POST to
 * webhook_url (or webhook_url_file, read at send time). Only 5xx is retried; truncations are logged.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpNotifier } from '../shared/http-notifier';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { postJsonToWebhook } from '../shared/webhook-url';
import type { DiscordSettings } from './config';
import { buildDiscordMessage } from './payload';

export type DiscordDeps = TemplatedNotifierDeps;

export class DiscordNotifier extends HttpNotifier<DiscordSettings, DiscordDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const built = templated('Discord message', () => buildDiscordMessage(this.settings, render, alerts, ctx.now));
    for (const t of built.truncated) {
      this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'discord', max_runes: t.maxRunes }, t.field === 'title' ? 'Truncated title' : 'Truncated message');
    }
    if (built.badAvatarUrl) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'discord' }, 'Bad avatar url');
    await postJsonToWebhook(this.sender, this.settings.webhook_url, built.message, ctx, { timeout: this.deps.timeout ?? 0, timeoutLabel: 'discord' });
  }
}
