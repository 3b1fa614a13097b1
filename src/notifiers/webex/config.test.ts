import { integrationErrors, loadIntegration } from '../../config/test-helpers';

const AUTH = 'http_config:\n  authorization: {credentials: tok}';

describe('webex_configs', () => {
  test('defaults and global webex_api_url', () => {
    const { settings } = loadIntegration('webex', `room_id: r1\n${AUTH}`);
    expect(settings).toMatchObject({
      send_resolved: true,
      api_url: 'https://webexapis.com/v1/messages',
      message: '{{ template "webex.default.message" . }}',
      room_id: 'r1',
      http_config: { authorization: { type: 'Bearer' }, follow_redirects: true },
    });
  });
  test('errors', () => {
    expect(integrationErrors('webex', AUTH)).toEqual(['missing room_id on webex_config']);
    expect(integrationErrors('webex', 'room_id: r')).toEqual(['missing webex_configs.http_config.authorization']);
  });
});
