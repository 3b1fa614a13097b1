import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { telegramGlobals, telegramSchema } from './config';
import { TelegramNotifier } from './notifier';

export { TelegramNotifier } from './notifier';
export { buildTelegramRequest, MAX_MESSAGE_RUNES, TOO_LONG_HTML_MESSAGE } from './payload';

/** `telegram_configs` */
export const telegram = defineIntegration({
  type: 'telegram',
  schema: telegramSchema,
  // upstream retries every Telegram failure
  retryCodes: () => 'all',
  globals: telegramGlobals,
  create: (cfg, d) => new TelegramNotifier(cfg, templatedNotifierDeps(d)),
});
