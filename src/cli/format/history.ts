/**
 * @module cli/format/history
 * `tocsinctl history` output: simple (time, kind, what it concerns, a one-line summary), extended (every id
 * and the event's fields as name=value) and json (the API's events as they are).
 */
import { type HistoryEventWire, historySubject, historySummary, oneLine } from '../../wire/history';
import { formatLabelPairs } from './strings';
import { alignColumns } from './tabwriter';

export type { HistoryEventWire };

/** `date` formats an RFC 3339 time as the user's --date.format asks. */
export function formatHistory(events: readonly HistoryEventWire[], output: 'simple' | 'extended', date: (iso: string) => string): string {
  const rows: string[] = [];
  if (output === 'extended') {
    rows.push('Time\tKind\tFingerprint\tLabels\tReceiver\tGroup Key\tSilence\tDetails\t');
    for (const e of events) {
      const details = Object.entries(e.data ?? {})
        .map(([k, v]) => `${k}=${oneLine(v)}`)
        .join(' ');
      rows.push(
        `${date(e.time)}\t${e.kind}\t${e.fingerprint ?? ''}\t${e.labels ? formatLabelPairs(e.labels) : ''}\t${e.receiver ?? ''}\t${e.groupKey ?? ''}\t${e.silenceId ?? ''}\t${details}\t`,
      );
    }
  } else {
    rows.push('Time\tKind\tSubject\tSummary\t');
    for (const e of events) rows.push(`${date(e.time)}\t${e.kind}\t${historySubject(e)}\t${historySummary(e)}\t`);
  }
  return `${alignColumns(rows.join('\n'))}\n`;
}
