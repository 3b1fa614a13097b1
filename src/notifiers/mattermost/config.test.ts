import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('mattermost_configs', () => {
  test('defaults and global webhook url', () => {
    const { settings } = loadIntegration('mattermost', 'channel: town', 'mattermost_webhook_url: https://mm.local/hooks/x');
    expect(settings).toMatchObject({
      send_resolved: true,
      username: '{{ template "mattermost.default.username" . }}',
      color: '{{ template "mattermost.default.color" . }}',
      text: '{{ template "mattermost.default.text" . }}',
      title: '{{ template "mattermost.default.title" . }}',
      title_link: '{{ template "mattermost.default.titlelink" . }}',
      fallback: '{{ template "mattermost.default.fallback" . }}',
    });
    expect((settings.webhook_url as Secret).reveal()).toBe('https://mm.local/hooks/x');
  });
  test('errors', () => {
    expect(integrationErrors('mattermost', 'channel: c')).toEqual(['missing webhook_url or webhook_url_file on mattermost_config']);
    expect(integrationErrors('mattermost', 'webhook_url: https://x/\nwebhook_url_file: /f')).toEqual([
      'at most one of webhook_url & webhook_url_file must be configured',
    ]);
    expect(integrationErrors('mattermost', 'channel: c', 'mattermost_webhook_url: https://x/\nmattermost_webhook_url_file: /f')).toEqual([
      'at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured',
    ]);
    expect(integrationErrors('mattermost', 'webhook_url: https://x/\nfields: [{title: t}]')).toEqual(['missing value in Mattermost field configuration']);
  });
});
