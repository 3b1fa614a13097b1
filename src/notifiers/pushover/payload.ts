/**
 * @module notifiers/pushover/payload
 * Pushover's message as upstream sends it (notify/pushover/pushover.go): every parameter in the query string of
 * `POST https://api.pushover.net/1/messages.json` (Go url.Values.Encode: keys sorted, QueryEscape), empty body.
 * title ≤ 250 runes, message ≤ 1024 runes then trimmed (empty -> "(no details)"), url ≤ 512 runes; retry and
 * expire in whole seconds; ttl only when > 0 s; html=1 renders the message with the HTML engine.
 */
import { goEncodeQuery } from '../../go/url';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

export const API_URL = 'https://api.pushover.net/1/messages.json';
export const MAX_TITLE_RUNES = 250;
export const MAX_MESSAGE_RUNES = 1024;
export const MAX_URL_RUNES = 512;

export interface PushoverPayloadSettings {
  title?: string;
  message?: string;
  url?: string;
  url_title?: string;
  device?: string;
  sound?: string;
  priority?: string;
  /** ms */
  retry?: number;
  /** ms */
  expire?: number;
  /** ms */
  ttl?: number;
  html?: boolean;
  monospace?: boolean;
}

export interface PushoverBuild {
  /** the encoded query string (without '?') */
  query: string;
  truncated: { field: 'title' | 'message' | 'url'; maxRunes: number }[];
}

export function buildPushoverQuery(s: PushoverPayloadSettings, r: Renderer, keys: { token: string; user: string }): PushoverBuild {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const truncated: PushoverBuild['truncated'] = [];
  const cut = (field: 'title' | 'message' | 'url', text: string, max: number) => {
    const out = truncateInRunes(text, max);
    if (out.truncated) truncated.push({ field, maxRunes: max });
    return out.text;
  };
  const p: [string, string][] = [];
  p.push(['token', t(keys.token)]);
  p.push(['user', t(keys.user)]);
  p.push(['title', cut('title', t(s.title), MAX_TITLE_RUNES)]);
  let message: string;
  if (s.html) {
    p.push(['html', '1']);
    message = s.message ? r.html(s.message) : '';
  } else {
    message = t(s.message);
  }
  if (s.monospace) p.push(['monospace', '1']);
  message = cut('message', message, MAX_MESSAGE_RUNES).trim();
  p.push(['message', message === '' ? '(no details)' : message]);
  p.push(['url', cut('url', t(s.url), MAX_URL_RUNES)]);
  p.push(['url_title', t(s.url_title)]);
  p.push(['priority', t(s.priority)]);
  p.push(['retry', String(Math.trunc((s.retry ?? 0) / 1000))]);
  p.push(['expire', String(Math.trunc((s.expire ?? 0) / 1000))]);
  p.push(['device', t(s.device)]);
  p.push(['sound', t(s.sound)]);
  const ttl = Math.trunc((s.ttl ?? 0) / 1000);
  if (ttl > 0) p.push(['ttl', String(ttl)]);
  return { query: goEncodeQuery(p), truncated };
}
