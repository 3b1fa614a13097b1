export { buildSlackPayload, MAX_TITLE_RUNES } from './payload';
export { SlackNotifier } from './notifier';
