import { integrationErrors, loadIntegration } from '../../config/test-helpers';

describe('msteamsv2_configs', () => {
  test('defaults; http_config copied from global', () => {
    const { settings } = loadIntegration('msteamsv2', 'webhook_url: https://x/workflow', 'http_config:\n  proxy_url: http://proxy:3128');
    expect(settings).toMatchObject({
      send_resolved: true,
      title: '{{ template "msteamsv2.default.title" . }}',
      text: '{{ template "msteamsv2.default.text" . }}',
      http_config: { proxy_url: 'http://proxy:3128', follow_redirects: true },
    });
  });
  test('a partial http_config inherits only the global proxy_url', () => {
    const { settings } = loadIntegration(
      'msteamsv2',
      'webhook_url: https://x/w\nhttp_config:\n  follow_redirects: false',
      'http_config:\n  proxy_url: http://proxy:3128\n  enable_http2: false',
    );
    expect(settings.http_config).toMatchObject({ proxy_url: 'http://proxy:3128', follow_redirects: false, enable_http2: true });
  });
  test('errors', () => {
    expect(integrationErrors('msteamsv2', 'title: t')).toEqual(['one of webhook_url or webhook_url_file must be configured']);
  });
});
