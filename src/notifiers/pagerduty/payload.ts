/**
 * @module notifiers/pagerduty/payload
 * PagerDuty Events API v2 / v1 wire types and the pure builder (upstream notify/pagerduty/pagerduty.go). Field
 * order and omit-empty rules follow the Go structs; `details` are rendered with the structured-value rule and
 * serialised as Go maps (sorted keys); the summary/description is cut to 1024 runes; an event over 512000
 * bytes has its details replaced by an explanation.
 */
import { createHash } from 'node:crypto';
import { deepCopyWithTemplate } from '../../templates/structured';
import { goEncode, sortedMap } from '../../go/json';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

export const MAX_SUMMARY_RUNES = 1024;
export const MAX_EVENT_BYTES = 512000;
export const DETAILS_REMOVED = 'Custom details have been removed because the original event exceeds the maximum size of 512KB';
export const EVENTS_V1_URL = 'https://events.pagerduty.com/generic/2010-04-15/create_event.json';

export interface PagerDutyPayloadSettings {
  client?: string;
  client_url?: string;
  description?: string;
  details?: Record<string, unknown>;
  images?: readonly { src?: string; alt?: string; href?: string }[];
  links?: readonly { href?: string; text?: string }[];
  source?: string;
  severity?: string;
  class?: string;
  component?: string;
  group?: string;
}

export interface PagerDutyImage {
  src: string;
  alt: string;
  href: string;
}
export interface PagerDutyLink {
  href: string;
  text: string;
}
export interface PagerDutyEventPayload {
  summary: string;
  source: string;
  severity: string;
  class?: string;
  component?: string;
  group?: string;
  custom_details?: Record<string, unknown>;
}
/** One struct for both API versions, as upstream's pagerDutyMessage (v1 always carries event_action and payload). */
export interface PagerDutyMessage {
  routing_key?: string;
  service_key?: string;
  dedup_key?: string;
  incident_key?: string;
  event_type?: string;
  description?: string;
  event_action: string;
  payload: PagerDutyEventPayload | null;
  client?: string;
  client_url?: string;
  details?: Record<string, unknown>;
  images?: PagerDutyImage[];
  links?: PagerDutyLink[];
}

export type EventType = 'trigger' | 'resolve';

export interface PagerDutyBuildInput {
  version: 'v1' | 'v2';
  /** routing key (v2) or service key (v1), before templating */
  key: string;
  groupKey: string;
  eventType: EventType;
  render: Pick<Renderer, 'text'>;
}

export interface PagerDutyBuild {
  message: PagerDutyMessage;
  /** the encoded request body (Go json.Encoder output) */
  body: string;
  summaryTruncated: boolean;
  /** details were dropped for size; the original encoded size */
  oversize?: number;
}

/** Upstream notify.Key.Hash: sha256 hex of the group key. */
export function dedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey, 'utf8').digest('hex');
}

function put<T extends object>(o: T, key: keyof T & string, v: string): void {
  if (v !== '') (o as Record<string, unknown>)[key] = v;
}

/** Renders `details` (top-level keys verbatim, values by the structured-value rule); Go map key order. */
export function renderDetails(details: Record<string, unknown> | undefined, render: (s: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details ?? {})) out[k] = deepCopyWithTemplate(v, render);
  return sortedMap(out) as Record<string, unknown>;
}

export function buildPagerDutyPayload(s: PagerDutyPayloadSettings, i: PagerDutyBuildInput): PagerDutyBuild {
  const t = (v: string | undefined) => (v ? i.render.text(v) : '');
  const details = renderDetails(s.details, (x) => i.render.text(x));
  const summary = truncateInRunes(t(s.description), MAX_SUMMARY_RUNES);
  const hash = dedupKey(i.groupKey);
  let message: PagerDutyMessage;
  if (i.version === 'v1') {
    message = { service_key: t(i.key), incident_key: hash, event_type: i.eventType } as PagerDutyMessage;
    put(message, 'description', summary.text);
    message.event_action = '';
    message.payload = null;
    if (i.eventType === 'trigger') {
      put(message, 'client', t(s.client));
      put(message, 'client_url', t(s.client_url));
    }
    if (Object.keys(details).length > 0) message.details = details;
  } else {
    const payload = { summary: summary.text, source: t(s.source), severity: t(s.severity || 'error') } as PagerDutyEventPayload;
    put(payload, 'class', t(s.class));
    put(payload, 'component', t(s.component));
    put(payload, 'group', t(s.group));
    if (Object.keys(details).length > 0) payload.custom_details = details;
    message = { routing_key: t(i.key), dedup_key: hash, event_action: i.eventType, payload } as PagerDutyMessage;
    // client and client_url are rendered before the key upstream; order of rendering has no visible effect
    put(message, 'client', t(s.client));
    put(message, 'client_url', t(s.client_url));
    const images = (s.images ?? []).map((m) => ({ src: t(m.src), alt: t(m.alt), href: t(m.href) })).filter((m) => m.src !== '');
    const links = (s.links ?? []).map((l) => ({ href: t(l.href), text: t(l.text) })).filter((l) => l.href !== '');
    if (images.length > 0) message.images = images;
    if (links.length > 0) message.links = links;
  }
  let body = goEncode(message);
  let oversize: number | undefined;
  if (Buffer.byteLength(body, 'utf8') > MAX_EVENT_BYTES) {
    oversize = Buffer.byteLength(body, 'utf8');
    const replaced = { error: DETAILS_REMOVED };
    if (i.version === 'v1') message.details = replaced;
    else message.payload!.custom_details = replaced;
    body = goEncode(message);
  }
  return { message, body, summaryTruncated: summary.truncated, ...(oversize !== undefined ? { oversize } : {}) };
}
