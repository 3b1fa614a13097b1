/**
 * @module notifiers/mattermost/payload
 * Mattermost's incoming-webhook request (upstream notify/mattermost/mattermost.go): with no `attachments`
 * configured, one attachment is built from the top-level fields and carries the text; with `attachments`, each is
 * rendered and the text goes top-level. Top-level text ≤ 16383 runes. `priority` is kept only when configured
 * with a priority; it is lower-cased, unknown values become `standard`, requested_ack needs non-standard and
 * persistent_notifications needs urgent. Field order and omit-empty rules follow the Go structs.
 */
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';
import { isEmptyValue, omitEmpty } from '../shared/omit-empty';

/** mattermost's payload also omits false (Go omitempty on bools) */
const isEmptyOrFalse = (v: unknown): boolean => v === false || isEmptyValue(v);

export const MAX_TEXT_RUNES = 16383;

interface FieldConfig {
  title?: string;
  value?: string;
  short?: boolean;
}
interface AttachmentConfig {
  fallback?: string;
  color?: string;
  pretext?: string;
  text?: string;
  author_name?: string;
  author_link?: string;
  author_icon?: string;
  title?: string;
  title_link?: string;
  fields?: readonly FieldConfig[];
  thumb_url?: string;
  footer?: string;
  footer_icon?: string;
  image_url?: string;
}

export interface MattermostPayloadSettings extends AttachmentConfig {
  channel?: string;
  username?: string;
  icon_url?: string;
  icon_emoji?: string;
  type?: string;
  attachments?: readonly Record<string, unknown>[];
  props?: { card?: string };
  priority?: { priority?: string; requested_ack?: boolean; persistent_notifications?: boolean };
}

export type MattermostWarning = 'Truncated text' | 'Priority is set to standard due to invalid value' | 'RequestedAck is set to false due to priority is standard' | 'PersistentNotifications is set to false due to priority is not urgent';

export function buildMattermostRequest(s: MattermostPayloadSettings, r: Pick<Renderer, 'text'>): { request: Record<string, unknown>; warnings: MattermostWarning[] } {
  const t = (x: unknown) => (typeof x === 'string' && x ? r.text(x) : '');
  const fields = (list: readonly FieldConfig[] | undefined) =>
    (list ?? []).map((f) => ({ ...omitEmpty({ title: t(f.title), value: t(f.value) }, isEmptyOrFalse), ...(f.short !== undefined ? { short: f.short } : {}) }));
  const attachment = (a: AttachmentConfig, text: string) =>
    omitEmpty({
      fallback: t(a.fallback),
      color: t(a.color),
      pretext: t(a.pretext),
      text,
      author_name: t(a.author_name),
      author_link: t(a.author_link),
      author_icon: t(a.author_icon),
      title: t(a.title),
      title_link: t(a.title_link),
      fields: fields(a.fields),
      thumb_url: t(a.thumb_url),
      footer: t(a.footer),
      footer_icon: t(a.footer_icon),
      image_url: t(a.image_url),
    }, isEmptyOrFalse);
  const warnings: MattermostWarning[] = [];
  const text = t(s.text);
  const channel = t(s.channel);
  const username = t(s.username);
  const iconUrl = t(s.icon_url);
  const iconEmoji = t(s.icon_emoji);
  const type = t(s.type);
  let priority: Record<string, unknown> | undefined;
  if (s.priority?.priority) {
    let p = t(s.priority.priority).toLowerCase();
    let ack = s.priority.requested_ack === true;
    let persistent = s.priority.persistent_notifications === true;
    if (p !== 'urgent' && p !== 'important' && p !== 'standard') {
      warnings.push('Priority is set to standard due to invalid value');
      p = 'standard';
    }
    if (ack && p === 'standard') {
      warnings.push('RequestedAck is set to false due to priority is standard');
      ack = false;
    }
    if (persistent && p !== 'urgent') {
      warnings.push('PersistentNotifications is set to false due to priority is not urgent');
      persistent = false;
    }
    priority = omitEmpty({ priority: p, requested_ack: ack, persistent_notifications: persistent }, isEmptyOrFalse);
  }
  const props = s.props?.card ? omitEmpty({ card: t(s.props.card) }, isEmptyOrFalse) : undefined;
  let topText = '';
  let attachments: Record<string, unknown>[];
  if (s.attachments && s.attachments.length > 0) {
    attachments = s.attachments.map((a) => attachment(a as AttachmentConfig, t((a as AttachmentConfig).text)));
    topText = text;
  } else {
    attachments = [attachment(s, text)];
  }
  const cut = truncateInRunes(topText, MAX_TEXT_RUNES);
  if (cut.truncated) warnings.push('Truncated text');
  const request = omitEmpty({
    text: cut.text,
    channel,
    username,
    icon_url: iconUrl,
    icon_emoji: iconEmoji,
    attachments,
    type,
    props,
    priority,
  }, isEmptyOrFalse);
  return { request, warnings };
}
