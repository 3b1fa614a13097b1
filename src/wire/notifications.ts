/**
 * @module wire/notifications
 * The persistent outbox's notifications as GET /api/v2/tocsin/notifications lists them (shared by the API,
 * tocsinctl and the web UI's Notifications page). The stored request bodies are never shown (a body may hold a
 * credential, such as a PagerDuty routing key): only their size and SHA-256, so a replay can be checked to send
 * the same bytes.
 */

export interface OutboxNotificationWire {
  id: number;
  /** pending: being retried; dead: a dead letter (replay or discard it); replaying: a replay is in flight */
  state: 'pending' | 'dead' | 'replaying';
  receiver: string;
  /** e.g. webhook */
  integration: string;
  index: number;
  groupKey: string;
  groupLabels: Record<string, string>;
  /** upstream's notification reason, e.g. `first notification` */
  reason: string;
  /** the flush that built it (RFC 3339) */
  flushedAt: string;
  createdAt: string;
  deadline: string;
  /** pending only: not attempted before */
  nextAttemptAt?: string;
  attempts: number;
  lastError?: string;
  updatedAt: string;
  firing: number;
  resolved: number;
  /** the alerts' alertname labels (or fingerprints), in order */
  alerts: string[];
  /** the stored bodies: count, bytes in all, SHA-256 of each (hex) */
  payload: { requests: number; bytes: number; sha256: string[] };
}

export interface OutboxPageWire {
  notifications: OutboxNotificationWire[];
  /** the `cursor` of the next page (null: last page) */
  next: string | null;
}

/** POST /api/v2/tocsin/notifications/{id}/replay */
export interface OutboxReplayWire {
  delivered: boolean;
  /** the entry after the replay (state dead again, with the new error, when it failed) */
  notification: OutboxNotificationWire;
}

/** `webhook[0]` */
export function integrationName(n: Pick<OutboxNotificationWire, 'integration' | 'index'>): string {
  return `${n.integration}[${n.index}]`;
}
