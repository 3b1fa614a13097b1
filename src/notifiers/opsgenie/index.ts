import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { opsgenieGlobals, opsgenieSchema } from './config';
import { OpsGenieNotifier, RETRY_CODES } from './notifier';

export { OpsGenieNotifier } from './notifier';
export { buildOpsGenieRequests, groupKeyHash, MAX_MESSAGE_RUNES, safeSplit } from './payload';

/** `opsgenie_configs` */
export const opsgenie = defineIntegration({
  type: 'opsgenie',
  schema: opsgenieSchema,
  globals: opsgenieGlobals,
  nullItem: false,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new OpsGenieNotifier(cfg, templatedNotifierDeps(d)),
});
