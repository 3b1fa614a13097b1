import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('opsgenie_configs', () => {
  test('defaults and global api key / url (trailing slash enforced)', () => {
    const { settings } = loadIntegration('opsgenie', 'responders:\n  - {name: ops, type: Team}', 'opsgenie_api_key: k\nopsgenie_api_url: https://og.local/api');
    expect(settings).toMatchObject({
      send_resolved: true,
      api_url: 'https://og.local/api/',
      message: '{{ template "opsgenie.default.message" . }}',
      description: '{{ template "opsgenie.default.description" . }}',
      source: '{{ template "opsgenie.default.source" . }}',
      update_alerts: false,
      // validated lower-cased, kept as written (upstream lower-cases only a copy)
      responders: [{ name: 'ops', type: 'Team' }],
    });
    expect((settings.api_key as Secret).reveal()).toBe('k');
  });
  test('errors', () => {
    expect(integrationErrors('opsgenie', 'message: x')).toEqual(['no global OpsGenie API Key set either inline or in a file']);
    expect(integrationErrors('opsgenie', '')).toEqual(['no global OpsGenie API Key set either inline or in a file']);
    expect(integrationErrors('opsgenie', 'api_key: a\napi_key_file: /b')).toEqual(['at most one of api_key & api_key_file must be configured']);
    expect(integrationErrors('opsgenie', 'api_key: a\nresponders: [{type: team}]')).toEqual([
      'opsGenieConfig responder {   team} has to have at least one of id, username or name specified',
    ]);
    expect(integrationErrors('opsgenie', 'api_key: a\nresponders: [{name: x, type: squad}]')).toEqual([
      'opsGenieConfig responder { x  squad} type does not match valid options ^(team|teams|user|escalation|schedule)$',
    ]);
    expect(integrationErrors('opsgenie', 'api_key: a\nresponders: [{name: x, type: "{{ .CommonLabels.t }}"}]')).toEqual([]);
    expect(integrationErrors('opsgenie', 'api_key: a\nresponders: [{name: x, type: "{{ .CommonLabels.t "}]')).toEqual([
      'opsGenieConfig responder { x  {{ .CommonLabels.t } type contains invalid template syntax: template: :1: unclosed action',
    ]);
  });
});
