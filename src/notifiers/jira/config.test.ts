import { integrationErrors, loadIntegration } from '../../config/test-helpers';

describe('jira_configs', () => {
  test('defaults; summary as string or object; api_url from global', () => {
    const { settings } = loadIntegration(
      'jira',
      'project: OPS\nissue_type: Bug\nsummary: "{{ .Status }}"\ndescription: {template: d, enable_update: false}\nreopen_duration: 1d\nfields:\n  customfield_1: {value: x}',
      'jira_api_url: https://jira.local/rest/api/2/',
    );
    expect(settings).toMatchObject({
      send_resolved: true,
      api_url: 'https://jira.local/rest/api/2/',
      api_type: 'auto',
      summary: { template: '{{ .Status }}' },
      description: { template: 'd', enable_update: false },
      priority: '{{ template "jira.default.priority" . }}',
      reopen_duration: 86_400_000,
      fields: { customfield_1: { value: 'x' } },
    });
    const d = loadIntegration('jira', 'project: P\nissue_type: Bug\napi_url: https://j/').settings;
    expect(d.summary).toEqual({ template: '{{ template "jira.default.summary" . }}' });
  });
  test('errors', () => {
    const G = 'jira_api_url: https://j/';
    expect(integrationErrors('jira', 'issue_type: Bug', G)).toEqual(['missing project in jira_config']);
    expect(integrationErrors('jira', 'project: P', G)).toEqual(['missing issue_type in jira_config']);
    expect(integrationErrors('jira', 'project: P\nissue_type: B\napi_type: server', G)).toEqual([
      'unknown api_type on jira_config, must be auto, cloud or datacenter',
    ]);
    expect(integrationErrors('jira', 'project: P\nissue_type: B')).toEqual(['no global Jira Cloud URL set']);
  });
});
