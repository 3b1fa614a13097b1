import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { webexGlobals, webexSchema } from './config';

export { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `webex_configs` */
export const webex = defineIntegration({
  type: 'webex',
  schema: webexSchema,
  globals: webexGlobals,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).WebexNotifier(cfg, templatedNotifierDeps(d)),
});
