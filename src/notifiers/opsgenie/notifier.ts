/**
 * @module notifiers/opsgenie/notifier
 * Thin OpsGenie sender (upstream notify/opsgenie/opsgenie.go): render -> buildOpsGenieRequests -> the requests in
 * order through the shared sender (the first failure stops), `Authorization: GenieKey <api_key>`. Retry rule:
 * 5xx and 429. The API key (templated; from api_key_file trimmed) never reaches an error or a log line.
 */
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { HttpNotifier } from '../shared/http-notifier';
import { classifyResponse, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { OpsGenieSettings } from './config';
import { buildOpsGenieRequests, MAX_MESSAGE_RUNES } from './payload';

export type OpsGenieDeps = TemplatedNotifierDeps;

export const RETRY_CODES: readonly number[] = [429];

export class OpsGenieNotifier extends HttpNotifier<OpsGenieSettings, OpsGenieDeps> {
  constructor(cfg: { settings: OpsGenieSettings }, deps: OpsGenieDeps) {
    super(cfg, deps, { retryCodes: RETRY_CODES });
  }

  #apiKey(render: (s: string) => string): string {
    let raw: string;
    try {
      raw = this.settings.api_key.reveal();
    } catch (e) {
      throw new NotifyError(`read key_file error: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
    // the template error of a key could echo the key: report no detail
    const key = templated('api_key', () => render(raw), () => '<redacted>');
    return this.settings.api_key.file !== undefined ? key.trim() : key;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.deps.render(ctx, alerts);
    const built = templated('OpsGenie message', () => buildOpsGenieRequests(this.settings, render, { groupKey: ctx.groupKey, alerts, now: ctx.now }));
    if (built.messageTruncated) this.deps.logger.warn({ group_key: ctx.groupKey, integration: 'opsgenie', max_runes: MAX_MESSAGE_RUNES }, 'Truncated message');
    const key = this.#apiKey((s) => render.text(s));
    const redact = (m: string, url: string) => {
      const out = redactUrl(m, url);
      return key ? out.split(key).join('<secret>') : out;
    };
    for (const req of built.requests) {
      const res = await this.sender.send(req.url, req.body, {
        ctx,
        timeout: this.deps.timeout ?? 0,
        timeoutLabel: 'opsgenie',
        method: req.method,
        headers: { 'content-type': 'application/json', authorization: `GenieKey ${key}` },
      });
      const err = classifyResponse(res.status, redact(res.body, req.url), RETRY_CODES);
      if (err) throw err;
    }
  }
}
