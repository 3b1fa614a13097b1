import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { mattermostGlobals, mattermostSchema } from './config';
import { MattermostNotifier } from './notifier';

export { MattermostNotifier } from './notifier';
export { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';

/** `mattermost_configs` */
export const mattermost = defineIntegration({
  type: 'mattermost',
  schema: mattermostSchema,
  globals: mattermostGlobals,
  create: (cfg, d) => new MattermostNotifier(cfg, templatedNotifierDeps(d)),
});
