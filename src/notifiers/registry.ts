/**
 * @module notifiers/registry
 * Integration name -> notifier factory. One line per integration.
 */
import type { IntegrationConfig } from '../config/types';
import type { Notifier, NotifyContext } from '../pipeline/types';
import type { Alert } from '../types/alert';
import type { Logger } from '../types/logger';
import { DiscordNotifier } from './discord/notifier';
import { EmailNotifier } from './email/notifier';
import { IncidentioNotifier } from './incidentio/notifier';
import { JiraNotifier } from './jira/notifier';
import { MattermostNotifier } from './mattermost/notifier';
import { MSTeamsNotifier } from './msteams/notifier';
import { MSTeamsV2Notifier } from './msteamsv2/notifier';
import { OpsGenieNotifier } from './opsgenie/notifier';
import { PagerDutyNotifier } from './pagerduty/notifier';
import { PushoverNotifier } from './pushover/notifier';
import { RocketchatNotifier } from './rocketchat/notifier';
import { rendererFactory } from './shared/render';
import { SlackNotifier } from './slack/notifier';
import { SNSNotifier } from './sns/notifier';
import { TelegramNotifier } from './telegram/notifier';
import { VictorOpsNotifier } from './victorops/notifier';
import { WebexNotifier } from './webex/notifier';
import { WebhookNotifier } from './webhook/notifier';
import { WechatNotifier } from './wechat/notifier';

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
  opsgenie: (cfg, d) => new OpsGenieNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  victorops: (cfg, d) => new VictorOpsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  pushover: (cfg, d) => new PushoverNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  telegram: (cfg, d) => new TelegramNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  discord: (cfg, d) => new DiscordNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  webex: (cfg, d) => new WebexNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  msteams: (cfg, d) => new MSTeamsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  msteamsv2: (cfg, d) => new MSTeamsV2Notifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  wechat: (cfg, d) => new WechatNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  incidentio: (cfg, d) => new IncidentioNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger }),
  rocketchat: (cfg, d) => new RocketchatNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  mattermost: (cfg, d) => new MattermostNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  jira: (cfg, d) => new JiraNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
  sns: (cfg, d) => new SNSNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
};
