/**
 * @module notifiers/discord/payload
 * Discord's webhook message with one embed (upstream notify/discord/discord.go): title ≤ 256 runes, description
 * ≤ 4096 runes, content ≤ 2000 runes; colour red (firing) or green (resolved). `content` and `embeds` are always
 * sent; `username` (not templated) and `avatar_url` only when set, avatar_url only if it parses as a URL.
 */
import { type Alert, isResolved } from '../../types/alert';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

export const MAX_TITLE_RUNES = 256;
export const MAX_DESCRIPTION_RUNES = 4096;
export const MAX_CONTENT_RUNES = 2000;
export const COLOR_FIRING = 0x992d22;
export const COLOR_RESOLVED = 0x2ecc71;

export interface DiscordPayloadSettings {
  title?: string;
  message?: string;
  content?: string;
  username?: string;
  avatar_url?: string;
}

export interface DiscordMessage {
  content: string;
  embeds: { title: string; description: string; color: number }[];
  username?: string;
  avatar_url?: string;
}

export interface DiscordBuild {
  message: DiscordMessage;
  /** names of the truncated fields with their limits */
  truncated: { field: 'title' | 'message' | 'content'; maxRunes: number }[];
  badAvatarUrl: boolean;
}

/** Go's url.Parse accepts almost anything; it rejects control characters and malformed escapes or ports. */
function goUrlParses(s: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(s)) return false;
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return false;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) {
    try {
      new URL(s);
    } catch {
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:[^/]/.test(s); // opaque URLs such as mailto:x parse in Go
    }
  }
  return true;
}

export function buildDiscordMessage(s: DiscordPayloadSettings, r: Pick<Renderer, 'text'>, alerts: readonly Alert[], now: number): DiscordBuild {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const truncated: DiscordBuild['truncated'] = [];
  const cut = (field: 'title' | 'message' | 'content', text: string, max: number) => {
    const out = truncateInRunes(text, max);
    if (out.truncated) truncated.push({ field, maxRunes: max });
    return out.text;
  };
  const title = cut('title', t(s.title), MAX_TITLE_RUNES);
  const description = cut('message', t(s.message), MAX_DESCRIPTION_RUNES);
  const content = cut('content', t(s.content), MAX_CONTENT_RUNES);
  const color = alerts.some((a) => !isResolved(a, now)) ? COLOR_FIRING : COLOR_RESOLVED;
  const message: DiscordMessage = { content, embeds: [{ title, description, color }] };
  if (s.username) message.username = s.username;
  let badAvatarUrl = false;
  if (s.avatar_url) {
    if (goUrlParses(s.avatar_url)) message.avatar_url = s.avatar_url;
    else badAvatarUrl = true;
  }
  return { message, truncated, badAvatarUrl };
}
