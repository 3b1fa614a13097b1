import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { opsgenieGlobals, opsgenieSchema } from './config';
import { RETRY_CODES } from './notifier';

export { buildOpsGenieRequests, groupKeyHash, MAX_MESSAGE_RUNES, safeSplit } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `opsgenie_configs` */
export const opsgenie = defineIntegration({
  type: 'opsgenie',
  schema: opsgenieSchema,
  globals: opsgenieGlobals,
  nullItem: false,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).OpsGenieNotifier(cfg, templatedNotifierDeps(d)),
});
