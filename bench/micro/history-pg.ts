/**
 * History on PostgreSQL (issue 14): appending events (with the firing intervals the statement trigger keeps)
 * and the History chart's aggregations over 1M stored events (100k with --quick) of bench/micro/history.ts's
 * mix, on a database of its own on the machine's PostgreSQL (TOCSIN_TEST_PG_URL or 127.0.0.1:5432). Not part of
 * `npm run bench` (filling PostgreSQL with 1M events takes minutes); run it alone:
 *   npx esbuild bench/micro/history-pg.ts --bundle --platform=node --log-level=warning | node - [--quick]
 * Prints µs per event appended and p50/p90 ms per chart query (each awaited, buildSeries included).
 */
import type { HistoryEvent } from '../../src/history/event';
import { buildSeries, defaultStep, type SeriesKind, seriesWindow } from '../../src/history/series';
import { PgStorage } from '../../src/store/postgres/pg-storage';
import { PgHistoryStorage } from '../../src/store/postgres/history';
import { createTestDatabase } from '../../src/store/postgres/testing/database';
import { event, SPAN } from './history';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const total = quick ? 100_000 : 1_000_000;
  const db = await createTestDatabase('tocsin_bench_history');
  const store = await PgStorage.open({ url: db.url, replica: 'bench', max: 4 });
  try {
    const s = new PgHistoryStorage(store.pool);
    const t0 = Date.UTC(2026, 0, 1);
    let start = process.hrtime.bigint();
    for (let b = 0; b < total / 1000; b++) {
      const batch: HistoryEvent[] = Array.from({ length: 1000 }, (_, i) => event(b * 1000 + i, total, t0));
      await s.append(batch);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`append ${total / 1000}k events in batches of 1000: ${((ms * 1000) / total).toFixed(1)} µs/event (${(ms / 1000).toFixed(1)} s)`);
    start = process.hrtime.bigint();
    await store.pool.query('VACUUM ANALYZE history');
    await store.pool.query('VACUUM ANALYZE history_firing');
    await store.pool.query('VACUUM ANALYZE history_hourly');
    // (what autovacuum does on a server that has been running: the plans then see the tables' real sizes)
    console.log(`vacuum analyze: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`);
    const { rows } = await store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM history_firing');
    console.log(`firing intervals: ${rows[0]!.n}`);
    const chart = async (label: string, kind: SeriesKind, by: string, span: number) => {
      const step = defaultStep(span);
      const w = seriesWindow(t0 + SPAN - span, t0 + SPAN, step);
      const q = { kind, by, since: w.since, until: w.until, step, top: 10 };
      const times: number[] = [];
      for (let i = 0; i < 25; i++) {
        const t = process.hrtime.bigint();
        buildSeries(q, await s.series(q));
        if (i >= 5) times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      console.log(`chart ${label}: p50 ${pct(times, 0.5).toFixed(1)} ms, p90 ${pct(times, 0.9).toFixed(1)} ms`);
    };
    const n = `of ${total / 1000}k`;
    await chart(`alerts firing by alertname, last 1 h, ${n}`, 'alerts', 'alertname', 3600_000);
    await chart(`alerts firing by alertname, last 1 d, ${n}`, 'alerts', 'alertname', 86_400_000);
    await chart(`alerts firing by alertname, last 14 d, ${n}`, 'alerts', 'alertname', SPAN);
    await chart(`alerts firing by label team, last 14 d, ${n}`, 'alerts', 'team', SPAN);
    await chart(`notifications by receiver, last 1 d, ${n}`, 'notifications', 'receiver', 86_400_000);
    await chart(`notifications by receiver, last 14 d, ${n}`, 'notifications', 'receiver', SPAN);
  } finally {
    await store.close();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
