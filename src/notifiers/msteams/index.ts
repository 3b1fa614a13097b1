import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { msteamsSchema } from './config';

export { buildMSTeamsMessage, COLOR_FIRING, COLOR_RESOLVED } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `msteams_configs` */
export const msteams = defineIntegration({
  type: 'msteams',
  schema: msteamsSchema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).MSTeamsNotifier(cfg, templatedNotifierDeps(d)),
});
