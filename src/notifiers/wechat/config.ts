/**
 * @module notifiers/wechat/config
 * `wechat_configs` (upstream config/notifiers.go WechatConfig and config.go): api_secret (global
 * wechat_api_secret), corp_id (global wechat_api_corp_id), api_url (global, trailing slash), message_type
 * text|markdown. send_resolved: false.
 */
import { given, globalOf, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

export const wechatSchema = objectSchema({
  name: 'wechat_config',
  fields: {
    send_resolved: sendResolved(false),
    http_config: httpConfigField(),
    ...secretPair('api_secret', f.secret({ filled: true })),
    corp_id: f.string({ filled: true }),
    message: f.string({ default: tmpl('wechat.default.message') }),
    api_url: f.url({ filled: true }),
    to_user: f.string({ default: tmpl('wechat.default.to_user') }),
    to_party: f.string({ default: tmpl('wechat.default.to_party') }),
    to_tag: f.string({ default: tmpl('wechat.default.to_tag') }),
    agent_id: f.string({ default: tmpl('wechat.default.agent_id') }),
    message_type: f.string({ default: 'text' }),
  },
  check(o, at) {
    if (o.message_type === '') o.message_type = 'text';
    if (!/^(text|markdown)$/.test(o.message_type as string)) {
      at.failField('message_type', `weChat message type "${o.message_type}" does not match valid options ^(text|markdown)$`);
    }
    inheritHttpConfig(o, at);
    const g = globalOf(at);
    if (!given(o, at, 'api_url')) o.api_url = g.wechat_api_url;
    if (!given(o, at, 'api_url')) at.fail('no global Wechat URL set');
    if (!given(o, at, 'api_secret')) {
      if (g.wechat_api_secret === undefined) at.fail('no global Wechat Api Secret set either inline or in a file', 'set api_secret here or wechat_api_secret in the global block');
      else {
        o.api_secret = g.wechat_api_secret;
        if (g.wechat_api_secret_file !== undefined) o.api_secret_file = g.wechat_api_secret_file;
      }
    }
    if (!given(o, at, 'corp_id') || o.corp_id === '') o.corp_id = g.wechat_api_corp_id;
    if (!o.corp_id) at.fail('no global Wechat CorpID set', 'set corp_id here or wechat_api_corp_id in the global block');
    if (typeof o.api_url === 'string' && !new URL(o.api_url).pathname.endsWith('/')) o.api_url = `${o.api_url}/`;
  },
});

/** The validated settings of one `wechat_configs` entry: defaults and global fallbacks applied. */
export type WechatSettings = Decoded<typeof wechatSchema>;

/** The `global` keys `wechat_configs` fall back to (upstream config.go GlobalConfig). */
export const wechatGlobals: IntegrationGlobals = {
  fields: {
    wechat_api_url: f.url({ default: 'https://qyapi.weixin.qq.com/cgi-bin/' }),
    ...secretPair('wechat_api_secret'),
    wechat_api_corp_id: f.string(),
  },
};
