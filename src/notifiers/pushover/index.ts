import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { pushoverSchema } from './config';

export { API_URL, buildPushoverQuery, MAX_MESSAGE_RUNES, MAX_TITLE_RUNES, MAX_URL_RUNES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `pushover_configs` */
export const pushover = defineIntegration({
  type: 'pushover',
  schema: pushoverSchema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).PushoverNotifier(cfg, templatedNotifierDeps(d)),
});
