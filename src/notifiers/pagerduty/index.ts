import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { pagerdutyGlobals, pagerdutySchema } from './config';
import { PagerDutyNotifier, pagerdutyRetryCodes } from './notifier';

export { buildPagerDutyPayload, dedupKey, MAX_EVENT_BYTES, MAX_SUMMARY_RUNES } from './payload';
export { PagerDutyNotifier } from './notifier';

/** `pagerduty_configs` */
export const pagerduty = defineIntegration({
  type: 'pagerduty',
  schema: pagerdutySchema,
  globals: pagerdutyGlobals,
  retryCodes: pagerdutyRetryCodes,
  create: (cfg, d) => new PagerDutyNotifier(cfg, templatedNotifierDeps(d)),
});
