import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { rocketchatGlobals, rocketchatSchema } from './config';
import { RocketchatNotifier } from './notifier';

export { RocketchatNotifier } from './notifier';
export { buildRocketchatMessage, MAX_TITLE_RUNES, postMessageUrl } from './payload';

/** `rocketchat_configs` */
export const rocketchat = defineIntegration({
  type: 'rocketchat',
  schema: rocketchatSchema,
  globals: rocketchatGlobals,
  nullItem: false,
  create: (cfg, d) => new RocketchatNotifier(cfg, templatedNotifierDeps(d)),
});
