import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { snsSchema } from './config';
import { SNSNotifier } from './notifier';

export { SNSNotifier } from './notifier';
export { buildPublishBody, MAX_MESSAGE_BYTES, MAX_SMS_BYTES } from './payload';
export { resolveCredentials, signV4 } from './sigv4';

/** `sns_configs` */
export const sns = defineIntegration({
  type: 'sns',
  schema: snsSchema,
  create: (cfg, d) => new SNSNotifier(cfg, templatedNotifierDeps(d)),
});
