export { MattermostNotifier } from './notifier';
export { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';
