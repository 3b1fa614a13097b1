import { mergeAlerts, overlaps } from '../../provider/mem-alerts';
import type { Alert } from '../../types/alert';
import type { PgStorage } from './pg-storage';
import { createTestDatabase, openReplicas, type TestDatabase } from './testing/database';

const NOW = 1_700_000_000_000;

function alert(fp: string, o: Partial<Alert> = {}): Alert {
  return {
    fingerprint: fp,
    labels: { alertname: 'A', fp },
    annotations: { summary: `s-${fp}` },
    startsAt: NOW - 60_000,
    endsAt: NOW + 300_000,
    updatedAt: NOW,
    generatorURL: 'http://prom/graph',
    timeout: true,
    ...o,
  };
}

/** a small deterministic PRNG, so a failing case can be replayed */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('PgAlertStore', () => {
  let db: TestDatabase;
  let replicas: PgStorage[];
  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = await openReplicas(db.url, 3);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await db.drop();
  });
  beforeEach(async () => {
    await replicas[0]!.pool.query('TRUNCATE alerts');
  });
  const r1 = () => replicas[0]!.alerts;

  test('merge() stores new alerts and loadAll() reads them back unchanged', async () => {
    const a = alert('0000000000000001', { endsAt: 0, timeout: false, annotations: { 'ü': 'x"y' } });
    const b = alert('0000000000000002');
    expect(await r1().merge([a, b], NOW)).toEqual([a, b]);
    const all = await replicas[1]!.alerts.loadAll();
    expect(all.sort((x, y) => x.fingerprint.localeCompare(y.fingerprint))).toEqual([a, b]);
  });

  test('the SQL merge gives what mergeAlerts/overlaps give, on 2000 random stored/incoming pairs', async () => {
    const rand = rng(13);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const times = [0, NOW - 120_000, NOW - 60_000, NOW - 1, NOW, NOW + 1, NOW + 60_000, NOW + 300_000];
    const olds: Alert[] = [];
    const news: Alert[] = [];
    for (let i = 0; i < 2000; i++) {
      const fp = i.toString(16).padStart(16, '0');
      const mk = (tag: string): Alert =>
        alert(fp, {
          startsAt: pick(times.slice(1)),
          endsAt: pick(times),
          updatedAt: pick([NOW - 10, NOW, NOW + 10]),
          timeout: rand() < 0.5,
          annotations: { v: tag },
          generatorURL: `http://${tag}`,
        });
      olds.push(mk('old'));
      news.push(mk('new'));
    }
    await r1().merge(olds, NOW);
    const got = await r1().merge(news, NOW);
    const want = news.map((n, i) => (overlaps(olds[i]!, n) ? mergeAlerts(olds[i]!, n, NOW) : n));
    expect(got).toEqual(want);
    // the cases cover both outcomes of every rule
    expect(want.filter((w, i) => w !== news[i]).length).toBeGreaterThan(100);
    expect(want.filter((w) => w.annotations.v === 'old').length).toBeGreaterThan(50);
  });

  test('a fingerprint repeated in one batch is merged in order, as MemAlerts.put does', async () => {
    const first = alert('00000000000000aa', { startsAt: NOW - 100_000, endsAt: NOW + 100_000, updatedAt: NOW - 5 });
    const second = alert('00000000000000aa', { startsAt: NOW - 50_000, endsAt: NOW + 200_000, updatedAt: NOW, annotations: { v: '2' } });
    const [got] = await r1().merge([first, second], NOW);
    expect(got).toEqual(mergeAlerts(first, second, NOW));
    expect(got!.startsAt).toBe(NOW - 100_000);
  });

  test('3 replicas merging the same 200 alerts concurrently (each with its own receive time) converge', async () => {
    const fps = Array.from({ length: 200 }, (_, i) => (0x1000 + i).toString(16).padStart(16, '0'));
    // Prometheus re-sends every alert to every replica; each replica stamps its own updatedAt
    const sent = replicas.map((_, r) =>
      fps.map((fp, i) => alert(fp, { startsAt: NOW - 60_000 - (i % 7) * 1000 + r, endsAt: NOW + 180_000 + r * 1000, updatedAt: NOW + r, annotations: { from: `r${r + 1}` } })),
    );
    for (let round = 0; round < 3; round++) {
      // each replica posts in its own order, in 4 batches, all at once
      await Promise.all(
        replicas.map(async (rep, r) => {
          const mine = round % 2 === r % 2 ? sent[r]! : [...sent[r]!].reverse();
          for (let i = 0; i < 4; i++) await rep.alerts.merge(mine.slice(i * 50, i * 50 + 50), NOW);
        }),
      );
    }
    const views = await Promise.all(replicas.map((r) => r.alerts.loadAll()));
    const byFp = (xs: Alert[]) => new Map(xs.map((a) => [a.fingerprint, a]));
    expect(byFp(views[1]!)).toEqual(byFp(views[0]!));
    expect(byFp(views[2]!)).toEqual(byFp(views[0]!));
    for (const [i, fp] of fps.entries()) {
      const got = byFp(views[0]!).get(fp)!;
      // the youngest (r3) is the base; the earliest start of all wins; r3's end is the latest
      expect(got).toEqual({ ...sent[2]![i]!, startsAt: sent[0]![i]!.startsAt });
    }
  });

  test('delete() removes rows', async () => {
    await r1().merge([alert('0000000000000001'), alert('0000000000000002')], NOW);
    await r1().delete(['0000000000000001', 'ffffffffffffffff']);
    expect((await r1().loadAll()).map((a) => a.fingerprint)).toEqual(['0000000000000002']);
  });

  test('changesSince() misses no write, also one committed late by a transaction that started early', async () => {
    const feed = replicas[2]!.alerts;
    let { cursor, alerts } = await feed.changesSince('0');
    expect(alerts).toEqual([]);
    // a transaction that writes first (low xid) but commits last
    const late = await replicas[1]!.pool.connect();
    try {
      await late.query('BEGIN');
      await late.query(
        `INSERT INTO alerts (fingerprint, labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout)
         VALUES ('00000000000000ee', '{}', '{}', 1, 2, 3, '', false)`,
      );
      await r1().merge([alert('0000000000000001')], NOW);
      ({ cursor, alerts } = await feed.changesSince(cursor));
      expect(alerts.map((a) => a.fingerprint)).toEqual(['0000000000000001']);
      await late.query('COMMIT');
    } finally {
      late.release();
    }
    ({ cursor, alerts } = await feed.changesSince(cursor));
    expect(alerts.map((a) => a.fingerprint)).toContain('00000000000000ee');
    // nothing new: nothing (or only rows of still-open transactions' range) comes back
    await r1().merge([alert('0000000000000003')], NOW);
    ({ alerts } = await feed.changesSince(cursor));
    expect(alerts.map((a) => a.fingerprint)).toContain('0000000000000003');
    expect(alerts.map((a) => a.fingerprint)).not.toContain('00000000000000ee');
  });
});
