/**
 * @module notifiers/slack/payload
 * Slack's wire types and the pure payload builder (upstream notify/slack/slack.go and types.go). Field order
 * and omit-empty rules follow the Go structs; the title is truncated to 1024 runes.
 */
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

/** Slack attachment title limit (upstream maxTitleLenRunes). */
export const MAX_TITLE_RUNES = 1024;
export const DEFAULT_MRKDWN_IN: readonly string[] = ['fallback', 'pretext', 'text'];

export interface SlackConfirmConfig {
  text?: string;
  title?: string;
  ok_text?: string;
  dismiss_text?: string;
}
export interface SlackActionConfig {
  type?: string;
  text?: string;
  url?: string;
  style?: string;
  name?: string;
  value?: string;
  confirm?: SlackConfirmConfig;
}
export interface SlackFieldConfig {
  title?: string;
  value?: string;
  short?: boolean;
}

/** The templated part of `slack_configs` settings (config.ts validates them). */
export interface SlackPayloadSettings {
  channel?: string;
  username?: string;
  color?: string;
  title?: string;
  title_link?: string;
  pretext?: string;
  text?: string;
  message_text?: string;
  fields?: readonly SlackFieldConfig[];
  short_fields?: boolean;
  footer?: string;
  fallback?: string;
  callback_id?: string;
  icon_emoji?: string;
  icon_url?: string;
  image_url?: string;
  thumb_url?: string;
  link_names?: boolean;
  mrkdwn_in?: readonly string[];
  actions?: readonly SlackActionConfig[];
}

export interface SlackField {
  title?: string;
  value?: string;
  short: boolean;
}
export interface SlackConfirm {
  text?: string;
  title?: string;
  ok_text?: string;
  dismiss_text?: string;
}
export interface SlackAction {
  type?: string;
  text?: string;
  url?: string;
  style?: string;
  name?: string;
  value?: string;
  confirm?: SlackConfirm;
}
export interface SlackAttachment {
  title?: string;
  title_link?: string;
  pretext?: string;
  text: string;
  fallback: string;
  callback_id: string;
  fields?: SlackField[];
  actions?: SlackAction[];
  image_url?: string;
  thumb_url?: string;
  footer: string;
  color?: string;
  mrkdwn_in?: string[];
}
export interface SlackMessage {
  channel?: string;
  ts?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  link_names?: boolean;
  text?: string;
  attachments: SlackAttachment[];
}

export interface SlackBuild {
  message: SlackMessage;
  /** the title was cut to MAX_TITLE_RUNES */
  titleTruncated: boolean;
}

/** Go `omitempty` for strings: an empty string is left out. */
function put<T extends object>(o: T, key: keyof T & string, v: string): void {
  if (v !== '') (o as Record<string, unknown>)[key] = v;
}

/** Builds the message. `render` applies the notification's templates (text mode). Pure. */
export function buildSlackPayload(s: SlackPayloadSettings, render: Pick<Renderer, 'text'>): SlackBuild {
  const t = (v: string | undefined) => (v ? render.text(v) : '');
  const title = truncateInRunes(t(s.title), MAX_TITLE_RUNES);
  const att = {} as SlackAttachment;
  put(att, 'title', title.text);
  put(att, 'title_link', t(s.title_link));
  put(att, 'pretext', t(s.pretext));
  att.text = t(s.text);
  att.fallback = t(s.fallback);
  att.callback_id = t(s.callback_id);
  if (s.fields && s.fields.length > 0) {
    att.fields = s.fields.map((f) => {
      const out = {} as SlackField;
      put(out, 'title', t(f.title));
      put(out, 'value', t(f.value));
      out.short = f.short ?? s.short_fields ?? false;
      return out;
    });
  }
  if (s.actions && s.actions.length > 0) {
    att.actions = s.actions.map((a) => {
      const out: SlackAction = {};
      put(out, 'type', t(a.type));
      put(out, 'text', t(a.text));
      put(out, 'url', t(a.url));
      put(out, 'style', t(a.style));
      put(out, 'name', t(a.name));
      put(out, 'value', t(a.value));
      if (a.confirm) {
        const c: SlackConfirm = {};
        put(c, 'text', t(a.confirm.text));
        put(c, 'title', t(a.confirm.title));
        put(c, 'ok_text', t(a.confirm.ok_text));
        put(c, 'dismiss_text', t(a.confirm.dismiss_text));
        out.confirm = c;
      }
      return out;
    });
  }
  put(att, 'image_url', t(s.image_url));
  put(att, 'thumb_url', t(s.thumb_url));
  att.footer = t(s.footer);
  put(att, 'color', t(s.color));
  att.mrkdwn_in = s.mrkdwn_in && s.mrkdwn_in.length > 0 ? [...s.mrkdwn_in] : [...DEFAULT_MRKDWN_IN];

  const msg = {} as SlackMessage;
  put(msg, 'channel', t(s.channel));
  put(msg, 'username', t(s.username));
  put(msg, 'icon_emoji', t(s.icon_emoji));
  put(msg, 'icon_url', t(s.icon_url));
  if (s.link_names) msg.link_names = true;
  put(msg, 'text', t(s.message_text));
  msg.attachments = [att];
  return { message: msg, titleTruncated: title.truncated };
}
