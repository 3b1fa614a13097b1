import { integrationErrors, loadIntegration } from '../../config/test-helpers';

describe('msteams_configs', () => {
  test('defaults', () => {
    const { settings } = loadIntegration('msteams', 'webhook_url: https://outlook.office.com/webhook/x');
    expect(settings).toMatchObject({
      send_resolved: true,
      title: '{{ template "msteams.default.title" . }}',
      summary: '{{ template "msteams.default.summary" . }}',
      text: '{{ template "msteams.default.text" . }}',
    });
  });
  test('errors', () => {
    expect(integrationErrors('msteams', 'title: t')).toEqual(['one of webhook_url or webhook_url_file must be configured']);
    expect(integrationErrors('msteams', 'webhook_url: https://x/\nwebhook_url_file: /f')).toEqual(['at most one of webhook_url & webhook_url_file must be configured']);
    expect(integrationErrors('msteams', '')).toEqual(['missing msteams config']);
  });
});
