/**
 * @module notifiers/registry
 * Integration name -> notifier factory. One line per integration.
 */
import type { IntegrationConfig } from '../config/types';
import type { Notifier, NotifyContext } from '../pipeline/types';
import type { Alert } from '../types/alert';
import type { Logger } from '../types/logger';
import { EmailNotifier } from './email/notifier';
import { PagerDutyNotifier } from './pagerduty/notifier';
import { rendererFactory } from './shared/render';
import { SlackNotifier } from './slack/notifier';
import { WebhookNotifier } from './webhook/notifier';

export interface NotifierDeps {
  externalURL: string;
  userAgent: string;
  logger: Logger;
  /** template rendering for templated fields, when the template engine is available */
  renderText?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string;
  /** HTML-escaping rendering (email `html`); falls back to renderText when absent */
  renderHtml?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string;
}

export type NotifierFactory = (cfg: IntegrationConfig, deps: NotifierDeps) => Notifier;

export const notifierFactories: Partial<Record<IntegrationConfig['type'], NotifierFactory>> = {
  webhook: (cfg, d) => new WebhookNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger, ...(d.renderText ? { renderUrl: d.renderText } : {}) }),
  email: (cfg, d) => new EmailNotifier(cfg, { logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  pagerduty: (cfg, d) => new PagerDutyNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  slack: (cfg, d) => new SlackNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
};
