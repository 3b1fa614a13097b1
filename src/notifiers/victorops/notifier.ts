/**
 * @module notifiers/victorops/notifier
 * Thin VictorOps (Splunk On-Call) sender (upstream notify/victorops/victorops.go): render -> buildVictorOpsMessage
 * -> one POST to api_url + api_key + "/" + routing_key. The API key sits in the URL path: it is redacted from
 * every error. Only 5xx is retried.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { VictorOpsSettings } from './config';
import { buildVictorOpsMessage, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

export type VictorOpsDeps = TemplatedNotifierDeps;

export class VictorOpsNotifier extends HttpNotifier<VictorOpsSettings, VictorOpsDeps> {
  #apiKey(): string {
    try {
      const k = this.settings.api_key.reveal();
      return this.settings.api_key.file !== undefined ? k.trim() : k;
    } catch (e) {
      throw new NotifyError(`failed to read API key from file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const apiKey = this.#apiKey();
    const routingKey = templated('VictorOps routing_key', () => render.text(this.settings.routing_key));
    const built = templated('VictorOps message', () => buildVictorOpsMessage(this.settings, render, { groupKey: ctx.groupKey, alerts, now: ctx.now }));
    if (built.truncated) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'victorops', max_runes: MAX_STATE_MESSAGE_RUNES }, 'Truncated state_message');
    const url = victorOpsUrl(this.settings.api_url, apiKey, routingKey);
    const res = await this.sender.send(url, built.body, {
      ctx,
      timeout: this.deps.timeout ?? 0,
      timeoutLabel: 'victorops',
      headers: { 'content-type': 'application/json' },
    });
    let body = redactUrl(res.body, url);
    if (apiKey) body = body.split(apiKey).join('<secret>');
    const err = classifyResponse(res.status, body);
    if (err) throw err;
  }
}
