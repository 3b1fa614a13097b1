import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { victoropsGlobals, victoropsSchema } from './config';
import { VictorOpsNotifier } from './notifier';

export { VictorOpsNotifier } from './notifier';
export { buildVictorOpsMessage, goEscapePath, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

/** `victorops_configs` */
export const victorops = defineIntegration({
  type: 'victorops',
  schema: victoropsSchema,
  globals: victoropsGlobals,
  create: (cfg, d) => new VictorOpsNotifier(cfg, templatedNotifierDeps(d)),
});
