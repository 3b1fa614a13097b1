/**
 * @module notifiers/telegram/config
 * `telegram_configs` (upstream notify/telegram/config.go and config.go): bot_token (global telegram_bot_token),
 * chat_id or chat_id_file, parse_mode HTML by default. send_resolved: true.
 */
import { given, globalOf, inherit, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

export const telegramSchema = objectSchema({
  name: 'telegram_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    api_url: f.url({ filled: true }),
    ...secretPair('bot_token', f.secret({ filled: true })),
    chat_id: f.int(),
    chat_id_file: f.file(),
    message_thread_id: f.int(),
    message: f.string({ default: tmpl('telegram.default.message') }),
    disable_notifications: f.bool({ default: false }),
    parse_mode: f.string({ default: 'HTML' }),
  },
  check(o, at) {
    const chat = o.chat_id !== undefined && o.chat_id !== 0;
    // chat_id 0 counts as unset (Go zero value); a chat_id that failed to decode already has its error
    const undecodable = o.chat_id === undefined && at.has('chat_id');
    if (!chat && !undecodable && o.chat_id_file === undefined) at.fail('missing chat_id or chat_id_file on telegram_config');
    if (chat && o.chat_id_file !== undefined) at.failField('chat_id_file', 'at most one of chat_id & chat_id_file must be configured');
    const pm = o.parse_mode as string;
    if (pm !== '' && pm !== 'Markdown' && pm !== 'MarkdownV2' && pm !== 'HTML') {
      at.failField('parse_mode', 'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string');
    }
    inheritHttpConfig(o, at);
    inherit(o, at, 'api_url', 'telegram_api_url');
    if (!given(o, at, 'bot_token')) {
      const g = globalOf(at);
      if (g.telegram_bot_token === undefined) at.fail('missing bot_token or bot_token_file on telegram_config', 'set bot_token here or telegram_bot_token in the global block');
      else {
        o.bot_token = g.telegram_bot_token;
        if (g.telegram_bot_token_file !== undefined) o.bot_token_file = g.telegram_bot_token_file;
      }
    }
  },
});

/** The validated settings of one `telegram_configs` entry: defaults and global fallbacks applied. */
export type TelegramSettings = Decoded<typeof telegramSchema>;

/** The `global` keys `telegram_configs` fall back to (upstream config.go GlobalConfig). */
export const telegramGlobals: IntegrationGlobals = {
  fields: {
    telegram_api_url: f.url({ default: 'https://api.telegram.org' }),
    ...secretPair('telegram_bot_token'),
  },
};
