/**
 * @module notifiers/registry
 * Integration name -> notifier factory. One line per integration. Each implementation (and what it needs:
 * nodemailer for email, AWS signing for SNS...) is loaded when a config first uses it, not at startup.
 */
import type { IntegrationConfig } from '../config/types';
import type { Notifier, NotifyContext } from '../pipeline/types';
import type { Alert } from '../types/alert';
import type { Logger } from '../types/logger';
import { rendererFactory } from './shared/render';

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
  webhook: (cfg, d) => new (require('./webhook/notifier') as typeof import('./webhook/notifier')).WebhookNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger, ...(d.renderText ? { renderUrl: d.renderText } : {}) }),
  email: (cfg, d) => new (require('./email/notifier') as typeof import('./email/notifier')).EmailNotifier(cfg, { logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  pagerduty: (cfg, d) => new (require('./pagerduty/notifier') as typeof import('./pagerduty/notifier')).PagerDutyNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  slack: (cfg, d) => new (require('./slack/notifier') as typeof import('./slack/notifier')).SlackNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  opsgenie: (cfg, d) => new (require('./opsgenie/notifier') as typeof import('./opsgenie/notifier')).OpsGenieNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  victorops: (cfg, d) => new (require('./victorops/notifier') as typeof import('./victorops/notifier')).VictorOpsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  pushover: (cfg, d) => new (require('./pushover/notifier') as typeof import('./pushover/notifier')).PushoverNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  telegram: (cfg, d) => new (require('./telegram/notifier') as typeof import('./telegram/notifier')).TelegramNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  discord: (cfg, d) => new (require('./discord/notifier') as typeof import('./discord/notifier')).DiscordNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  webex: (cfg, d) => new (require('./webex/notifier') as typeof import('./webex/notifier')).WebexNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  msteams: (cfg, d) => new (require('./msteams/notifier') as typeof import('./msteams/notifier')).MSTeamsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  msteamsv2: (cfg, d) => new (require('./msteamsv2/notifier') as typeof import('./msteamsv2/notifier')).MSTeamsV2Notifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  wechat: (cfg, d) => new (require('./wechat/notifier') as typeof import('./wechat/notifier')).WechatNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  incidentio: (cfg, d) => new (require('./incidentio/notifier') as typeof import('./incidentio/notifier')).IncidentioNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger }),
  rocketchat: (cfg, d) => new (require('./rocketchat/notifier') as typeof import('./rocketchat/notifier')).RocketchatNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  mattermost: (cfg, d) => new (require('./mattermost/notifier') as typeof import('./mattermost/notifier')).MattermostNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  jira: (cfg, d) => new (require('./jira/notifier') as typeof import('./jira/notifier')).JiraNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  sns: (cfg, d) => new (require('./sns/notifier') as typeof import('./sns/notifier')).SNSNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
};
