import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
import { msteamsSchema } from './config';
import { MSTeamsNotifier } from './notifier';

export { MSTeamsNotifier } from './notifier';
export { buildMSTeamsMessage, COLOR_FIRING, COLOR_RESOLVED } from './payload';

/** `msteams_configs` */
export const msteams = defineIntegration({
  type: 'msteams',
  schema: msteamsSchema,
  create: (cfg, d) => new MSTeamsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
