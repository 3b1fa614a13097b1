/**
 * @module notifiers/opsgenie/payload
 * OpsGenie's wire types and the pure request builder (upstream notify/opsgenie/opsgenie.go). A firing group
 * creates an alert (`POST v2/alerts`), optionally followed by the two update PUTs; a resolved group closes it
 * (`POST v2/alerts/<alias>/close?identifierType=alias`). The alias is sha256(groupKey) in hex. Field order and
 * omit-empty rules follow the Go structs; `details` is a Go map (keys sorted on the wire).
 */
import { createHash } from 'node:crypto';
import { type Alert, isResolved } from '../../types/alert';
import { goEncode, sortedMap } from '../../go/json';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';
import { omitEmpty } from '../shared/omit-empty';

/** Upstream maxMessageLenRunes. */
export const MAX_MESSAGE_RUNES = 130;

export interface OpsGenieResponderConfig {
  id?: string;
  name?: string;
  username?: string;
  type?: string;
}

/** The part of `opsgenie_configs` settings the payload needs (config.ts validates it). */
export interface OpsGeniePayloadSettings {
  api_url: string;
  message?: string;
  description?: string;
  source?: string;
  details?: Readonly<Record<string, string>>;
  responders?: readonly OpsGenieResponderConfig[];
  tags?: string;
  note?: string;
  priority?: string;
  entity?: string;
  actions?: string;
  update_alerts?: boolean;
}

export interface OpsGenieRequest {
  method: 'POST' | 'PUT';
  url: string;
  body: string;
}

export interface OpsGenieBuild {
  requests: OpsGenieRequest[];
  messageTruncated: boolean;
}

export function groupKeyHash(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** Upstream safeSplit: trim the whole string, split, drop empty items (items themselves are not trimmed). */
export function safeSplit(s: string, sep: string): string[] {
  return s
    .trim()
    .split(sep)
    .filter((x) => x !== '');
}

function commonLabels(alerts: readonly Alert[]): Record<string, string> {
  const out: Record<string, string> = {};
  const first = alerts[0];
  if (!first) return out;
  for (const [k, v] of Object.entries(first.labels)) if (alerts.every((a) => a.labels[k] === v)) out[k] = v;
  return out;
}

/** api_url (ends with /) + path, with `identifierType=alias` when asked (Go url.Values.Encode sorts keys). */
function endpoint(apiUrl: string, path: string, byAlias: boolean): string {
  const u = new URL(apiUrl);
  u.pathname += path;
  if (byAlias) {
    u.searchParams.set('identifierType', 'alias');
    u.searchParams.sort();
  }
  return u.toString();
}

export interface OpsGenieInput {
  groupKey: string;
  alerts: readonly Alert[];
  now: number;
}

export function buildOpsGenieRequests(s: OpsGeniePayloadSettings, r: Pick<Renderer, 'text'>, i: OpsGenieInput): OpsGenieBuild {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const alias = groupKeyHash(i.groupKey);
  const details: Record<string, string> = { ...commonLabels(i.alerts) };
  for (const [k, v] of Object.entries(s.details ?? {})) details[k] = t(v);
  const firing = i.alerts.some((a) => !isResolved(a, i.now));

  if (!firing) {
    return {
      requests: [{ method: 'POST', url: endpoint(s.api_url, `v2/alerts/${alias}/close`, true), body: goEncode({ source: t(s.source) }) }],
      messageTruncated: false,
    };
  }

  const msg = truncateInRunes(t(s.message), MAX_MESSAGE_RUNES);
  const responders: Record<string, string>[] = [];
  for (const rc of s.responders ?? []) {
    const one = { id: t(rc.id), name: t(rc.name), username: t(rc.username), type: t(rc.type) };
    if (!one.id && !one.name && !one.username && !one.type) continue; // filled from labels, maybe empty
    if (one.type === 'teams') {
      for (const team of safeSplit(one.name, ',')) responders.push({ name: t(team), type: t('team') });
      continue;
    }
    responders.push({ ...omitEmpty({ id: one.id, name: one.name, username: one.username }), type: one.type });
  }
  const description = t(s.description);
  const create = {
    alias,
    message: msg.text,
    ...omitEmpty({ description }),
    details: sortedMap(details),
    source: t(s.source),
    ...omitEmpty({
      responders,
      tags: safeSplit(t(s.tags), ','),
      note: t(s.note),
      priority: t(s.priority),
      entity: t(s.entity),
      actions: safeSplit(t(s.actions), ','),
    }),
  };
  const requests: OpsGenieRequest[] = [{ method: 'POST', url: endpoint(s.api_url, 'v2/alerts', false), body: goEncode(create) }];
  if (s.update_alerts) {
    requests.push({ method: 'PUT', url: endpoint(s.api_url, `v2/alerts/${alias}/message`, true), body: goEncode(omitEmpty({ message: msg.text })) });
    requests.push({ method: 'PUT', url: endpoint(s.api_url, `v2/alerts/${alias}/description`, true), body: goEncode(omitEmpty({ description })) });
  }
  return { requests, messageTruncated: msg.truncated };
}
