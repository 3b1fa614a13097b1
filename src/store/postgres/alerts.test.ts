import type { Alert } from '../../types/alert';
import { mergeStored } from '../alert-merge';
import { NOW, randomMergePairs, testAlert } from '../storage-contract';
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

  describe('sync() (a replica whose memory holds what it sends)', () => {
    const xidOf = async (fp: string) => (await replicas[0]!.pool.query('SELECT xid::text AS x FROM alerts WHERE fingerprint = $1', [fp])).rows[0]?.x as string;
    const stored = async (fp: string) => (await r1().loadAll()).find((a) => a.fingerprint === fp);

    test('a re-send that only moves updatedAt, or extends endsAt a little, is not written; others are', async () => {
      const a = testAlert('00000000000000b1', { startsAt: NOW - 60_000, endsAt: NOW + 240_000, updatedAt: NOW });
      expect(await r1().sync([a], NOW)).toEqual({ written: [a], newer: [] });
      expect(await stored(a.fingerprint)).toEqual(a);
      const xid = await xidOf(a.fingerprint);
      // re-sent 30 s later: endsAt +30 s (the stored end, 210 s away, is more than half of the new one's 240 s)
      const later = NOW + 30_000;
      expect((await r1().sync([{ ...a, endsAt: later + 240_000, updatedAt: later }], later)).newer).toEqual([]);
      expect(await r1().sync([{ ...a, updatedAt: later + 1 }], later)).toEqual({ written: [], newer: [] });
      expect(await xidOf(a.fingerprint)).toBe(xid);
      expect(await stored(a.fingerprint)).toEqual(a);
      // 150 s later the stored end is 90 s away, less than half of 240 s: written
      const t2 = NOW + 150_000;
      const extended = { ...a, endsAt: t2 + 240_000, updatedAt: t2 };
      expect(await r1().sync([extended], t2)).toEqual({ written: [extended], newer: [] });
      expect(await stored(a.fingerprint)).toEqual(extended);
      // a new annotation, and a resolve, are written at once
      const annotated = { ...extended, annotations: { summary: 'changed' }, updatedAt: t2 + 1 };
      await r1().sync([annotated], t2 + 1);
      expect(await stored(a.fingerprint)).toEqual(annotated);
      const resolved = { ...annotated, endsAt: t2 + 2, updatedAt: t2 + 2 };
      await r1().sync([resolved], t2 + 2);
      expect(await stored(a.fingerprint)).toEqual(resolved);
    });

    test('returns only what differs from what was sent: another replica stored a newer version', async () => {
      const a = testAlert('00000000000000b2', { startsAt: NOW - 60_000, updatedAt: NOW });
      await replicas[1]!.alerts.sync([{ ...a, startsAt: NOW - 120_000, annotations: { from: 'r2' }, updatedAt: NOW + 5 }], NOW);
      // r1's copy is older (updatedAt NOW): the stored one is the base, with the earliest start
      expect((await r1().sync([a, testAlert('00000000000000b3')], NOW)).newer).toEqual([{ ...a, startsAt: NOW - 120_000, annotations: { from: 'r2' }, updatedAt: NOW + 5 }]);
    });

    test('on 2000 random stored/incoming pairs: the result is the merge rule; what is stored differs at most lazily', async () => {
      const { olds, news } = randomMergePairs(2000, 7);
      const moved = (a: Alert): Alert => ({ ...a, fingerprint: `c${a.fingerprint.slice(1)}` });
      const o = olds.map(moved);
      // half of them re-sent with the same annotations (only times differ), as Prometheus re-sends
      const n = news.map((a, i) => (i % 2 ? moved(a) : { ...moved(a), annotations: olds[i]!.annotations, generatorURL: olds[i]!.generatorURL }));
      await r1().merge(o, NOW);
      const back = new Map((await r1().sync(n, NOW)).newer.map((a) => [a.fingerprint, a]));
      const all = new Map((await r1().loadAll()).map((a) => [a.fingerprint, a]));
      let lazy = 0;
      for (const [i, incoming] of n.entries()) {
        const want = mergeStored(o[i], incoming, NOW);
        expect(back.get(incoming.fingerprint) ?? incoming).toEqual(want);
        const s = all.get(incoming.fingerprint)!;
        if (s.updatedAt === want.updatedAt && s.endsAt === want.endsAt) {
          expect(s).toEqual(want);
          continue;
        }
        // not written: the stored row is the old one, and the merge changed only updatedAt / a small endsAt extension
        lazy++;
        expect(s).toEqual(o[i]);
        expect({ ...want, updatedAt: 0, endsAt: 0 }).toEqual({ ...s, updatedAt: 0, endsAt: 0 });
        expect(s.endsAt === want.endsAt || (s.endsAt > NOW && want.endsAt > s.endsAt && (s.endsAt - NOW) * 2 >= want.endsAt - NOW)).toBe(true);
      }
      expect(lazy).toBeGreaterThan(10);
    });

    test('3 replicas syncing the same 200 new alerts at once agree on them; re-sends then write nothing', async () => {
      const fps = Array.from({ length: 200 }, (_, i) => (0xe000 + i).toString(16).padStart(16, '0'));
      const sent = replicas.map((_, r) => fps.map((fp) => testAlert(fp, { updatedAt: NOW + r })));
      const views = await Promise.all(
        replicas.map(async (rep, r) => {
          const view = new Map(sent[r]!.map((a) => [a.fingerprint, a]));
          for (let i = 0; i < 4; i++) for (const a of (await rep.alerts.sync(sent[r]!.slice(i * 50, i * 50 + 50), NOW)).newer) view.set(a.fingerprint, a);
          return view;
        }),
      );
      const stored = new Map((await r1().loadAll()).map((a) => [a.fingerprint, a]));
      const timeless = (a: Alert) => ({ ...a, updatedAt: 0 });
      for (const fp of fps) for (const v of views) expect(timeless(v.get(fp)!)).toEqual(timeless(stored.get(fp)!));
      const xids = (await replicas[0]!.pool.query("SELECT count(DISTINCT xid) AS n, max(xid::text) AS x FROM alerts WHERE fingerprint LIKE '000000000000e%'")).rows[0];
      await Promise.all(replicas.map((rep, r) => rep.alerts.sync(sent[r]!.map((a) => ({ ...a, updatedAt: NOW + 10 + r })), NOW)));
      expect((await replicas[0]!.pool.query("SELECT count(DISTINCT xid) AS n, max(xid::text) AS x FROM alerts WHERE fingerprint LIKE '000000000000e%'")).rows[0]).toEqual(xids);
    });

    test("the change feed of a replica skips the rows it wrote last, not the others'", async () => {
      let { cursor } = await replicas[0]!.alerts.changesSince('0');
      await r1().sync([testAlert('00000000000000d1')], NOW);
      await replicas[1]!.alerts.sync([testAlert('00000000000000d2')], NOW);
      const own = await r1().changesSince(cursor, { othersOnly: true });
      expect(own.alerts.map((a) => a.fingerprint)).toEqual(['00000000000000d2']);
      // r2 writes r1's alert (a change): r1 reads it
      ({ cursor } = own);
      await replicas[1]!.alerts.sync([testAlert('00000000000000d1', { annotations: { v: '2' }, updatedAt: NOW + 1 })], NOW);
      expect((await r1().changesSince(cursor, { othersOnly: true })).alerts.map((a) => a.annotations)).toEqual([{ v: '2' }]);
    });
  });
});
