import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { victoropsGlobals, victoropsSchema } from './config';

export { buildVictorOpsMessage, goEscapePath, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `victorops_configs` */
export const victorops = defineIntegration({
  type: 'victorops',
  schema: victoropsSchema,
  globals: victoropsGlobals,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).VictorOpsNotifier(cfg, templatedNotifierDeps(d)),
});
