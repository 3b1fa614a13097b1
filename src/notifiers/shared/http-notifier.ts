/**
 * @module notifiers/shared/http-notifier
 * Common base of the single-sender HTTP notifiers: keeps the integration's settings (typed by its schema),
 * the deps, one HttpSender built from settings.http_config and deps.userAgent, and close(). Subclasses only add
 * notify() (and their own helpers).
 */
import type { HTTPClientConfig } from '../../schema/http-client-config';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { HttpSender } from './http-sender';
import type { TemplatedNotifierDeps } from './render';

/** sender options beyond http_config and the User-Agent */
export interface HttpNotifierOptions {
  /** extra retryable status codes besides 5xx (e.g. 429 for opsgenie) */
  retryCodes?: readonly number[];
}

export abstract class HttpNotifier<S extends { http_config?: HTTPClientConfig | undefined }, D extends TemplatedNotifierDeps = TemplatedNotifierDeps>
  implements Notifier
{
  protected readonly settings: S;
  protected readonly deps: D;
  protected readonly sender: HttpSender;

  constructor(cfg: { settings: S }, deps: D, opts: HttpNotifierOptions = {}) {
    this.settings = cfg.settings;
    this.deps = deps;
    this.sender = new HttpSender({
      httpConfig: this.settings.http_config,
      userAgent: deps.userAgent,
      ...(opts.retryCodes !== undefined ? { retryCodes: opts.retryCodes } : {}),
    });
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.sender.close();
  }

  abstract notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void>;
}
