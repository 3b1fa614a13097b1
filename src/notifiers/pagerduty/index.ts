import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { pagerdutyGlobals, pagerdutySchema } from './config';
import { pagerdutyRetryCodes } from './notifier';

export { buildPagerDutyPayload, dedupKey, MAX_EVENT_BYTES, MAX_SUMMARY_RUNES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `pagerduty_configs` */
export const pagerduty = defineIntegration({
  type: 'pagerduty',
  schema: pagerdutySchema,
  globals: pagerdutyGlobals,
  retryCodes: pagerdutyRetryCodes,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).PagerDutyNotifier(cfg, templatedNotifierDeps(d)),
});
