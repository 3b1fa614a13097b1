import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { msteamsv2Schema } from './config';

export { buildMSTeamsV2Message } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `msteamsv2_configs` */
export const msteamsv2 = defineIntegration({
  type: 'msteamsv2',
  schema: msteamsv2Schema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).MSTeamsV2Notifier(cfg, templatedNotifierDeps(d)),
});
