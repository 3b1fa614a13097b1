/**
 * @module notifiers/rocketchat/config
 * `rocketchat_configs` (upstream notify/rocketchat/config.go and config.go): token_id and token (each inline or
 * _file, global rocketchat_token_id / rocketchat_token), api_url (global rocketchat_api_url).
 * send_resolved: false (upstream DefaultRocketchatConfig).
 */
import { given, globalOf, inherit, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

// upstream RocketchatAttachmentField/Action carry only json tags, so yaml.v2 uses the lower-cased Go field names
const fieldSchema = objectSchema({ name: 'rocketchat field', fields: { short: f.bool(), title: f.string(), value: f.string() } });
const actionSchema = objectSchema({
  name: 'rocketchat action',
  fields: {
    type: f.string(),
    text: f.string(),
    url: f.string(),
    imageurl: f.string(),
    iswebview: f.bool(),
    webviewheightratio: f.string(),
    msg: f.string(),
    msginchatwindow: f.bool(),
    msgprocessingtype: f.string(),
  },
});

export const rocketchatSchema = objectSchema({
  name: 'rocketchat_config',
  fields: {
    send_resolved: sendResolved(false),
    http_config: httpConfigField(),
    api_url: f.url({ filled: true }),
    ...secretPair('token_id', f.secret({ filled: true })),
    ...secretPair('token', f.secret({ filled: true })),
    channel: f.string(),
    color: f.string({ default: '{{ if eq .Status "firing" }}red{{ else }}green{{ end }}' }),
    title: f.string({ default: tmpl('rocketchat.default.title') }),
    title_link: f.string({ default: tmpl('rocketchat.default.titlelink') }),
    text: f.string({ default: tmpl('rocketchat.default.text') }),
    fields: f.list(fieldSchema),
    short_fields: f.bool({ default: false }),
    emoji: f.string({ default: tmpl('rocketchat.default.emoji') }),
    icon_url: f.string({ default: tmpl('rocketchat.default.iconurl') }),
    image_url: f.string(),
    thumb_url: f.string(),
    link_names: f.bool({ default: false }),
    actions: f.list(actionSchema),
  },
  check(o, at) {
    inheritHttpConfig(o, at);
    inherit(o, at, 'api_url', 'rocketchat_api_url');
    const g = globalOf(at);
    for (const [local, global, label] of [
      ['token_id', 'rocketchat_token_id', 'TokenID'],
      ['token', 'rocketchat_token', 'Token'],
    ] as const) {
      if (!given(o, at, local)) {
        if (g[global] !== undefined) o[local] = g[global];
        if (g[`${global}_file`] !== undefined) o[`${local}_file`] = g[`${global}_file`];
      }
      if (!given(o, at, local)) at.fail(`no global Rocketchat ${label} set either inline or in a file`, `set ${local} here or rocketchat_${local} in the global block`);
    }
  },
});

/** The validated settings of one `rocketchat_configs` entry: defaults and global fallbacks applied. */
export type RocketchatSettings = Decoded<typeof rocketchatSchema>;

/** The `global` keys `rocketchat_configs` fall back to (upstream config.go GlobalConfig). */
export const rocketchatGlobals: IntegrationGlobals = {
  fields: {
    rocketchat_api_url: f.url({ default: 'https://open.rocket.chat/' }),
    ...secretPair('rocketchat_token'),
    ...secretPair('rocketchat_token_id'),
  },
};
