import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('pagerduty_configs', () => {
  test('defaults: url from global, details merged per missing key, source = client', () => {
    const { settings } = loadIntegration('pagerduty', 'routing_key: rk\ndetails:\n  firing: custom\n  extra: "{{ .Status }}"');
    expect(settings).toMatchObject({
      send_resolved: true,
      url: 'https://events.pagerduty.com/v2/enqueue',
      client: '{{ template "pagerduty.default.client" . }}',
      client_url: '{{ template "pagerduty.default.clientURL" . }}',
      description: '{{ template "pagerduty.default.description" .}}',
      source: '{{ template "pagerduty.default.client" . }}',
      details: {
        firing: 'custom',
        extra: '{{ .Status }}',
        resolved: '{{ .Alerts.Resolved | toJson }}',
        num_firing: '{{ .Alerts.Firing | len }}',
        num_resolved: '{{ .Alerts.Resolved | len }}',
      },
    });
    expect((settings.routing_key as Secret).reveal()).toBe('rk');
  });
  test('global pagerduty_url and service_key_file', () => {
    const { settings } = loadIntegration('pagerduty', 'service_key_file: /k', 'pagerduty_url: https://pd.local/enqueue');
    expect(settings.url).toBe('https://pd.local/enqueue');
    expect((settings.service_key as Secret).file).toBe('/k');
  });
  test('errors', () => {
    expect(integrationErrors('pagerduty', 'severity: critical')).toEqual(['missing service or routing key in PagerDuty config']);
    expect(integrationErrors('pagerduty', 'routing_key: a\nrouting_key_file: /b')).toEqual(['at most one of routing_key & routing_key_file must be configured']);
    expect(integrationErrors('pagerduty', 'service_key: a\nservice_key_file: /b')).toEqual(['at most one of service_key & service_key_file must be configured']);
    expect(integrationErrors('pagerduty', 'routing_key: a\nurl: "not a url"')).toEqual(['unsupported scheme "" for URL']);
    expect(integrationErrors('pagerduty', '')).toEqual(['missing pagerduty config']);
  });
});
