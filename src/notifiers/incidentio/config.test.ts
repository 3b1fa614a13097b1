import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('incidentio_configs', () => {
  test('defaults', () => {
    const { settings } = loadIntegration('incidentio', 'url: https://api.incident.io/v2/alert_events/http/x\nalert_source_token: tok');
    expect(settings).toMatchObject({ send_resolved: true, max_alerts: 0, timeout: 0 });
    expect((settings.alert_source_token as Secret).reveal()).toBe('tok');
  });
  test('errors', () => {
    expect(integrationErrors('incidentio', 'alert_source_token: t')).toEqual(['one of url or url_file must be configured']);
    expect(integrationErrors('incidentio', 'url: https://x/\nurl_file: /f\nalert_source_token: t')).toEqual(['at most one of url & url_file must be configured']);
    expect(integrationErrors('incidentio', 'url: https://x/\nalert_source_token: a\nalert_source_token_file: /b')).toEqual([
      'at most one of alert_source_token & alert_source_token_file must be configured',
    ]);
    expect(integrationErrors('incidentio', 'url: https://x/\nalert_source_token: a\nhttp_config: {authorization: {credentials: c}}')).toEqual([
      'cannot specify alert_source_token or alert_source_token_file when using http_config.authorization',
    ]);
    expect(integrationErrors('incidentio', 'url: https://x/\nhttp_config: {follow_redirects: true}')).toEqual([
      'at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured',
    ]);
  });
});
