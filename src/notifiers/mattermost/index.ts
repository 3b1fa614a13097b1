import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
import { mattermostGlobals, mattermostSchema } from './config';
import { MattermostNotifier } from './notifier';

export { MattermostNotifier } from './notifier';
export { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';

/** `mattermost_configs` */
export const mattermost = defineIntegration({
  type: 'mattermost',
  schema: mattermostSchema,
  globals: mattermostGlobals,
  create: (cfg, d) => new MattermostNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
