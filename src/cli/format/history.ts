/**
 * @module cli/format/history
 * `tocsinctl history` output: simple (time, kind, what it concerns, a one-line summary), extended (every id
 * and the event's fields as name=value) and json (the API's events as they are).
 */
import { formatLabelPairs } from './strings';
import { alignColumns } from './tabwriter';

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
function text(v: unknown): string {
  return (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).replace(/[\t\r\n]+/g, ' ');
}

/** What the event concerns, in a few characters. */
function subject(e: HistoryEventWire): string {
  if (e.labels) return e.labels.alertname ?? e.fingerprint ?? '';
  if (e.receiver) return e.receiver;
  if (e.silenceId) return e.silenceId;
  return '';
}

function summary(e: HistoryEventWire): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'notification': {
      const outcome = d.outcome === 'success' ? 'sent' : `failed${d.status !== undefined ? ` ${d.status}` : ''}${d.retryable ? ' (will retry)' : ''}: ${text(d.error)}`;
      return `${text(d.integration)}[${text(d.index)}] attempt ${text(d.attempt)} ${outcome} in ${text(d.latencyMs)} ms, ${text(d.reason)}`;
    }
    case 'flush_skipped':
      return `nothing sent: ${text(d.why)}${d.integration ? ` (${text(d.integration)})` : ''}${Array.isArray(d.intervals) ? ` ${d.intervals.join(',')}` : ''}`;
    case 'alert_grouped':
      return `into ${e.groupKey ?? ''} for ${e.receiver ?? ''}`;
    case 'alert_resolved':
      return `resolved by ${text(d.by)}`;
    case 'silence_muted_alert':
      return `silenced by ${e.silenceId ?? ''}`;
    case 'inhibition_muted_alert':
      return `inhibited by ${text(d.inhibitedBy)}${d.rule ? ` (rule ${text(d.rule)})` : ''}`;
    case 'alert_unmuted':
      return `no longer muted (was ${text(d.was)})`;
    case 'silence_created':
    case 'silence_updated':
    case 'silence_expired':
      return `by ${text(d.createdBy)}${d.user ? ` (user ${text(d.user)})` : ''}: ${text(d.comment)}`;
    case 'config_reload':
      return d.success ? 'reloaded' : `failed: ${text(d.error)}`;
    default:
      return '';
  }
}

/** `date` formats an RFC 3339 time as the user's --date.format asks. */
export function formatHistory(events: readonly HistoryEventWire[], output: 'simple' | 'extended', date: (iso: string) => string): string {
  const rows: string[] = [];
  if (output === 'extended') {
    rows.push('Time\tKind\tFingerprint\tLabels\tReceiver\tGroup Key\tSilence\tDetails\t');
    for (const e of events) {
      const details = Object.entries(e.data ?? {})
        .map(([k, v]) => `${k}=${text(v)}`)
        .join(' ');
      rows.push(
        `${date(e.time)}\t${e.kind}\t${e.fingerprint ?? ''}\t${e.labels ? formatLabelPairs(e.labels) : ''}\t${e.receiver ?? ''}\t${e.groupKey ?? ''}\t${e.silenceId ?? ''}\t${details}\t`,
      );
    }
  } else {
    rows.push('Time\tKind\tSubject\tSummary\t');
    for (const e of events) rows.push(`${date(e.time)}\t${e.kind}\t${subject(e)}\t${summary(e)}\t`);
  }
  return `${alignColumns(rows.join('\n'))}\n`;
}
