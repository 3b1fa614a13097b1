export { PushoverNotifier } from './notifier';
export { API_URL, buildPushoverQuery, MAX_MESSAGE_RUNES, MAX_TITLE_RUNES, MAX_URL_RUNES } from './payload';
