import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { msteamsv2Schema } from './config';
import { MSTeamsV2Notifier } from './notifier';

export { MSTeamsV2Notifier } from './notifier';
export { buildMSTeamsV2Message } from './payload';

/** `msteamsv2_configs` */
export const msteamsv2 = defineIntegration({
  type: 'msteamsv2',
  schema: msteamsv2Schema,
  create: (cfg, d) => new MSTeamsV2Notifier(cfg, templatedNotifierDeps(d)),
});
