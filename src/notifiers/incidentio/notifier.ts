/**
 * @module notifiers/incidentio/notifier
 * Thin incident.io sender (upstream notify/incidentio/incidentio.go): buildIncidentioMessage -> one POST to url (or
 * url_file, read at send time) with `Authorization: Bearer <alert_source_token>` (else http_config.authorization).
 * Retry on 429 and 5xx; an error answer's `message`, `error` and `errors` are appended to the error text.
 */
import { readFileSync } from 'node:fs';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import { HttpSender, reasonForStatus, redactUrl } from '../shared/http-sender';
import type { IncidentioSettings } from './config';
import { webhookPayloadInput } from '../webhook/payload';
import { buildIncidentioMessage, MAX_PAYLOAD_BYTES } from './payload';

export interface IncidentioDeps {
  externalURL: string;
  userAgent: string;
  logger: Logger;
  /** per-request timeout in ms, overriding the configured `timeout` (tests) */
  timeout?: number;
}

export const RETRY_CODES: readonly number[] = [429];

/** Upstream errDetails: "<message>: <error>: <errors, joined>" from a JSON error answer, else nothing. */
export function errorDetails(body: string): string {
  let e: { message?: unknown; error?: unknown; errors?: unknown };
  try {
    e = JSON.parse(body) as typeof e;
  } catch {
    return '';
  }
  if (e === null || typeof e !== 'object') return '';
  const parts: string[] = [];
  if (typeof e.message === 'string' && e.message) parts.push(e.message);
  if (typeof e.error === 'string' && e.error) parts.push(e.error);
  if (Array.isArray(e.errors) && e.errors.length > 0) parts.push(e.errors.map(String).join(', '));
  return parts.join(': ');
}

export class IncidentioNotifier implements Notifier {
  readonly #s: IncidentioSettings;
  readonly #deps: IncidentioDeps;
  readonly #sender: HttpSender;

  constructor(cfg: { settings: IncidentioSettings }, deps: IncidentioDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent, retryCodes: RETRY_CODES });
  }

  #read(what: string, f: () => string): string {
    try {
      return f();
    } catch (e) {
      throw new NotifyError(`read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
    }
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const built = buildIncidentioMessage(webhookPayloadInput(ctx, this.#deps.externalURL, alerts, this.#s.max_alerts ?? 0));
    if (built.shrunk) {
      const fits = built.shrunk.finalSize <= MAX_PAYLOAD_BYTES;
      const fields = { group_key: ctx.groupKey, integration: 'incidentio', original_size: built.shrunk.originalSize, final_size: built.shrunk.finalSize, max_size: MAX_PAYLOAD_BYTES };
      if (fits) this.#deps.logger.warn(fields, 'Truncated alert content due to incident.io payload size limit');
      else this.#deps.logger.error(fields, 'Truncated alert content due to incident.io payload size limit, but still exceeds limit');
    }
    const url = this.#s.url ?? this.#read('url_file', () => readFileSync(this.#s.url_file ?? '', 'utf8').trim());
    const t = this.#s.alert_source_token;
    const token = t ? this.#read('alert_source_token_file', () => (t.file !== undefined ? t.reveal().trim() : t.reveal())) : '';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await this.#sender.send(url, built.body, {
      ctx,
      timeout: this.#deps.timeout ?? this.#s.timeout ?? 0,
      timeoutLabel: 'incident.io',
      headers,
    });
    if (res.status >= 200 && res.status < 300) return;
    let details = errorDetails(res.body);
    details = redactUrl(details, url);
    if (token) details = details.split(token).join('<secret>');
    throw new NotifyError(`unexpected status code ${res.status}${details ? `: ${details}` : ''}`, {
      retryable: res.status >= 500 || (RETRY_CODES as readonly number[]).includes(res.status),
      reason: reasonForStatus(res.status),
      status: res.status,
    });
  }
}
