import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { rocketchatGlobals, rocketchatSchema } from './config';

export { buildRocketchatMessage, MAX_TITLE_RUNES, postMessageUrl } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `rocketchat_configs` */
export const rocketchat = defineIntegration({
  type: 'rocketchat',
  schema: rocketchatSchema,
  globals: rocketchatGlobals,
  nullItem: false,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).RocketchatNotifier(cfg, templatedNotifierDeps(d)),
});
