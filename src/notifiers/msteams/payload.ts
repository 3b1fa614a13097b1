/**
 * @module notifiers/msteams/payload
 * The Office 365 connector MessageCard (upstream notify/msteams/msteams.go): every field always present, no
 * truncation; themeColor red when the group fires, green when resolved.
 */
import { type Alert, isResolved } from '../../types/alert';
import type { Renderer } from '../shared/render';

export const COLOR_FIRING = '8C1A1A';
export const COLOR_RESOLVED = '2DC72D';

export interface MSTeamsPayloadSettings {
  title?: string;
  summary?: string;
  text?: string;
}

export interface MSTeamsMessage {
  '@context': 'http://schema.org/extensions';
  type: 'MessageCard';
  title: string;
  summary: string;
  text: string;
  themeColor: string;
}

export function buildMSTeamsMessage(s: MSTeamsPayloadSettings, r: Pick<Renderer, 'text'>, alerts: readonly Alert[], now: number): MSTeamsMessage {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const title = t(s.title);
  const text = t(s.text);
  const summary = t(s.summary);
  return {
    '@context': 'http://schema.org/extensions',
    type: 'MessageCard',
    title,
    summary,
    text,
    themeColor: alerts.some((a) => !isResolved(a, now)) ? COLOR_FIRING : COLOR_RESOLVED,
  };
}
