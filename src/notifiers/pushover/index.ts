import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { pushoverSchema } from './config';
import { PushoverNotifier } from './notifier';

export { PushoverNotifier } from './notifier';
export { API_URL, buildPushoverQuery, MAX_MESSAGE_RUNES, MAX_TITLE_RUNES, MAX_URL_RUNES } from './payload';

/** `pushover_configs` */
export const pushover = defineIntegration({
  type: 'pushover',
  schema: pushoverSchema,
  create: (cfg, d) => new PushoverNotifier(cfg, templatedNotifierDeps(d)),
});
