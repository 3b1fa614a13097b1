/**
 * @module notifiers/msteams/notifier
 * Thin Microsoft Teams (connector) sender (upstream notify/msteams/msteams.go): render -> buildMSTeamsMessage ->
 * one POST to webhook_url (or the URL in webhook_url_file, read at send time). Only 5xx is retried.
 */
import type { IntegrationConfig } from '../../config/types';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpSender } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { postJsonToWebhook } from '../shared/webhook-url';
import type { MSTeamsSettings } from './config';
import { buildMSTeamsMessage } from './payload';

export type MSTeamsDeps = TemplatedNotifierDeps;

export class MSTeamsNotifier implements Notifier {
  readonly #s: MSTeamsSettings;
  readonly #deps: MSTeamsDeps;
  readonly #sender: HttpSender;

  constructor(cfg: IntegrationConfig, deps: MSTeamsDeps) {
    this.#s = cfg.settings as unknown as MSTeamsSettings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const msg = templated('MS Teams message', () => buildMSTeamsMessage(this.#s, render, alerts, ctx.now));
    await postJsonToWebhook(this.#sender, this.#s.webhook_url, msg, ctx, { timeout: this.#deps.timeout ?? 0, timeoutLabel: 'msteams' });
  }
}
