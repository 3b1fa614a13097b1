/**
 * @module notifiers/webex/payload
 * Webex's message (upstream notify/webex/webex.go): `{"markdown":..,"roomId":..}`, the markdown cut to 7439
 * bytes (never inside a code point), roomId (templated) omitted when empty.
 */
import type { Renderer } from '../shared/render';
import { truncateInBytes } from '../shared/truncate';

export const MAX_MESSAGE_BYTES = 7439;

export interface WebexPayloadSettings {
  message?: string;
  room_id?: string;
}

export function buildWebexMessage(s: WebexPayloadSettings, r: Pick<Renderer, 'text'>): { message: { markdown: string; roomId?: string }; truncated: boolean } {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const md = truncateInBytes(t(s.message), MAX_MESSAGE_BYTES);
  const roomId = t(s.room_id);
  return { message: roomId ? { markdown: md.text, roomId } : { markdown: md.text }, truncated: md.truncated };
}
