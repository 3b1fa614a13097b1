import { integrationErrors, integrationProblems, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('slack_configs', () => {
  test('defaults: template texts, send_resolved false, api_url from global, http_config copied', () => {
    const { settings, loaded } = loadIntegration('slack', 'channel: "#ops"', 'slack_api_url: https://hooks.slack.com/services/X');
    expect(settings).toMatchObject({
      send_resolved: false,
      channel: '#ops',
      username: '{{ template "slack.default.username" . }}',
      color: '{{ template "slack.default.color" . }}',
      title: '{{ template "slack.default.title" . }}',
      title_link: '{{ template "slack.default.titlelink" . }}',
      text: '{{ template "slack.default.text" . }}',
      fallback: '{{ template "slack.default.fallback" . }}',
      app_url: 'https://slack.com/api/chat.postMessage',
      short_fields: false,
      link_names: false,
      update_message: false,
      timeout: 0,
    });
    expect((settings.api_url as Secret).reveal()).toBe('https://hooks.slack.com/services/X');
    expect(settings.http_config).toEqual(loaded.config.global.http_config);
    expect(settings.http_config).not.toBe(loaded.config.global.http_config);
  });
  test('app token: from global when there is no local url or auth', () => {
    const { settings } = loadIntegration('slack', 'channel: "#c"', 'slack_app_token: xoxb-1');
    expect((settings.app_token as Secret).reveal()).toBe('xoxb-1');
    expect(settings.api_url).toBeUndefined();
  });
  test('actions: url clears name/value/confirm', () => {
    const { settings } = loadIntegration(
      'slack',
      'api_url: https://x/\nactions:\n  - {type: button, text: t, url: "https://u", name: n, value: v}\nfields:\n  - {title: a, value: b}',
    );
    expect(settings.actions).toEqual([{ type: 'button', text: 't', url: 'https://u' }]);
    expect(settings.fields).toEqual([{ title: 'a', value: 'b' }]);
  });
  test('a global key used inside the integration gets a hint', () => {
    const [p] = integrationProblems('slack', 'slack_api_url: https://x/');
    expect(p).toMatchObject({ message: 'field slack_api_url not found in slack_config', hint: 'did you mean "api_url"?' });
  });
  test('errors', () => {
    expect(integrationErrors('slack', 'channel: x')).toEqual(['no Slack API URL nor App token set either inline or in a file']);
    expect(integrationErrors('slack', '')).toEqual(['no Slack API URL nor App token set either inline or in a file']);
    expect(integrationErrors('slack', 'api_url: https://x/\napi_url_file: /f')).toEqual(['at most one of api_url & api_url_file must be configured']);
    expect(integrationErrors('slack', 'app_token: a\napp_token_file: /f')).toEqual(['at most one of app_token & app_token_file must be configured']);
    expect(integrationErrors('slack', 'api_url: https://x/\napp_token: a')).toEqual([
      'at most one of api_url/api_url_file & app_token/app_token_file must be configured',
    ]);
    expect(integrationErrors('slack', 'api_url: https://hooks.slack.com/x\nupdate_message: true')).toEqual([
      'update_message can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage',
    ]);
    expect(integrationErrors('slack', 'app_token: a\nhttp_config:\n  authorization: {credentials: b}')).toEqual([
      "http authorization can't be set when using Slack App tokens",
    ]);
    expect(integrationErrors('slack', 'api_url: https://x/\nactions: [{type: button}]')).toEqual(['missing text in Slack action configuration']);
    expect(integrationErrors('slack', 'api_url: https://x/\nactions: [{type: button, text: t}]')).toEqual(['missing name or url in Slack action configuration']);
    expect(integrationErrors('slack', 'api_url: https://x/\nactions: [{text: t}]')).toEqual(['missing type in Slack action configuration']);
    expect(integrationErrors('slack', 'api_url: https://x/\nactions: [{type: b, text: t, name: n, confirm: {title: x}}]')).toEqual([
      'missing text in Slack confirmation configuration',
    ]);
    expect(integrationErrors('slack', 'api_url: https://x/\nfields: [{value: v}]')).toEqual(['missing title in Slack field configuration']);
    expect(integrationErrors('slack', 'api_url: https://x/\nfields: [{title: t}]')).toEqual(['missing value in Slack field configuration']);
    expect(integrationErrors('slack', 'api_url: ftp://x/')).toEqual(['unsupported scheme "ftp" for URL']);
  });
  test('global: token and url conflict unless slack_api_url equals slack_app_url', () => {
    expect(integrationErrors('slack', 'channel: c', 'slack_app_token: t\nslack_api_url: https://hooks/x')).toContain(
      'at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured',
    );
    expect(integrationErrors('slack', 'channel: c', 'slack_app_token: t\nslack_api_url: https://slack.com/api/chat.postMessage')).toEqual([]);
  });
});
