/**
 * @module notifiers/rocketchat/config
 * `rocketchat_configs` (upstream notify/rocketchat/config.go and config.go): token_id and token (each inline or
 * _file, global rocketchat_token_id / rocketchat_token), api_url (global rocketchat_api_url).
 * send_resolved: false (upstream DefaultRocketchatConfig).
 */
import { defineIntegration, given, globalOf, inherit, inheritHttpConfig, type NotifierSettings, sendResolved, tmpl } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

// upstream RocketchatAttachmentField/Action carry only json tags, so yaml.v2 uses the lower-cased Go field names
const fieldSchema: ObjectSchema = { name: 'rocketchat field', fields: { short: f.bool(), title: f.string(), value: f.string() } };
const actionSchema: ObjectSchema = {
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
};

/** The validated settings of one `rocketchat_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface RocketchatSettings extends NotifierSettings {
  api_url: string;
  token_id: Secret;
  token_id_file?: string;
  token: Secret;
  token_file?: string;
  channel?: string;
  color: string;
  title: string;
  title_link: string;
  text: string;
  fields?: { short?: boolean; title?: string; value?: string }[];
  short_fields: boolean;
  emoji: string;
  icon_url: string;
  image_url?: string;
  thumb_url?: string;
  link_names: boolean;
  actions?: { type?: string; text?: string; url?: string; msg?: string; imageurl?: string; iswebview?: boolean; webviewheightratio?: string; msginchatwindow?: boolean; msgprocessingtype?: string }[];
}

export const rocketchatSchema: ObjectSchema = {
  name: 'rocketchat_config',
  fields: {
    send_resolved: sendResolved(false),
    http_config: httpConfigField(),
    api_url: f.url(),
    ...secretPair('token_id'),
    ...secretPair('token'),
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
};

export const rocketchat = defineIntegration({ type: 'rocketchat', schema: rocketchatSchema, nullItem: false });
