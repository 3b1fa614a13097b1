import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { slackGlobals, slackSchema } from './config';

export { buildSlackPayload, MAX_TITLE_RUNES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `slack_configs` */
export const slack = defineIntegration({
  type: 'slack',
  schema: slackSchema,
  globals: slackGlobals,
  nullItem: false,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).SlackNotifier(cfg, templatedNotifierDeps(d)),
});
