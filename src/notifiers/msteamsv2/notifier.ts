/**
 * @module notifiers/msteamsv2/notifier
 * Thin Microsoft Teams (Workflows) sender (upstream notify/msteamsv2/msteamsv2.go): render ->
 * buildMSTeamsV2Message -> one POST to webhook_url (or webhook_url_file, read at send time). Only 5xx is retried.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpNotifier } from '../shared/http-notifier';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { postJsonToWebhook } from '../shared/webhook-url';
import type { MSTeamsV2Settings } from './config';
import { buildMSTeamsV2Message } from './payload';

export type MSTeamsV2Deps = TemplatedNotifierDeps;

export class MSTeamsV2Notifier extends HttpNotifier<MSTeamsV2Settings, MSTeamsV2Deps> {
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const msg = templated('MS Teams message', () => buildMSTeamsV2Message(this.settings, render, alerts, ctx.now));
    await postJsonToWebhook(this.sender, this.settings.webhook_url, msg, ctx, { timeout: this.deps.timeout ?? 0, timeoutLabel: 'msteamsv2' });
  }
}
