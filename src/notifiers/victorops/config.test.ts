import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('victorops_configs', () => {
  test('defaults and global api key / url', () => {
    const { settings } = loadIntegration('victorops', 'routing_key: team', 'victorops_api_key: k');
    expect(settings).toMatchObject({
      send_resolved: true,
      api_url: 'https://alert.victorops.com/integrations/generic/20131114/alert/',
      routing_key: 'team',
      message_type: 'CRITICAL',
      state_message: '{{ template "victorops.default.state_message" . }}',
      entity_display_name: '{{ template "victorops.default.entity_display_name" . }}',
      monitoring_tool: '{{ template "victorops.default.monitoring_tool" . }}',
    });
    expect((settings.api_key as Secret).reveal()).toBe('k');
  });
  test('errors', () => {
    expect(integrationErrors('victorops', 'api_key: k')).toEqual(['missing Routing key in VictorOps config']);
    expect(integrationErrors('victorops', 'routing_key: r')).toEqual(['no global VictorOps API Key set']);
    expect(integrationErrors('victorops', 'routing_key: r\napi_key: a\napi_key_file: /b')).toEqual(['at most one of api_key & api_key_file must be configured']);
    expect(integrationErrors('victorops', 'routing_key: r\napi_key: a\ncustom_fields: {entity_state: x}')).toEqual([
      'victorOps config contains custom field entity_state which cannot be used as it conflicts with the fixed/static fields',
    ]);
    expect(integrationErrors('victorops', '')).toEqual(['missing victorops config']);
  });
});
