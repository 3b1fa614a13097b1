import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

const G = 'wechat_api_secret: s\nwechat_api_corp_id: corp';

describe('wechat_configs', () => {
  test('defaults and global fallbacks', () => {
    const { settings } = loadIntegration('wechat', 'to_user: u', G);
    expect(settings).toMatchObject({
      send_resolved: false,
      api_url: 'https://qyapi.weixin.qq.com/cgi-bin/',
      corp_id: 'corp',
      message: '{{ template "wechat.default.message" . }}',
      to_user: 'u',
      to_party: '{{ template "wechat.default.to_party" . }}',
      message_type: 'text',
    });
    expect((settings.api_secret as Secret).reveal()).toBe('s');
  });
  test('errors', () => {
    expect(integrationErrors('wechat', 'corp_id: c')).toEqual(['no global Wechat Api Secret set either inline or in a file']);
    expect(integrationErrors('wechat', 'api_secret: s')).toEqual(['no global Wechat CorpID set']);
    expect(integrationErrors('wechat', 'message_type: html', G)).toEqual(['weChat message type "html" does not match valid options ^(text|markdown)$']);
    expect(integrationErrors('wechat', 'api_secret: a\napi_secret_file: /b', G)).toEqual(['at most one of api_secret & api_secret_file must be configured']);
  });
});
