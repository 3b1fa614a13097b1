/**
 * @module notifiers/rocketchat/payload
 * Rocket.Chat's chat.postMessage body (upstream notify/rocketchat/rocketchat.go): channel, emoji, avatar and one
 * attachment (title ≤ 1024 runes, title_link, text, image_url, thumb_url, color, fields with `short` falling back
 * to short_fields, button actions). Field order and omit-empty rules follow the Go structs.
 */
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';
import { omitEmpty } from '../shared/omit-empty';

export const MAX_TITLE_RUNES = 1024;

export interface RocketchatPayloadSettings {
  channel?: string;
  color?: string;
  title?: string;
  title_link?: string;
  text?: string;
  fields?: readonly { short?: boolean; title?: string; value?: string }[];
  short_fields?: boolean;
  emoji?: string;
  icon_url?: string;
  image_url?: string;
  thumb_url?: string;
  actions?: readonly { text?: string; url?: string; msg?: string }[];
}

export function buildRocketchatMessage(s: RocketchatPayloadSettings, r: Pick<Renderer, 'text'>): { message: Record<string, unknown>; titleTruncated: boolean } {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const title = truncateInRunes(t(s.title), MAX_TITLE_RUNES);
  const fields = (s.fields ?? []).map((f) => ({ short: f.short ?? s.short_fields === true, ...omitEmpty({ title: t(f.title), value: t(f.value) }) }));
  const actions = (s.actions ?? []).map((a) => {
    const text = t(a.text);
    const url = t(a.url);
    const msg = t(a.msg);
    // only buttons are supported; is_webview and msg_in_chat_window are always serialised
    return { type: 'button', ...omitEmpty({ text, url }), is_webview: false, ...omitEmpty({ msg }), msg_in_chat_window: false };
  });
  const attachment = omitEmpty({
    title: title.text,
    title_link: t(s.title_link),
    text: t(s.text),
    image_url: t(s.image_url),
    thumb_url: t(s.thumb_url),
    color: t(s.color),
    fields,
    actions,
  });
  const message = omitEmpty({ channel: t(s.channel), emoji: t(s.emoji), avatar: t(s.icon_url), attachments: [attachment] });
  return { message, titleTruncated: title.truncated };
}

/** Go url.JoinPath(api_url, "api/v1/chat.postMessage"). */
export function postMessageUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/chat.postMessage`;
  return u.toString();
}
