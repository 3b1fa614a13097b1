/**
 * @module notifiers/incidentio/payload
 * incident.io's alert-source message (upstream notify/incidentio/incidentio.go): the template data of the (first
 * max_alerts) alerts, as the webhook sends it (maps already in Go's key order), with `version` "1", `groupKey` and
 * `truncatedAlerts`. When the encoded message exceeds 512 KiB, all but the first alert are dropped.
 */
import { goEncode } from '../../go/json';
import { buildWebhookPayload, type WebhookPayloadInput } from '../webhook/payload';

export const MAX_PAYLOAD_BYTES = 512 * 1024;

/** The webhook's input: incident.io sends the same template data. */
export type IncidentioInput = WebhookPayloadInput;

export interface IncidentioBuild {
  body: string;
  /** set when the size limit dropped alerts: the size before and after */
  shrunk?: { originalSize: number; finalSize: number };
}

export function buildIncidentioMessage(i: IncidentioInput): IncidentioBuild {
  // as the webhook: truncated first, the template data built from the kept alerts
  const msg = { ...buildWebhookPayload(i), version: '1' };
  const body = goEncode(msg);
  const size = Buffer.byteLength(body);
  if (size <= MAX_PAYLOAD_BYTES) return { body };
  const smaller = goEncode({ ...msg, alerts: msg.alerts.slice(0, 1) });
  return { body: smaller, shrunk: { originalSize: size, finalSize: Buffer.byteLength(smaller) } };
}
