import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { webexGlobals, webexSchema } from './config';
import { WebexNotifier } from './notifier';

export { WebexNotifier } from './notifier';
export { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';

/** `webex_configs` */
export const webex = defineIntegration({
  type: 'webex',
  schema: webexSchema,
  globals: webexGlobals,
  create: (cfg, d) => new WebexNotifier(cfg, templatedNotifierDeps(d)),
});
