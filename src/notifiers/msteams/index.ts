import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { msteamsSchema } from './config';
import { MSTeamsNotifier } from './notifier';

export { MSTeamsNotifier } from './notifier';
export { buildMSTeamsMessage, COLOR_FIRING, COLOR_RESOLVED } from './payload';

/** `msteams_configs` */
export const msteams = defineIntegration({
  type: 'msteams',
  schema: msteamsSchema,
  create: (cfg, d) => new MSTeamsNotifier(cfg, templatedNotifierDeps(d)),
});
