/**
 * @module wire/history
 * The events of GET /api/v2/tocsin/history and /api/v2/tocsin/events as JSON, and their one-line
 * description (shared by tocsinctl's simple output and the web UI's History page and timelines).
 */

/** One event of GET /api/v2/tocsin/history. */
export interface HistoryEventWire {
  id?: number;
  time: string;
  kind: string;
  fingerprint?: string;
  labels?: Record<string, string>;
  groupKey?: string;
  receiver?: string;
  silenceId?: string;
  data?: Record<string, unknown>;
}

/** a value on one line (tabs and newlines would break the columns) */
export function oneLine(v: unknown): string {
  return (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).replace(/[\t\r\n]+/g, ' ');
}

/** What the event concerns, in a few characters. */
export function historySubject(e: HistoryEventWire): string {
  if (e.labels) return e.labels.alertname ?? e.fingerprint ?? '';
  if (e.receiver) return e.receiver;
  if (e.silenceId) return e.silenceId;
  return '';
}

/** The event in one line, e.g. `webhook[0] attempt 1 sent 200 in 12.4 ms, first notification`. */
export function historySummary(e: HistoryEventWire): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'notification': {
      const outcome = d.outcome === 'success' ? `sent${d.status !== undefined ? ` ${oneLine(d.status)}` : ''}` : `failed${d.status !== undefined ? ` ${d.status}` : ''}${d.retryable ? ' (will retry)' : ''}: ${oneLine(d.error)}`;
      return `${oneLine(d.integration)}[${oneLine(d.index)}] attempt ${oneLine(d.attempt)} ${outcome} in ${oneLine(d.latencyMs)} ms, ${oneLine(d.reason)}`;
    }
    case 'flush_skipped':
      return `nothing sent: ${oneLine(d.why)}${d.integration ? ` (${oneLine(d.integration)})` : ''}${Array.isArray(d.intervals) ? ` ${d.intervals.join(',')}` : ''}`;
    case 'alert_grouped':
      return `into ${e.groupKey ?? ''} for ${e.receiver ?? ''}`;
    case 'alert_resolved':
      return `resolved by ${oneLine(d.by)}`;
    case 'silence_muted_alert':
      return `silenced by ${e.silenceId ?? ''}`;
    case 'inhibition_muted_alert':
      return `inhibited by ${oneLine(d.inhibitedBy)}${d.rule ? ` (rule ${oneLine(d.rule)})` : ''}`;
    case 'alert_unmuted':
      return `no longer muted (was ${oneLine(d.was)})`;
    case 'silence_created':
    case 'silence_updated':
    case 'silence_expired':
      return `by ${oneLine(d.createdBy)}${d.user ? ` (user ${oneLine(d.user)})` : ''}: ${oneLine(d.comment)}`;
    case 'ack_created':
      return `acknowledged by ${oneLine(d.createdBy)}${d.user ? ` (user ${oneLine(d.user)})` : ''}: ${oneLine(d.comment)}`;
    case 'ack_deleted':
      return `ack ${oneLine(d.ackID)} deleted${d.user ? ` by ${oneLine(d.user)}` : ''}`;
    case 'ack_expired':
      return `ack ${oneLine(d.ackID)} ended: ${oneLine(d.reason)}`;
    case 'escalation_started':
      return 'escalation started';
    case 'escalation_step':
      return `escalated (step ${oneLine(d.step)}) to ${oneLine(d.to)}`;
    case 'escalation_stopped':
      return `escalation stopped: ${oneLine(d.reason)}`;
    case 'config_reload':
      return d.success ? 'reloaded' : `failed: ${oneLine(d.error)}`;
    case 'resolved_after_mute':
      return `resolved notification sent although ${oneLine(d.mutedBy)} (resolved_after_mute)`;
    case 'notification_folded':
      return `rate limited: folded into digest ${oneLine(d.digest)}`;
    case 'digest_sent':
      return `digest ${oneLine(d.digest)} of ${Array.isArray(d.groups) ? d.groups.length : 0} groups ${d.outcome === 'success' ? 'sent' : `failed: ${oneLine(d.error)}`}`;
    default:
      return '';
  }
}

