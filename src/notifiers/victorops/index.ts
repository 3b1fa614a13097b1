import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
import { victoropsGlobals, victoropsSchema } from './config';
import { VictorOpsNotifier } from './notifier';

export { VictorOpsNotifier } from './notifier';
export { buildVictorOpsMessage, goEscapePath, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

/** `victorops_configs` */
export const victorops = defineIntegration({
  type: 'victorops',
  schema: victoropsSchema,
  globals: victoropsGlobals,
  create: (cfg, d) => new VictorOpsNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
