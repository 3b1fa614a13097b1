import { defineIntegration } from '../definition';
import { webhookSchema } from './config';
import { WebhookNotifier } from './notifier';

export { buildWebhookPayload, goTime, quoteMeta } from './payload';
export { WebhookNotifier } from './notifier';

/** `webhook_configs` */
export const webhook = defineIntegration({
  type: 'webhook',
  schema: webhookSchema,
  create: (cfg, d) => new WebhookNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger, ...(d.renderText ? { renderUrl: d.renderText } : {}) }),
});
