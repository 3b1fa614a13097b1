/**
 * @module config/global
 * The `global` block (§1.3; upstream config/config.go GlobalConfig and DefaultGlobalConfig). Secret pairs
 * (`x` / `x_file`) report `at most one of x & x_file must be configured`.
 */
import { defaultHttpConfig, httpConfigSchema, tlsConfigSchema } from '../notifiers/shared/http-config';
import { f, type ObjectSchema, SECRET_TOKEN, secretPair } from '../schema/schema';
import type { Secret } from '../types/secret';

export const globalSchema: ObjectSchema = {
  name: 'global',
  fields: {
    resolve_timeout: f.duration({ default: 5 * 60_000 }),
    http_config: { ...f.object(httpConfigSchema), default: defaultHttpConfig },
    jira_api_url: f.url(),
    smtp_from: f.string(),
    smtp_hello: f.string({ default: 'localhost' }),
    smtp_smarthost: f.hostPort(),
    smtp_auth_username: f.string(),
    ...secretPair('smtp_auth_password'),
    ...secretPair('smtp_auth_secret'),
    smtp_auth_identity: f.string(),
    smtp_require_tls: f.bool({ default: true }),
    smtp_tls_config: f.object(tlsConfigSchema, { default: true }),
    smtp_force_implicit_tls: f.bool(),
    ...secretPair('slack_api_url', 'secret-url'),
    ...secretPair('slack_app_token'),
    slack_app_url: f.url({ default: 'https://slack.com/api/chat.postMessage' }),
    pagerduty_url: f.url({ default: 'https://events.pagerduty.com/v2/enqueue' }),
    opsgenie_api_url: f.url({ default: 'https://api.opsgenie.com/' }),
    ...secretPair('opsgenie_api_key'),
    wechat_api_url: f.url({ default: 'https://qyapi.weixin.qq.com/cgi-bin/' }),
    ...secretPair('wechat_api_secret'),
    wechat_api_corp_id: f.string(),
    victorops_api_url: f.url({ default: 'https://alert.victorops.com/integrations/generic/20131114/alert/' }),
    ...secretPair('victorops_api_key'),
    telegram_api_url: f.url({ default: 'https://api.telegram.org' }),
    ...secretPair('telegram_bot_token'),
    webex_api_url: f.url({ default: 'https://webexapis.com/v1/messages' }),
    rocketchat_api_url: f.url({ default: 'https://open.rocket.chat/' }),
    ...secretPair('rocketchat_token'),
    ...secretPair('rocketchat_token_id'),
    ...secretPair('mattermost_webhook_url', 'secret-url'),
  },
  check(o, at) {
    const token = at.has('slack_app_token') || at.has('slack_app_token_file');
    const url = at.has('slack_api_url') || at.has('slack_api_url_file');
    // transition from the issue 2513 workaround: slack_api_url equal to slack_app_url is allowed with a token
    const api = o.slack_api_url as Secret | undefined;
    // `<secret>` is what `original` shows for it: accept it so a re-serialised config reloads
    const same = api !== undefined && api.file === undefined && (api.reveal() === o.slack_app_url || api.reveal() === SECRET_TOKEN);
    if (token && url && !same) {
      at.fail('at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured');
    }
  },
};
