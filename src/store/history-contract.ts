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
