import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('rocketchat_configs', () => {
  test('defaults and global token / token_id / api_url', () => {
    const { settings } = loadIntegration('rocketchat', 'channel: "#ops"', 'rocketchat_token: t\nrocketchat_token_id_file: /id');
    expect(settings).toMatchObject({
      send_resolved: false,
      api_url: 'https://open.rocket.chat/',
      color: '{{ if eq .Status "firing" }}red{{ else }}green{{ end }}',
      title: '{{ template "rocketchat.default.title" . }}',
      emoji: '{{ template "rocketchat.default.emoji" . }}',
      token_id_file: '/id',
    });
    expect((settings.token as Secret).reveal()).toBe('t');
    expect((settings.token_id as Secret).file).toBe('/id');
  });
  test('errors', () => {
    expect(integrationErrors('rocketchat', 'token: t')).toEqual(['no global Rocketchat TokenID set either inline or in a file']);
    expect(integrationErrors('rocketchat', 'token_id: i')).toEqual(['no global Rocketchat Token set either inline or in a file']);
    expect(integrationErrors('rocketchat', 'token: a\ntoken_file: /b\ntoken_id: i')).toEqual(['at most one of token & token_file must be configured']);
    expect(integrationErrors('rocketchat', '', 'rocketchat_token: a\nrocketchat_token_file: /b\nrocketchat_token_id: i')).toEqual([
      'at most one of rocketchat_token & rocketchat_token_file must be configured',
    ]);
  });
});
