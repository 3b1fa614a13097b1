/**
 * @module notifiers/mattermost/config
 * `mattermost_configs` (upstream notify/mattermost/config.go and config.go): webhook_url or webhook_url_file
 * (global mattermost_webhook_url), message and attachment fields, props, priority. send_resolved: true.
 */
import { given, globalOf, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

const fieldSchema = objectSchema({
  name: 'mattermost field',
  fields: { title: f.string(), value: f.string(), short: f.bool() },
  check(o, at) {
    if (!o.title) at.fail('missing title in Mattermost field configuration');
    else if (!o.value) at.fail('missing value in Mattermost field configuration');
  },
});

const attachmentFields = {
  fallback: f.string(),
  color: f.string(),
  pretext: f.string(),
  text: f.string(),
  author_name: f.string(),
  author_link: f.string(),
  author_icon: f.string(),
  title: f.string(),
  title_link: f.string(),
  fields: f.list(fieldSchema),
  thumb_url: f.string(),
  footer: f.string(),
  footer_icon: f.string(),
  image_url: f.string(),
};

const attachmentSchema = objectSchema({ name: 'mattermost attachment', fields: attachmentFields });
const propsSchema = objectSchema({ name: 'mattermost props', fields: { card: f.string() } });
const prioritySchema = objectSchema({
  name: 'mattermost priority',
  fields: { priority: f.string(), requested_ack: f.bool(), persistent_notifications: f.bool() },
});

export const mattermostSchema = objectSchema({
  name: 'mattermost_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('webhook_url', f.secretUrl({ filled: true })),
    channel: f.string(),
    username: f.string({ default: tmpl('mattermost.default.username') }),
    ...attachmentFields,
    text: f.string({ default: tmpl('mattermost.default.text') }),
    fallback: f.string({ default: tmpl('mattermost.default.fallback') }),
    color: f.string({ default: tmpl('mattermost.default.color') }),
    title: f.string({ default: tmpl('mattermost.default.title') }),
    title_link: f.string({ default: tmpl('mattermost.default.titlelink') }),
    icon_url: f.string(),
    icon_emoji: f.string(),
    attachments: f.list(attachmentSchema),
    type: f.string(),
    props: f.object(propsSchema),
    priority: f.object(prioritySchema),
  },
  check(o, at) {
    inheritHttpConfig(o, at);
    if (!given(o, at, 'webhook_url')) {
      const g = globalOf(at);
      if (g.mattermost_webhook_url === undefined) at.fail('missing webhook_url or webhook_url_file on mattermost_config', 'set webhook_url here or mattermost_webhook_url in the global block');
      else {
        o.webhook_url = g.mattermost_webhook_url;
        if (g.mattermost_webhook_url_file !== undefined) o.webhook_url_file = g.mattermost_webhook_url_file;
      }
    }
  },
});

/** The validated settings of one `mattermost_configs` entry: defaults and global fallbacks applied. */
export type MattermostSettings = Decoded<typeof mattermostSchema>;

/** The `global` keys `mattermost_configs` fall back to (upstream config.go GlobalConfig). */
export const mattermostGlobals: IntegrationGlobals = {
  fields: {
    ...secretPair('mattermost_webhook_url', 'secret-url'),
  },
};
