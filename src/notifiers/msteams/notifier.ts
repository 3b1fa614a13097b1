/**
 * @module notifiers/msteams/notifier
 * Thin Microsoft Teams (connector) sender (upstream notify/msteams/msteams.go): render -> buildMSTeamsMessage ->
 * one POST to webhook_url (or the URL in webhook_url_file, read at send time). Only 5xx is retried.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpNotifier } from '../shared/http-notifier';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { postJsonToWebhook } from '../shared/webhook-url';
import type { MSTeamsSettings } from './config';
import { buildMSTeamsMessage } from './payload';

export type MSTeamsDeps = TemplatedNotifierDeps;

export class MSTeamsNotifier extends HttpNotifier<MSTeamsSettings, MSTeamsDeps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const msg = templated('MS Teams message', () => buildMSTeamsMessage(this.settings, render, alerts, ctx.now));
    await postJsonToWebhook(this.sender, this.settings.webhook_url, msg, ctx, { timeout: this.deps.timeout ?? 0, timeoutLabel: 'msteams' });
  }
}
