import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { mattermostGlobals, mattermostSchema } from './config';

export { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `mattermost_configs` */
export const mattermost = defineIntegration({
  type: 'mattermost',
  schema: mattermostSchema,
  globals: mattermostGlobals,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).MattermostNotifier(cfg, templatedNotifierDeps(d)),
});
