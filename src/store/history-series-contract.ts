/**
 * @module store/history-series-contract
 * The History chart's behaviour every history storage with `series` (src/history/series.ts) must have, run
 * against SQLite (src/store/history-series-contract.test.ts) and PostgreSQL (src/store/postgres/history-series.test.ts):
 * firing intervals counted in every bucket they touch, re-firing, stacking by a label, top N and "other",
 * notification attempts with failures, retention, and whole-hour and odd steps checked against a count done
 * by hand over a seeded random history.
 */
import type { HistoryEvent } from '../history/event';
import { buildSeries, type SeriesQuery } from '../history/series';
import type { HistoryStorage } from '../history/storage';

const M = 60_000;
const H = 3600_000;

export function created(time: number, fp: string, labels: Record<string, string>): HistoryEvent {
  return { time, kind: 'alert_created', fingerprint: fp, labels };
}
export function resolved(time: number, fp: string, labels: Record<string, string>): HistoryEvent {
  return { time, kind: 'alert_resolved', fingerprint: fp, labels, data: { by: 'endsAt' } };
}
export function attempt(time: number, receiver: string, outcome: 'success' | 'failure'): HistoryEvent {
  return { time, kind: 'notification', receiver, groupKey: '{}:{}', data: { integration: 'webhook', index: 0, attempt: 1, outcome, payload: '{"outcome":"failure"}' } };
}

/** The chart as the API builds it: series name -> values (alerts) or {values, failures} (notifications). */
export async function chart(s: HistoryStorage, q: Omit<SeriesQuery, 'top'> & { top?: number }): Promise<Record<string, number[] | { values: number[]; failures: number[] }>> {
  const full = { top: 10, ...q };
  const r = buildSeries(full, await s.series!(full));
  return Object.fromEntries(r.series.map((x) => [x.name, x.failures ? { values: x.values, failures: x.failures } : x.values]));
}

/**
 * A seeded random history: alerts of 3 names (and a `team` label on some) firing and resolving, attempts of 2
 * receivers, in time order; `spans` are its firing intervals counted by hand.
 */
export function randomHistory(seed: number, n: number): { events: HistoryEvent[]; spans: { name: string; team: string; start: number; end?: number }[]; end: number } {
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const events: HistoryEvent[] = [];
  const spans: { name: string; team: string; start: number; end?: number }[] = [];
  const open = new Map<string, (typeof spans)[number]>();
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rnd(4 * M);
    const k = rnd(40);
    const fp = `f${k}`;
    const labels: Record<string, string> = { alertname: `A${k % 3}`, ...(k % 4 === 0 ? {} : { team: `t${k % 4}` }) };
    const span = open.get(fp);
    if (rnd(5) === 0) {
      events.push(attempt(t, `r${rnd(2)}`, rnd(3) === 0 ? 'failure' : 'success'));
    } else if (span) {
      events.push(resolved(t, fp, labels));
      span.end = t;
      open.delete(fp);
    } else {
      events.push(created(t, fp, labels));
      const sp = { name: labels.alertname!, team: labels.team ?? '', start: t };
      spans.push(sp);
      open.set(fp, sp);
    }
  }
  return { events, spans, end: t };
}

/** alerts firing per bucket counted by hand over `spans` */
export function firingByHand(spans: ReturnType<typeof randomHistory>['spans'], key: 'name' | 'team', since: number, step: number, n: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const sp of spans) {
    for (let b = 0; b < n; b++) {
      const b0 = since + b * step;
      if (sp.start < b0 + step && (sp.end === undefined || sp.end >= b0)) {
        const row = (out[sp[key]] ??= new Array<number>(n).fill(0));
        row[b] = row[b]! + 1;
      }
    }
  }
  return out;
}

const disk = { alertname: 'Disk', team: 'db' };
const cpu = { alertname: 'Cpu', team: 'web' };
const mem = { alertname: 'Mem' };

export function runHistorySeriesContract(name: string, open: () => Promise<HistoryStorage>): void {
  describe(`${name}: history series contract (the History chart)`, () => {
    it('counts an alert in every bucket its firing interval touches, before and after the window included', async () => {
      const s = await open();
      await s.append([
        created(0, 'd1', disk),
        created(10 * M + 5, 'd2', disk),
        created(12 * M, 'c1', cpu),
        resolved(12 * M + 30_000, 'c1', cpu),
        created(13 * M, 'm1', mem),
        resolved(11 * M + 1, 'd1', disk),
        resolved(99 * M, 'm1', mem),
        created(20 * M, 'c2', cpu),
      ]);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 10 * M, until: 15 * M, step: M })).toEqual({
        Disk: [2, 2, 1, 1, 1],
        Mem: [0, 0, 0, 1, 1],
        Cpu: [0, 0, 1, 0, 0],
      });
    });

    it('counts an alert again when it fires again after resolving, and ignores a second resolution', async () => {
      const s = await open();
      await s.append([created(0, 'd1', disk), resolved(M, 'd1', disk), resolved(M + 1, 'd1', disk), created(3 * M, 'd1', disk), created(3 * M + 1, 'd2', disk)]);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 0, 2, 2] });
    });

    it('keeps the intervals right across batches (created in one, resolved in a later one)', async () => {
      const s = await open();
      await s.append([created(0, 'd1', disk), created(0, 'c1', cpu)]);
      await s.append([resolved(M, 'd1', disk)]);
      await s.append([created(2 * M, 'd1', disk), created(2 * M + 1, 'd1', disk)]);
      await s.append([resolved(3 * M, 'c1', cpu), resolved(3 * M, 'd1', disk)]);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 1, 1, 0], Cpu: [1, 1, 1, 1, 0] });
    });

    it('stacks by a label, alerts without it under ""', async () => {
      const s = await open();
      await s.append([created(0, 'd1', disk), created(0, 'c1', cpu), created(0, 'c2', { ...cpu, instance: 'b' }), created(0, 'm1', mem)]);
      expect(await chart(s, { kind: 'alerts', by: 'team', since: 0, until: 2 * M, step: M })).toEqual({ web: [2, 2], db: [1, 1], '': [1, 1] });
    });

    it('keeps the top N series by total and sums the rest as "other"', async () => {
      const s = await open();
      const evs: HistoryEvent[] = [];
      for (let n = 1; n <= 5; n++) for (let i = 0; i < n; i++) evs.push(created(0, `f${n}-${i}`, { alertname: `A${n}` }));
      await s.append(evs);
      const q: SeriesQuery = { kind: 'alerts', by: 'alertname', since: 0, until: M, step: M, top: 2 };
      expect(buildSeries(q, await s.series!(q)).series).toEqual([
        { name: 'A5', values: [5] },
        { name: 'A4', values: [4] },
        { name: 'other', other: true, values: [3 + 2 + 1] },
      ]);
    });

    it('counts notification attempts per receiver and bucket, failures apart', async () => {
      const s = await open();
      await s.append([attempt(0, 'pager', 'failure'), attempt(1000, 'pager', 'success'), attempt(M, 'slack', 'success'), attempt(2 * M, 'pager', 'success'), attempt(5 * M, 'pager', 'failure')]);
      expect(await chart(s, { kind: 'notifications', by: 'receiver', since: 0, until: 3 * M, step: M })).toEqual({
        pager: { values: [2, 0, 1], failures: [1, 0, 0] },
        slack: { values: [0, 1, 0], failures: [0, 0, 0] },
      });
    });

    it('forgets intervals that ended before the retention cut', async () => {
      const s = await open();
      await s.append([created(0, 'd1', disk), resolved(M, 'd1', disk), created(0, 'd2', disk)]);
      await s.deleteOlderThan(2 * M, 1000);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 3 * M, step: M })).toEqual({ Disk: [1, 1, 1] });
    });

    it('answers whole-hour, odd and label steps as a count by hand over a random history', async () => {
      const s = await open();
      const { events, spans, end } = randomHistory(7, 3000);
      for (let i = 0; i < events.length; i += 100) await s.append(events.slice(i, i + 100));
      const since = 3 * H;
      const step = 2 * H;
      const n = Math.floor((end - 4 * H - since) / step);
      const until = since + n * step;
      expect(n).toBeGreaterThan(10);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since, until, step })).toEqual(firingByHand(spans, 'name', since, step, n));
      expect(await chart(s, { kind: 'alerts', by: 'team', since, until, step })).toEqual(firingByHand(spans, 'team', since, step, n));
      const sent: Record<string, { values: number[]; failures: number[] }> = {};
      for (const e of events) {
        if (e.kind !== 'notification' || e.time < since || e.time >= until) continue;
        const b = Math.floor((e.time - since) / step);
        const r = (sent[e.receiver!] ??= { values: new Array<number>(n).fill(0), failures: new Array<number>(n).fill(0) });
        r.values[b] = r.values[b]! + 1;
        if (e.data?.outcome === 'failure') r.failures[b] = r.failures[b]! + 1;
      }
      expect(await chart(s, { kind: 'notifications', by: 'receiver', since, until, step })).toEqual(sent);
      const odd = 119 * M;
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: odd, until: 21 * odd, step: odd })).toEqual(firingByHand(spans, 'name', odd, odd, 20));
    });
  });
}
