/**
 * @module notifiers/slack/config
 * `slack_configs` (upstream config/notifiers.go SlackConfig and the Slack branch of config.go). Webhook URL
 * (api_url/api_url_file, global slack_api_url) or app token (app_token/app_token_file, global slack_app_token);
 * with an app token the request goes to app_url with `Authorization: Bearer <app_token>` (the notifier does
 * this; settings keep api_url unset). send_resolved: false.
 */
import { cloneValue, given, globalOf, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair, SECRET_TOKEN } from '../../schema/schema';
import type { Secret } from '../../types/secret';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

const POST_MESSAGE_URL = 'https://slack.com/api/chat.postMessage';

const confirmSchema = objectSchema({
  name: 'slack confirm',
  fields: { text: f.string(), title: f.string(), ok_text: f.string(), dismiss_text: f.string() },
  check(o, at) {
    if (!o.text) at.fail('missing text in Slack confirmation configuration');
  },
});

const actionSchema = objectSchema({
  name: 'slack action',
  fields: {
    type: f.string(),
    text: f.string(),
    url: f.string(),
    style: f.string(),
    name: f.string(),
    value: f.string(),
    confirm: f.object(confirmSchema),
  },
  check(o, at) {
    if (!o.type) at.fail('missing type in Slack action configuration');
    else if (!o.text) at.fail('missing text in Slack action configuration');
    else if (o.url) {
      // a URL button: message-action fields are cleared (upstream SlackAction.UnmarshalYAML)
      delete o.name;
      delete o.value;
      delete o.confirm;
    } else if (!o.name) at.fail('missing name or url in Slack action configuration');
  },
});

const fieldSchema = objectSchema({
  name: 'slack field',
  fields: { title: f.string(), value: f.string(), short: f.bool() },
  check(o, at) {
    if (!o.title) at.fail('missing title in Slack field configuration');
    else if (!o.value) at.fail('missing value in Slack field configuration');
  },
});

export const slackSchema = objectSchema({
  name: 'slack_config',
  fields: {
    send_resolved: sendResolved(false),
    http_config: httpConfigField(),
    ...secretPair('api_url', 'secret-url'),
    ...secretPair('app_token'),
    app_url: f.url({ filled: true }),
    channel: f.string(),
    username: f.string({ default: tmpl('slack.default.username') }),
    color: f.string({ default: tmpl('slack.default.color') }),
    title: f.string({ default: tmpl('slack.default.title') }),
    title_link: f.string({ default: tmpl('slack.default.titlelink') }),
    pretext: f.string({ default: tmpl('slack.default.pretext') }),
    text: f.string({ default: tmpl('slack.default.text') }),
    message_text: f.string(),
    fields: f.list(fieldSchema),
    short_fields: f.bool({ default: false }),
    footer: f.string({ default: tmpl('slack.default.footer') }),
    fallback: f.string({ default: tmpl('slack.default.fallback') }),
    callback_id: f.string({ default: tmpl('slack.default.callbackid') }),
    icon_emoji: f.string({ default: tmpl('slack.default.iconemoji') }),
    icon_url: f.string({ default: tmpl('slack.default.iconurl') }),
    image_url: f.string(),
    thumb_url: f.string(),
    link_names: f.bool({ default: false }),
    mrkdwn_in: f.stringList(),
    actions: f.list(actionSchema),
    update_message: f.bool({ default: false }),
    timeout: f.duration({ default: 0, go: true }),
  },
  check(o, at) {
    const hasUrl = given(o, at, 'api_url');
    const hasToken = given(o, at, 'app_token');
    if (hasUrl && hasToken) at.fail('at most one of api_url/api_url_file & app_token/app_token_file must be configured');
    const api = o.api_url as Secret | undefined;
    if (o.update_message === true && at.has('api_url') && (api?.file !== undefined || api?.reveal() !== POST_MESSAGE_URL)) {
      at.failField('update_message', `update_message can only be used with bot tokens. api_url must be set to ${POST_MESSAGE_URL}`);
    }
    // global fallbacks
    const g = globalOf(at);
    if (o.app_url === undefined && !at.has('app_url')) o.app_url = g.slack_app_url;
    if (o.app_url === undefined && !at.has('app_url')) at.fail('no global Slack App URL set');
    const localAuth = (o.http_config as { authorization?: unknown } | undefined)?.authorization !== undefined;
    if (!hasToken && !localAuth && !hasUrl) {
      if (g.slack_app_token !== undefined) o.app_token = g.slack_app_token;
      if (g.slack_app_token_file !== undefined) o.app_token_file = g.slack_app_token_file;
    }
    // once an app token is in use the webhook URL is irrelevant (the notifier posts to app_url); not inheriting it
    // keeps `original` reloadable (it would otherwise show both api_url and app_token)
    if (!hasUrl && o.app_token === undefined) {
      if (g.slack_api_url !== undefined) o.api_url = g.slack_api_url;
      if (g.slack_api_url_file !== undefined) o.api_url_file = g.slack_api_url_file;
    }
    if (o.api_url === undefined && o.app_token === undefined && !hasUrl && !hasToken) {
      at.fail('no Slack API URL nor App token set either inline or in a file', 'set api_url (or api_url_file) here, or slack_api_url in the global block');
    }
    if (o.http_config === undefined) o.http_config = cloneValue(g.http_config);
    // With an app token the notifier posts to app_url with `Authorization: Bearer <app_token>` (upstream rewrites
    // api_url/http_config here; we keep the settings as written so that `original` reloads).
    if (o.app_token !== undefined && (o.http_config as { authorization?: unknown } | undefined)?.authorization !== undefined) {
      at.failField('http_config', "http authorization can't be set when using Slack App tokens");
    }
  },
});

/** The validated settings of one `slack_configs` entry: defaults and global fallbacks applied. */
export type SlackSettings = Decoded<typeof slackSchema>;

/** The `global` keys `slack_configs` fall back to (upstream config.go GlobalConfig). */
export const slackGlobals: IntegrationGlobals = {
  fields: {
    ...secretPair('slack_api_url', 'secret-url'),
    ...secretPair('slack_app_token'),
    slack_app_url: f.url({ default: 'https://slack.com/api/chat.postMessage' }),
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
