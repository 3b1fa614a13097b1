/**
 * History (issue 14): appending events and the history API's queries over 1M stored events (100k with
 * --quick) in a real SQLite file: by fingerprint, by receiver within a time window, newest by kind, and a label
 * filter (evaluated in JS over the rows); and the History chart's aggregations (alerts firing, notifications per
 * receiver) over 1 h to 14 d. µs per event appended, µs per query.
 * Each query is awaited (pageHistory decodes rows after its first await, buildSeries runs on the cells).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent, HistoryKind } from '../../src/history/event';
import { openDatabase } from '../../src/store/db';
import { sqliteHistoryStorage } from '../../src/store/history';
import { buildSeries, defaultStep, type SeriesKind, seriesWindow } from '../../src/history/series';
import { type MicroOptions, type MicroResult, repeatAsync, timeOnce } from './measure';

const KINDS: HistoryKind[] = ['alert_created', 'alert_grouped', 'notification', 'flush_skipped', 'alert_resolved', 'silence_muted_alert'];
export const SPAN = 14 * 24 * 3600_000;

export function event(n: number, total: number, t0: number): HistoryEvent {
  const kind = KINDS[n % KINDS.length]!;
  const time = t0 + Math.floor((n / total) * SPAN);
  if (kind === 'notification' || kind === 'flush_skipped') {
    const fp = (n % 50_000).toString(16).padStart(16, '0');
    return {
      time,
      kind,
      receiver: `r${n % 20}`,
      groupKey: `{}:{alertname="A${n % 200}"}`,
      data: { integration: 'webhook', index: 0, outcome: 'success', attempt: 1, latencyMs: 12.3, firing: [fp], resolved: [] },
    };
  }
  const labels = { alertname: `A${n % 200}`, instance: `host-${n % 50_000}`, job: 'node', team: `t${n % 10}` };
  return { time, kind, fingerprint: (n % 50_000).toString(16).padStart(16, '0'), labels };
}

export async function benchHistory(o: MicroOptions = {}): Promise<MicroResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-history-'));
  const db = openDatabase(dir);
  try {
    const s = sqliteHistoryStorage(db);
    const total = o.quick ? 100_000 : 1_000_000;
    const t0 = Date.UTC(2026, 0, 1);
    const out: MicroResult[] = [];
    const batches: HistoryEvent[][] = [];
    for (let b = 0; b < total / 1000; b++) batches.push(Array.from({ length: 1000 }, (_, i) => event(b * 1000 + i, total, t0)));
    out.push(
      timeOnce(`history append, ${total / 1000}k events in batches of 1000 (per event)`, total, () => {
        for (const b of batches) void s.append(b);
      }),
    );
    const mid = t0 + SPAN / 2;
    let i = 0;
    const n = `${total / 1000}k`;
    out.push(await repeatAsync(`history query by fingerprint, newest 100, of ${n}`, () => s.query({ limit: 100, fingerprint: ((i++ * 997) % 50_000).toString(16).padStart(16, '0') })));
    out.push(await repeatAsync(`history query by receiver in a 1 h window, of ${n}`, () => s.query({ limit: 100, receiver: `r${i++ % 20}`, since: mid, until: mid + 3600_000 })));
    out.push(await repeatAsync(`history query by receiver in a 1 d window, 1000 events, of ${n}`, () => s.query({ limit: 1000, receiver: `r${i++ % 20}`, since: mid, until: mid + 86_400_000 })));
    out.push(await repeatAsync(`history query kind=notification, newest 100, of ${n}`, () => s.query({ limit: 100, kinds: ['notification'] })));
    out.push(await repeatAsync(`history query label filter team="t3", newest 100, of ${n}`, () => s.query({ limit: 100, match: (l) => l.team === 't3' })));
    out.push(await repeatAsync(`history query label filter 1 team in 10 + 1 instance in 50k, of ${n}`, () => s.query({ limit: 100, match: (l) => l.team === 't3' && l.instance === 'host-3' }), 1000));
    out.push(await repeatAsync(`history query alertname="A7" (1 in 200, indexed), newest 100, of ${n}`, () => s.query({ limit: 100, alertname: 'A7', match: (l) => l.alertname === 'A7' })));
    // the History page's chart (GET /api/v2/tocsin/history/series): storage cells plus buildSeries (top 10 + other)
    const chart = async (name: string, kind: SeriesKind, by: string, span: number) => {
      const w = seriesWindow(t0 + SPAN - span, t0 + SPAN, defaultStep(span));
      const q = { kind, by, since: w.since, until: w.until, step: defaultStep(span), top: 10 };
      out.push(await repeatAsync(`history chart ${name}, of ${n}`, async () => buildSeries(q, await s.series!(q))));
    };
    await chart('alerts firing by alertname, last 1 h', 'alerts', 'alertname', 3600_000);
    await chart('alerts firing by alertname, last 1 d', 'alerts', 'alertname', 86_400_000);
    await chart('alerts firing by alertname, last 14 d', 'alerts', 'alertname', SPAN);
    await chart('alerts firing by label team, last 14 d', 'alerts', 'team', SPAN);
    await chart('notifications by receiver, last 1 d', 'notifications', 'receiver', 86_400_000);
    await chart('notifications by receiver, last 14 d', 'notifications', 'receiver', SPAN);
    return out;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
