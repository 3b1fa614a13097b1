import { integrationErrors, loadIntegration } from '../../config/test-helpers';

describe('pushover_configs', () => {
  test('defaults: retry 1m, expire 1h, priority template', () => {
    const { settings, loaded } = loadIntegration('pushover', 'user_key: u\ntoken: t');
    expect(settings).toMatchObject({
      send_resolved: true,
      retry: 60_000,
      expire: 3_600_000,
      html: false,
      monospace: false,
      title: '{{ template "pushover.default.title" . }}',
      message: '{{ template "pushover.default.message" . }}',
      url: '{{ template "pushover.default.url" . }}',
      priority: '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}',
    });
    // Go durations are re-serialised in Go's form
    expect(loaded.original).toContain('retry: 1m0s');
  });
  test('errors', () => {
    expect(integrationErrors('pushover', 'token: t')).toEqual(['one of user_key or user_key_file must be configured']);
    expect(integrationErrors('pushover', 'user_key: u')).toEqual(['one of token or token_file must be configured']);
    expect(integrationErrors('pushover', 'user_key: u\nuser_key_file: /f\ntoken: t')).toEqual(['at most one of user_key & user_key_file must be configured']);
    expect(integrationErrors('pushover', 'user_key: u\ntoken: t\nhtml: true\nmonospace: true')).toEqual(['at most one of monospace & html must be configured']);
    expect(integrationErrors('pushover', 'user_key: u\ntoken: t\nretry: 5x')).toEqual(['time: unknown unit "x" in duration "5x"']);
  });
});
