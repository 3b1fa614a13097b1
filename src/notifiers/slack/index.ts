import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { slackGlobals, slackSchema } from './config';
import { SlackNotifier } from './notifier';

export { buildSlackPayload, MAX_TITLE_RUNES } from './payload';
export { SlackNotifier } from './notifier';

/** `slack_configs` */
export const slack = defineIntegration({
  type: 'slack',
  schema: slackSchema,
  globals: slackGlobals,
  nullItem: false,
  create: (cfg, d) => new SlackNotifier(cfg, templatedNotifierDeps(d)),
});
