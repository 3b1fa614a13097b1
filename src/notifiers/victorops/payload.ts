/**
 * @module notifiers/victorops/payload
 * VictorOps' REST endpoint message (upstream notify/victorops/victorops.go): a flat JSON object (a Go map, keys
 * sorted) with message_type (CRITICAL unless INFO/WARNING/CRITICAL while firing; RECOVERY when resolved),
 * entity_id = sha256(groupKey), entity_display_name, state_message (≤ 20480 runes), monitoring_tool, plus the
 * templated custom_fields. URL: api_url + api_key + "/" + routing_key (templated), path-escaped like Go.
 */
import { createHash } from 'node:crypto';
import { type Alert, isResolved } from '../../types/alert';
import { goEncode, sortedMap } from '../../go/json';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

export const MAX_STATE_MESSAGE_RUNES = 20480;
const ALLOWED = new Set(['INFO', 'WARNING', 'CRITICAL']);

export interface VictorOpsPayloadSettings {
  routing_key?: string;
  message_type?: string;
  state_message?: string;
  entity_display_name?: string;
  monitoring_tool?: string;
  custom_fields?: Readonly<Record<string, string>>;
}

/** Go url.URL.EscapedPath for a path set by hand (shouldEscape with encodePath). */
export function goEscapePath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** api_url (ends with /) + key + "/" + routing key. */
export function victorOpsUrl(apiUrl: string, apiKey: string, routingKey: string): string {
  const u = new URL(apiUrl);
  const path = goEscapePath(`${decodeURIComponent(u.pathname)}${apiKey}/${routingKey}`);
  return `${u.protocol}//${u.host}${path}${u.search}`;
}

export function buildVictorOpsMessage(
  s: VictorOpsPayloadSettings,
  r: Pick<Renderer, 'text'>,
  i: { groupKey: string; alerts: readonly Alert[]; now: number },
): { body: string; truncated: boolean } {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const firing = i.alerts.some((a) => !isResolved(a, i.now));
  let messageType = t(s.message_type);
  if (firing && !ALLOWED.has(messageType)) messageType = 'CRITICAL';
  if (!firing) messageType = 'RECOVERY';
  const state = truncateInRunes(t(s.state_message), MAX_STATE_MESSAGE_RUNES);
  const msg: Record<string, string> = {
    message_type: messageType,
    entity_id: createHash('sha256').update(i.groupKey).digest('hex'),
    entity_display_name: t(s.entity_display_name),
    state_message: state.text,
    monitoring_tool: t(s.monitoring_tool),
  };
  for (const [k, v] of Object.entries(s.custom_fields ?? {})) msg[k] = t(v);
  return { body: goEncode(sortedMap(msg)), truncated: state.truncated };
}
