import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { telegramGlobals, telegramSchema } from './config';

export { buildTelegramRequest, MAX_MESSAGE_RUNES, TOO_LONG_HTML_MESSAGE } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `telegram_configs` */
export const telegram = defineIntegration({
  type: 'telegram',
  schema: telegramSchema,
  // upstream retries every Telegram failure
  retryCodes: () => 'all',
  globals: telegramGlobals,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).TelegramNotifier(cfg, templatedNotifierDeps(d)),
});
