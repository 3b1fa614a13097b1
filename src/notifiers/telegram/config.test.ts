import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('telegram_configs', () => {
  test('defaults and global bot token / api url', () => {
    const { settings } = loadIntegration('telegram', 'chat_id: -1001', 'telegram_bot_token: bt');
    expect(settings).toMatchObject({
      send_resolved: true,
      api_url: 'https://api.telegram.org',
      chat_id: -1001,
      parse_mode: 'HTML',
      disable_notifications: false,
      message: '{{ template "telegram.default.message" . }}',
    });
    expect((settings.bot_token as Secret).reveal()).toBe('bt');
  });
  test('errors', () => {
    expect(integrationErrors('telegram', 'chat_id: 1')).toEqual(['missing bot_token or bot_token_file on telegram_config']);
    expect(integrationErrors('telegram', 'bot_token: b')).toEqual(['missing chat_id or chat_id_file on telegram_config']);
    expect(integrationErrors('telegram', 'bot_token: b\nchat_id: 0')).toEqual(['missing chat_id or chat_id_file on telegram_config']);
    expect(integrationErrors('telegram', 'bot_token: b\nchat_id_file: chat.txt')).toEqual([]);
    expect(integrationErrors('telegram', 'bot_token: b\nchat_id: 1\nchat_id_file: /c')).toEqual(['at most one of chat_id & chat_id_file must be configured']);
    expect(integrationErrors('telegram', 'bot_token: b\nbot_token_file: /f\nchat_id: 1')).toEqual(['at most one of bot_token & bot_token_file must be configured']);
    expect(integrationErrors('telegram', 'bot_token: b\nchat_id: 1\nparse_mode: Text')).toEqual([
      'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string',
    ]);
    expect(integrationErrors('telegram', 'bot_token: b\nchat_id: abc')).toEqual(['cannot unmarshal !!str `abc` into int']);
  });
});
