/**
 * @module notifiers/pagerduty/notifier
 * Thin PagerDuty sender (upstream notify/pagerduty/pagerduty.go): Events API v2 with routing_key (POST to `url`,
 * 429 and 5xx retried) or v1 with service_key (fixed create_event.json URL, 403 and 5xx retried). Keys from
 * *_file are read at send time. Plain JSON through the shared sender (no node-pagerduty: DEPENDENCIES.md).
 */
import type { HTTPClientConfig } from '../../schema/http-client-config';
import type { PagerDutySettings as PagerDutyConfigSettings } from './config';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import { type Alert, isResolved } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import type { Secret } from '../../types/secret';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type RendererFactory, templated } from '../shared/render';
import { buildPagerDutyPayload, EVENTS_V1_URL, MAX_EVENT_BYTES, MAX_SUMMARY_RUNES, type PagerDutyPayloadSettings } from './payload';

export interface PagerDutyDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
  /** Events API v1 endpoint (tests only; upstream hard-codes it) */
  v1Url?: string;
}

type PagerDutySettings = PagerDutyPayloadSettings & {
  routing_key?: Secret;
  service_key?: Secret;
  url?: string;
  http_config?: HTTPClientConfig;
  timeout?: number;
};

/** Events API v1 (service_key) retries 403, v2 (routing_key) 429, besides 5xx (upstream notify/pagerduty). */
export function pagerdutyRetryCodes(s: { service_key?: unknown }): readonly number[] {
  return s.service_key !== undefined ? [403] : [429];
}

/** PagerDuty's 400 body `{"message":..,"errors":[..]}` as upstream's errDetails renders it. */
function errDetails(status: number, body: string): string {
  if (status !== 400) return '';
  try {
    const p = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(p.errors) ? p.errors.map(String).join(',') : '';
    return `${typeof p.message === 'string' ? p.message : ''}: ${errors}`;
  } catch {
    return '';
  }
}

export class PagerDutyNotifier implements Notifier {
  readonly #s: PagerDutySettings;
  readonly #deps: PagerDutyDeps;
  readonly #sender: HttpSender;
  readonly #v1: boolean;

  constructor(cfg: { settings: PagerDutyConfigSettings }, deps: PagerDutyDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#v1 = this.#s.service_key !== undefined;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent, retryCodes: pagerdutyRetryCodes(this.#s) });
  }

  #key(): string {
    const what = this.#v1 ? 'service key' : 'routing key';
    try {
      return (this.#v1 ? this.#s.service_key : this.#s.routing_key)?.reveal().trim() ?? '';
    } catch (e) {
      throw new NotifyError(`failed to read ${what} from file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const version = this.#v1 ? 'v1' : 'v2';
    const key = this.#key();
    const redactKey = (m: string) => (key ? m.split(key).join('<secret>') : m);
    const eventType = alerts.some((a) => !isResolved(a, ctx.now)) ? 'trigger' : 'resolve';
    const render = this.#deps.render(ctx, alerts);
    const built = templated(
      `PagerDuty ${version} message`,
      () => buildPagerDutyPayload(this.#s, { version, key, groupKey: ctx.groupKey, eventType, render }),
      redactKey,
    );
    const log = this.#deps.logger;
    if (built.summaryTruncated) log.warn({ group_key: ctx.groupKey, integration: 'pagerduty', max_runes: MAX_SUMMARY_RUNES }, this.#v1 ? 'Truncated description' : 'Truncated summary');
    if (built.oversize !== undefined) log.warn({ group_key: ctx.groupKey, integration: 'pagerduty', size: built.oversize, limit: MAX_EVENT_BYTES }, 'Truncated Details because message exceeds the size limit');
    const sentKey = this.#v1 ? built.message.service_key : built.message.routing_key;
    if (!sentKey) throw new NotifyError(this.#v1 ? 'service key cannot be empty' : 'routing key cannot be empty', { retryable: false, reason: 'other' });

    const url = this.#v1 ? (this.#deps.v1Url ?? EVENTS_V1_URL) : (this.#s.url ?? '');
    let res: Awaited<ReturnType<HttpSender['send']>>;
    try {
      res = await this.#sender.send(url, built.body, { ctx, timeout: this.#s.timeout ?? 0, timeoutLabel: 'pagerduty', headers: { 'content-type': 'application/json' } });
    } catch (e) {
      if (!(e instanceof NotifyError)) throw e;
      throw new NotifyError(`failed to post message to PagerDuty${this.#v1 ? ' v1' : ''}: ${e.message}`, { retryable: e.retryable, reason: e.reason, cause: e });
    }
    const err = classifyResponse(res.status, '');
    if (err) {
      const details = redactKey(redactUrl(errDetails(res.status, res.body), url));
      throw new NotifyError(details ? `${err.message}: ${details}` : err.message, { retryable: err.retryable || (this.#v1 ? res.status === 403 : res.status === 429), reason: err.reason, status: res.status });
    }
  }
}
