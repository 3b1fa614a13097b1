/**
 * @module notifiers/incidentio/payload
 * incident.io's alert-source message (upstream notify/incidentio/incidentio.go): the template data of the (first
 * max_alerts) alerts, as the webhook sends it, with `version` "1", `groupKey` and `truncatedAlerts`. Maps are Go
 * maps (keys sorted). When the encoded message exceeds 512 KiB, all but the first alert are dropped.
 */
import type { Alert, LabelSet } from '../../types/alert';
import { sortedMap, goEncode } from '../../types/go-json';
import { buildWebhookPayload } from '../webhook/payload';

export const MAX_PAYLOAD_BYTES = 512 * 1024;

export interface IncidentioInput {
  receiver: string;
  groupKey: string;
  groupLabels: LabelSet;
  routeLabels?: LabelSet;
  externalURL: string;
  notificationReason?: string;
  alerts: readonly Alert[];
  now: number;
  /** 0 = unlimited */
  maxAlerts: number;
}

export interface IncidentioBuild {
  body: string;
  /** set when the size limit dropped alerts: the size before and after */
  shrunk?: { originalSize: number; finalSize: number };
}

export function buildIncidentioMessage(i: IncidentioInput): IncidentioBuild {
  // upstream truncates first, then builds the template data from the kept alerts
  const kept = i.maxAlerts > 0 && i.alerts.length > i.maxAlerts ? i.alerts.slice(0, i.maxAlerts) : i.alerts;
  const m = buildWebhookPayload({ ...i, alerts: kept, maxAlerts: 0 });
  const msg = {
    ...m,
    alerts: m.alerts.map((a) => ({ ...a, labels: sortedMap(a.labels), annotations: sortedMap(a.annotations) })),
    groupLabels: sortedMap(m.groupLabels),
    commonLabels: sortedMap(m.commonLabels),
    commonAnnotations: sortedMap(m.commonAnnotations),
    routeLabels: sortedMap(m.routeLabels),
    version: '1',
    truncatedAlerts: i.alerts.length - kept.length,
  };
  const body = goEncode(msg);
  const size = Buffer.byteLength(body);
  if (size <= MAX_PAYLOAD_BYTES) return { body };
  const smaller = goEncode({ ...msg, alerts: msg.alerts.slice(0, 1) });
  return { body: smaller, shrunk: { originalSize: size, finalSize: Buffer.byteLength(smaller) } };
}
