import type { Secret } from '../types/secret';
import { integrationErrors, loadIntegration } from './test-helpers';

/**
 * `x: ""` for a secret, a file or a host:port is Go's zero value, so upstream treats it as unset: the global
 * fallback applies, or the field is reported missing (config.go). Tocsin used to keep it as "given", so the
 * config loaded without the value and the notifier failed at send time.
 */
describe('an empty secret or host:port counts as unset', () => {
  test.each([
    ['email', 'to: a@b\nsmarthost: ""\nfrom: a@b', 'no global SMTP smarthost set'],
    ['telegram', 'chat_id: 1\nbot_token: ""', 'missing bot_token or bot_token_file on telegram_config'],
    ['opsgenie', 'api_key: ""', 'no global OpsGenie API Key set either inline or in a file'],
    ['victorops', 'routing_key: x\napi_key: ""', 'no global VictorOps API Key set'],
    ['wechat', 'api_secret: ""\ncorp_id: c', 'no global Wechat Api Secret set either inline or in a file'],
  ])('%s: reported missing without a global', (type, item, message) => {
    expect(integrationErrors(type, item)).toEqual([message]);
  });

  test('the global value applies instead', () => {
    const t = loadIntegration('telegram', 'chat_id: 1\nbot_token: ""', 'telegram_bot_token: from-global').settings;
    expect((t.bot_token as Secret).reveal()).toBe('from-global');
    const o = loadIntegration('opsgenie', 'api_key: ""', 'opsgenie_api_key: og-global').settings;
    expect((o.api_key as Secret).reveal()).toBe('og-global');
    const e = loadIntegration('email', 'to: a@b\nfrom: a@b\nsmarthost: ""', 'smtp_smarthost: mail:25').settings;
    expect(e.smarthost).toBe('mail:25');
  });

  test('a value that fails to decode is still one problem, not also "missing"', () => {
    expect(integrationErrors('mattermost', 'webhook_url: ""')).toEqual(['unsupported scheme "" for URL']);
  });
});
