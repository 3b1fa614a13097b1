/**
 * @module notifiers/msteamsv2/notifier
 * Thin Microsoft Teams (Workflows) sender (upstream notify/msteamsv2/msteamsv2.go): render ->
 * buildMSTeamsV2Message -> one POST to webhook_url (or webhook_url_file, read at send time). Only 5xx is retried.
 */
import type { IntegrationConfig } from '../../config/types';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpSender } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import { postJsonToWebhook } from '../shared/webhook-url';
import type { MSTeamsV2Settings } from './config';
import { buildMSTeamsV2Message } from './payload';

export type MSTeamsV2Deps = TemplatedNotifierDeps;

export class MSTeamsV2Notifier implements Notifier {
  readonly #s: MSTeamsV2Settings;
  readonly #deps: MSTeamsV2Deps;
  readonly #sender: HttpSender;

  constructor(cfg: IntegrationConfig, deps: MSTeamsV2Deps) {
    this.#s = cfg.settings as unknown as MSTeamsV2Settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const msg = templated('MS Teams message', () => buildMSTeamsV2Message(this.#s, render, alerts, ctx.now));
    await postJsonToWebhook(this.#sender, this.#s.webhook_url, msg, ctx, { timeout: this.#deps.timeout ?? 0, timeoutLabel: 'msteamsv2' });
  }
}
