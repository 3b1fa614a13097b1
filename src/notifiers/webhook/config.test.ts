import { integrationErrors, integrationProblems, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('webhook_configs', () => {
  test('defaults: send_resolved true, http_config from global, max_alerts 0, timeout 0', () => {
    const { settings, loaded } = loadIntegration('webhook', 'url: http://127.0.0.1:5001/hook');
    expect(settings.send_resolved).toBe(true);
    expect(settings.max_alerts).toBe(0);
    expect(settings.timeout).toBe(0);
    expect((settings.url as Secret).reveal()).toBe('http://127.0.0.1:5001/hook');
    expect(settings.http_config).toEqual(loaded.config.global.http_config);
    expect(settings.http_config).not.toBe(loaded.config.global.http_config);
  });
  test('an explicit null http_config still inherits the global one', () => {
    const { settings } = loadIntegration('webhook', 'url: http://a/\nhttp_config:', 'http_config:\n  follow_redirects: false');
    expect(settings.http_config).toMatchObject({ follow_redirects: false, enable_http2: true });
  });
  test('http_config header files resolve against the config directory', () => {
    const { settings } = loadIntegration('webhook', 'url: http://a/\nhttp_config:\n  http_headers:\n    X-Token: {files: [tok.txt]}');
    expect(settings.http_config).toMatchObject({ http_headers: { 'X-Token': { files: ['/etc/tocsin/tok.txt'] } } });
  });
  test('http_config rules: exclusive auth, TLS version names', () => {
    expect(integrationErrors('webhook', 'url: http://a/\nhttp_config:\n  basic_auth: {username: u}\n  oauth2: {client_id: c, token_url: "http://t/"}')).toEqual([
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ]);
    expect(integrationErrors('webhook', 'url: http://a/\nhttp_config:\n  tls_config: {min_version: TLS14}')).toEqual(['unknown TLS version: TLS14']);
    expect(integrationErrors('webhook', 'url: http://a/\nhttp_config:\n  authorization: {type: Basic, credentials: x}')).toEqual([
      'authorization type cannot be set to "basic", use "basic_auth" instead',
    ]);
    const { settings } = loadIntegration('webhook', 'url: http://a/\nhttp_config:\n  bearer_token: tok');
    expect(settings.http_config).toMatchObject({ authorization: { type: 'Bearer' } });
  });
  test('url_file is resolved against the config directory', () => {
    const { settings } = loadIntegration('webhook', 'url_file: secrets/hook');
    expect(settings.url_file).toBe('/etc/tocsin/secrets/hook');
    expect((settings.url as Secret).file).toBe('/etc/tocsin/secrets/hook');
  });
  test('templated url is accepted; bad template syntax is not', () => {
    expect(integrationErrors('webhook', 'url: "http://x/{{ .GroupLabels.team }}"')).toEqual([]);
    expect(integrationErrors('webhook', 'url: "http://x/{{ .GroupLabels.team"')).toEqual(['invalid template syntax: template: :1: unclosed action']);
    // like upstream, the check knows only Go's builtin functions
    expect(integrationErrors('webhook', 'url: "http://x/{{ .A | toUpper }}"')).toEqual(['invalid template syntax: template: :1: function "toUpper" not defined']);
  });
  test('errors: missing, both, bad scheme', () => {
    expect(integrationErrors('webhook', 'send_resolved: false')).toEqual(['one of url or url_file must be configured']);
    expect(integrationErrors('webhook', 'url: http://a/\nurl_file: /x')).toEqual(['at most one of url & url_file must be configured']);
    const [p] = integrationProblems('webhook', 'url: ftp://a/');
    expect(p).toMatchObject({ message: 'invalid URL: unsupported scheme "ftp" for URL', path: 'receivers[0].webhook_configs[0].url', line: 7 });
  });
  test('timeout is a Go duration; payload is free YAML', () => {
    const { settings } = loadIntegration('webhook', 'url: http://a/\ntimeout: 1.5s\npayload:\n  text: "{{ .Status }}"\n  count: [1, 2]');
    expect(settings.timeout).toBe(1500);
    expect(settings.payload).toEqual({ text: '{{ .Status }}', count: [1, 2] });
  });
  test('a null list item is "missing webhook config"', () => {
    expect(integrationErrors('webhook', '')).toEqual(['missing webhook config']);
  });
});
