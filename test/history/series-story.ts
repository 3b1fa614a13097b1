/**
 * The stored story both series API tests read (SQLite: series-api.test.ts; PostgreSQL: series-postgres.test.ts):
 * an alert firing 02:13 to 02:15, two attempts to pager at 02:13:31 (failed) and 02:13:32; and the 5-minute
 * window around it, in buckets of one minute.
 */
import type { HistoryEvent } from '../../src/history/event';

export const T0 = Date.UTC(2026, 0, 1, 2, 0);
export const M = 60_000;

export function storyEvents(): HistoryEvent[] {
  const disk = { alertname: 'DiskFull', team: 'db' };
  return [
    { time: T0 + 13 * M, kind: 'alert_created', fingerprint: 'f1', labels: disk },
    { time: T0 + 13 * M + 31_000, kind: 'notification', receiver: 'pager', groupKey: '{}:{}', data: { outcome: 'failure', status: 500 } },
    { time: T0 + 13 * M + 32_000, kind: 'notification', receiver: 'pager', groupKey: '{}:{}', data: { outcome: 'success', status: 202 } },
    { time: T0 + 15 * M, kind: 'alert_resolved', fingerprint: 'f1', labels: disk, data: { by: 'endsAt' } },
  ];
}

export const storyWindow = `since=${new Date(T0 + 12 * M).toISOString()}&until=${new Date(T0 + 17 * M).toISOString()}&step=1m`;

/** The series endpoint's answer for alerts firing over storyWindow, by alertname (both backends answer it). */
export const storyFiringBody = {
  kind: 'alerts',
  by: 'alertname',
  since: '2026-01-01T02:12:00.000Z',
  until: '2026-01-01T02:17:00.000Z',
  stepSeconds: 60,
  series: [{ name: 'DiskFull', values: [0, 1, 1, 1, 0] }],
};
