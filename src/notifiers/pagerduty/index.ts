export { buildPagerDutyPayload, dedupKey, MAX_EVENT_BYTES, MAX_SUMMARY_RUNES } from './payload';
export { PagerDutyNotifier } from './notifier';
