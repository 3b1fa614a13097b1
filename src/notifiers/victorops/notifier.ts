/**
 * @module notifiers/victorops/notifier
 * Thin VictorOps (Splunk On-Call) sender (upstream notify/victorops/victorops.go): render -> buildVictorOpsMessage
 * -> one POST to api_url + api_key + "/" + routing_key. The API key sits in the URL path: it is redacted from
 * every error. Only 5xx is retried.
 */
import type { IntegrationConfig } from '../../config/types';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { VictorOpsSettings } from './config';
import { buildVictorOpsMessage, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

export type VictorOpsDeps = TemplatedNotifierDeps;

export class VictorOpsNotifier implements Notifier {
  readonly #s: VictorOpsSettings;
  readonly #deps: VictorOpsDeps;
  readonly #sender: HttpSender;

  constructor(cfg: IntegrationConfig, deps: VictorOpsDeps) {
    this.#s = cfg.settings as unknown as VictorOpsSettings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  #apiKey(): string {
    try {
      const k = this.#s.api_key.reveal();
      return this.#s.api_key.file !== undefined ? k.trim() : k;
    } catch (e) {
      throw new NotifyError(`failed to read API key from file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const apiKey = this.#apiKey();
    const routingKey = templated('VictorOps routing_key', () => render.text(this.#s.routing_key));
    const built = templated('VictorOps message', () => buildVictorOpsMessage(this.#s, render, { groupKey: ctx.groupKey, alerts, now: ctx.now }));
    if (built.truncated) this.#deps.logger.warn({ group_key: ctx.groupKey, integration: 'victorops', max_runes: MAX_STATE_MESSAGE_RUNES }, 'Truncated state_message');
    const url = victorOpsUrl(this.#s.api_url, apiKey, routingKey);
    const res = await this.#sender.send(url, built.body, {
      signal: ctx.signal,
      timeout: this.#deps.timeout ?? 0,
      timeoutLabel: 'victorops',
      headers: { 'content-type': 'application/json' },
    });
    let body = redactUrl(res.body, url);
    if (apiKey) body = body.split(apiKey).join('<secret>');
    const err = classifyResponse(res.status, body);
    if (err) throw err;
  }
}
