import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { snsSchema } from './config';

export { buildPublishBody, MAX_MESSAGE_BYTES, MAX_SMS_BYTES } from './payload';
export { resolveCredentials, signV4 } from './sigv4';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `sns_configs` */
export const sns = defineIntegration({
  type: 'sns',
  schema: snsSchema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).SNSNotifier(cfg, templatedNotifierDeps(d)),
});
