/**
 * @module cli/format/notifications
 * `tocsinctl notification list|replay` output: simple (id, state, receiver, integration, group, attempts, the last
 * error) and extended (also the reason, times, alerts and the stored payload's size and SHA-256); json prints the
 * API's objects as they are (src/cli/format/formatters.ts).
 */
import { oneLine } from '../../wire/history';
import { integrationName, type OutboxNotificationWire } from '../../wire/notifications';
import { formatLabelPairs } from './strings';
import { alignColumns } from './tabwriter';

/** `date` formats an RFC 3339 time as the user's --date.format asks. */
export function formatNotifications(list: readonly OutboxNotificationWire[], output: 'simple' | 'extended', date: (iso: string) => string): string {
  const rows: string[] = [];
  if (output === 'extended') {
    rows.push('ID\tState\tReceiver\tIntegration\tGroup\tReason\tAlerts\tFlushed At\tDeadline\tNext Attempt\tAttempts\tPayload\tLast Error\t');
    for (const n of list) {
      const payload = `${n.payload.requests} request(s), ${n.payload.bytes} bytes, sha256 ${n.payload.sha256.map((h) => h.slice(0, 12)).join(',')}`;
      rows.push(
        `${n.id}\t${n.state}\t${n.receiver}\t${integrationName(n)}\t${formatLabelPairs(n.groupLabels)}\t${n.reason}\t${oneLine(n.alerts.join(','))}\t${date(n.flushedAt)}\t${date(n.deadline)}\t${n.nextAttemptAt ? date(n.nextAttemptAt) : ''}\t${n.attempts}\t${payload}\t${oneLine(n.lastError ?? '')}\t`,
      );
    }
  } else {
    rows.push('ID\tState\tReceiver\tIntegration\tGroup\tAttempts\tLast Error\t');
    for (const n of list) rows.push(`${n.id}\t${n.state}\t${n.receiver}\t${integrationName(n)}\t${formatLabelPairs(n.groupLabels)}\t${n.attempts}\t${oneLine(n.lastError ?? '')}\t`);
  }
  return `${alignColumns(rows.join('\n'))}\n`;
}
