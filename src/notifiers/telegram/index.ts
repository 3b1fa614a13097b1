export { TelegramNotifier } from './notifier';
export { buildTelegramRequest, MAX_MESSAGE_RUNES, TOO_LONG_HTML_MESSAGE } from './payload';
