/**
 * @module store/history-contract
 * The behaviour every history storage (src/history/storage.ts) must have, run against SQLite
 * (src/store/history.test.ts) and PostgreSQL (src/store/postgres/history.test.ts): newest first with every
 * field, the filters, cursor paging (also through a label filter), retention deletes in bounded batches.
 */
import type { HistoryEvent } from '../history/event';
import type { HistoryCursor, HistoryStorage } from '../history/storage';

/** The five events the contract stores (also used by the SQLite-only tests). */
export function events(): HistoryEvent[] {
  return [
    { time: 1000, kind: 'alert_created', fingerprint: 'a1', labels: { alertname: 'Disk', team: 'db' } },
    { time: 2000, kind: 'alert_grouped', fingerprint: 'a1', labels: { alertname: 'Disk', team: 'db' }, groupKey: '{}:{}', receiver: 'pager' },
    { time: 3000, kind: 'notification', groupKey: '{}:{}', receiver: 'pager', data: { status: 200, attempt: 1 } },
    { time: 3000, kind: 'alert_created', fingerprint: 'b2', labels: { alertname: 'Cpu', team: 'web' } },
    { time: 4000, kind: 'silence_created', silenceId: 's1', data: { createdBy: 'ann' } },
  ];
}

export function runHistoryStorageContract(name: string, open: () => Promise<HistoryStorage>): void {
describe(`${name}: history storage contract`, () => {
  it('returns events newest first with every field, same-time events by insertion order', async () => {
    const s = await open();
    await s.append(events());
    const page = await s.query({ limit: 10 });
    expect(page.next).toBeUndefined();
    expect(page.events.map((e) => [e.time, e.kind])).toEqual([
      [4000, 'silence_created'],
      [3000, 'alert_created'],
      [3000, 'notification'],
      [2000, 'alert_grouped'],
      [1000, 'alert_created'],
    ]);
    const { id: _id, ...grouped } = page.events[3]!;
    expect(grouped).toEqual(events()[1]);
    expect(page.events[0]).toMatchObject({ silenceId: 's1', data: { createdBy: 'ann' } });
  });

  it('filters by fingerprint, receiver, kinds, time window and labels', async () => {
    const s = await open();
    await s.append(events());
    const kinds = async (q: Parameters<typeof s.query>[0]) => (await s.query(q)).events.map((e) => `${e.kind}@${e.time}`);
    expect(await kinds({ limit: 10, fingerprint: 'a1' })).toEqual(['alert_grouped@2000', 'alert_created@1000']);
    expect(await kinds({ limit: 10, receiver: 'pager' })).toEqual(['notification@3000', 'alert_grouped@2000']);
    expect(await kinds({ limit: 10, groupKey: '{}:{}' })).toEqual(['notification@3000', 'alert_grouped@2000']);
    expect(await kinds({ limit: 10, kinds: ['alert_created', 'silence_created'] })).toEqual(['silence_created@4000', 'alert_created@3000', 'alert_created@1000']);
    expect(await kinds({ limit: 10, since: 2000, until: 4000 })).toEqual(['alert_created@3000', 'notification@3000', 'alert_grouped@2000']);
    expect(await kinds({ limit: 10, match: (l) => l.team === 'web' })).toEqual(['alert_created@3000']);
    expect(await kinds({ limit: 10, alertname: 'Disk' })).toEqual(['alert_grouped@2000', 'alert_created@1000']);
  });

  it('pages with a cursor, also through a label filter that drops rows', async () => {
    const s = await open();
    const many: HistoryEvent[] = [];
    for (let i = 0; i < 1200; i++) many.push({ time: 1000 + Math.floor(i / 3), kind: 'alert_created', fingerprint: `f${i}`, labels: { n: String(i), odd: String(i % 2) } });
    await s.append(many);
    const seen: string[] = [];
    let after: HistoryCursor | undefined;
    for (;;) {
      const p = await s.query({ limit: 7, match: (l) => l.odd === '1', ...(after ? { after } : {}) });
      seen.push(...p.events.map((e) => e.fingerprint!));
      if (!p.next) break;
      after = p.next;
    }
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(seen[0]).toBe('f1199');
    // a filter matching nothing ends the page at the scan limit with a cursor to continue
    const none = await s.query({ limit: 5, match: () => false, scanLimit: 500 });
    expect(none.events).toEqual([]);
    expect(none.next).toBeDefined();
  });

  it("keeps a first-seen alert's created and grouped events of one millisecond apart: fields, filters, paging", async () => {
    const s = await open();
    const labels = { alertname: 'Disk', team: 'db' };
    const storm: HistoryEvent[] = [];
    for (const fp of ['p1', 'p2', 'p3']) storm.push({ time: 5000, kind: 'alert_created', fingerprint: fp, labels, data: { startsAt: 4000 } });
    for (const fp of ['p1', 'p2', 'p3']) storm.push({ time: 5000, kind: 'alert_grouped', fingerprint: fp, labels, groupKey: '{}:{}', receiver: 'pager' });
    storm.push({ time: 5000, kind: 'alert_grouped', fingerprint: 'p1', labels, groupKey: '{}:{team="db"}', receiver: 'mail' });
    await s.append(storm);
    const all = (await s.query({ limit: 100 })).events;
    const strip = (e: (typeof all)[number]) => {
      const { id: _id, ...rest } = e;
      return rest;
    };
    // every event with its own fields, an alert's grouped after its created, ids distinct
    expect(all).toHaveLength(7);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    expect(all.map(strip).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(storm.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    for (const fp of ['p1', 'p2', 'p3']) {
      const mine = all.filter((e) => e.fingerprint === fp).map((e) => e.kind);
      expect(mine[mine.length - 1]).toBe('alert_created');
      expect((await s.query({ limit: 10, fingerprint: fp })).events.map(strip)).toEqual(all.filter((e) => e.fingerprint === fp).map(strip));
    }
    // pages of any size see every event once, in the same order
    for (const limit of [1, 2, 3]) {
      const seen: number[] = [];
      let after: HistoryCursor | undefined;
      for (;;) {
        const p = await s.query({ limit, ...(after ? { after } : {}) });
        seen.push(...p.events.map((e) => e.id));
        if (!p.next) break;
        after = p.next;
      }
      expect(seen).toEqual(all.map((e) => e.id));
    }
    const kinds = async (q: Parameters<typeof s.query>[0]) => (await s.query(q)).events.map((e) => `${e.kind}:${e.fingerprint}:${e.receiver ?? ''}`).sort();
    expect(await kinds({ limit: 10, receiver: 'pager' })).toEqual(['alert_grouped:p1:pager', 'alert_grouped:p2:pager', 'alert_grouped:p3:pager']);
    expect(await kinds({ limit: 10, groupKey: '{}:{team="db"}' })).toEqual(['alert_grouped:p1:mail']);
    expect(await kinds({ limit: 10, kinds: ['alert_created'] })).toEqual(['alert_created:p1:', 'alert_created:p2:', 'alert_created:p3:']);
    expect(await kinds({ limit: 10, kinds: ['alert_grouped'], receiver: 'pager' })).toEqual(['alert_grouped:p1:pager', 'alert_grouped:p2:pager', 'alert_grouped:p3:pager']);
    expect(await kinds({ limit: 10, kinds: ['alert_created'], receiver: 'pager' })).toEqual([]);
    expect(await kinds({ limit: 2, kinds: ['alert_grouped'], match: (l) => l.team === 'db' })).toHaveLength(2);
    expect(await s.count()).toBe(7);
  });

  it('deletes old events and trims to the newest N in bounded batches', async () => {
    const s = await open();
    await s.append(events());
    expect(await s.deleteOlderThan(3000, 1)).toBe(1);
    expect(await s.deleteOlderThan(3000, 10)).toBe(1);
    expect(await s.count()).toBe(3);
    expect(await s.trimToNewest(1, 1)).toBe(1);
    expect(await s.trimToNewest(1, 10)).toBe(1);
    expect((await s.query({ limit: 10 })).events.map((e) => e.kind)).toEqual(['silence_created']);
  });
});
}
