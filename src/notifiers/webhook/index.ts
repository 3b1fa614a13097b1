import { defineIntegration } from '../definition';
import { webhookSchema } from './config';

export { buildWebhookPayload, goTime, quoteMeta } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `webhook_configs` */
export const webhook = defineIntegration({
  type: 'webhook',
  schema: webhookSchema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).WebhookNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger, ...(d.renderText ? { renderUrl: d.renderText } : {}) }),
});
