import type { Alert } from '../../types/alert';
import { NOW, testAlert } from '../storage-contract';
import { useReplicas } from './testing/database';

describe('PgAlertStore', () => {
  const replicas = useReplicas(3, 'alerts');
  const r1 = () => replicas[0]!.alerts;

  test('3 replicas merging the same 200 alerts concurrently (each with its own receive time) converge', async () => {
    const fps = Array.from({ length: 200 }, (_, i) => (0x1000 + i).toString(16).padStart(16, '0'));
    // Prometheus re-sends every alert to every replica; each replica stamps its own updatedAt
    const sent = replicas.map((_, r) =>
      fps.map((fp, i) => testAlert(fp, { startsAt: NOW - 60_000 - (i % 7) * 1000 + r, endsAt: NOW + 180_000 + r * 1000, updatedAt: NOW + r, annotations: { from: `r${r + 1}` } })),
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
      await r1().merge([testAlert('0000000000000001')], NOW);
      ({ cursor, alerts } = await feed.changesSince(cursor));
      expect(alerts.map((a) => a.fingerprint)).toEqual(['0000000000000001']);
      await late.query('COMMIT');
    } finally {
      late.release();
    }
    ({ cursor, alerts } = await feed.changesSince(cursor));
    expect(alerts.map((a) => a.fingerprint)).toContain('00000000000000ee');
    // nothing new: nothing (or only rows of still-open transactions' range) comes back
    await r1().merge([testAlert('0000000000000003')], NOW);
    ({ alerts } = await feed.changesSince(cursor));
    expect(alerts.map((a) => a.fingerprint)).toContain('0000000000000003');
    expect(alerts.map((a) => a.fingerprint)).not.toContain('00000000000000ee');
  });
});
