/**
 * @module notifiers/telegram/payload
 * Telegram's sendMessage request as upstream sends it through telebot v3 (notify/telegram/telegram.go): a JSON
 * object of string values (a Go map, so keys are sorted): chat_id, text, disable_web_page_preview "true",
 * disable_notification "true" when set, parse_mode when not empty, message_thread_id when non-zero.
 * With parse_mode HTML the message is rendered with the HTML engine and, when longer than 4096 runes, replaced by
 * upstream's fallback text (its second line starts with three tabs, as in the Go raw string); otherwise it is
 * truncated to 4096 runes.
 */
import { goEncode, sortedMap } from '../../go/json';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';
import { runeCount } from '../../types/runes';

export const MAX_MESSAGE_RUNES = 4096;
export const TOO_LONG_HTML_MESSAGE =
  'Alertmanager notification could not be sent: message length exceeds Telegram limits.\n\t\t\tPlease check the template used for producing the message content.';

export interface TelegramPayloadSettings {
  message?: string;
  parse_mode?: string;
  disable_notifications?: boolean;
  message_thread_id?: number;
}

export interface TelegramBuild {
  body: string;
  /** 'truncated' (non-HTML cut) or 'replaced' (HTML too long); undefined when the message fits */
  overflow?: 'truncated' | 'replaced';
}

export function buildTelegramRequest(s: TelegramPayloadSettings, r: Renderer, chatId: string): TelegramBuild {
  const tmplText = s.message ?? '';
  let text: string;
  let overflow: TelegramBuild['overflow'];
  if (s.parse_mode === 'HTML') {
    text = tmplText ? r.html(tmplText) : '';
    if (text.length > MAX_MESSAGE_RUNES && runeCount(text) > MAX_MESSAGE_RUNES) {
      text = TOO_LONG_HTML_MESSAGE;
      overflow = 'replaced';
    }
  } else {
    const cut = truncateInRunes(tmplText ? r.text(tmplText) : '', MAX_MESSAGE_RUNES);
    text = cut.text;
    if (cut.truncated) overflow = 'truncated';
  }
  const params: Record<string, string> = { chat_id: chatId, text, disable_web_page_preview: 'true' };
  if (s.disable_notifications) params.disable_notification = 'true';
  if (s.parse_mode) params.parse_mode = s.parse_mode;
  if (s.message_thread_id) params.message_thread_id = String(s.message_thread_id);
  return { body: goEncode(sortedMap(params)), ...(overflow ? { overflow } : {}) };
}
