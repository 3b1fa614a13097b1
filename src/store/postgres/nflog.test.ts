import type { NflogEntry } from '../storage';
import { NOW, testNflogEntry } from '../storage-contract';
import { useReplicas } from './testing/database';

describe('PgNflogStore', () => {
  const replicas = useReplicas(2, 'nflog, nflog_intent');
  const n1 = () => replicas[0]!.nflog;

  test('upsertMany() writes a batch that loadAll() reads back with versions', async () => {
    const a = testNflogEntry('{}:{a="1"}', { receiverData: { ts: '123.4', n: 2 }, resolvedAlerts: ['r1'] });
    const b = testNflogEntry('{}:{a="2"}');
    await n1().upsertMany([
      ['ka', a],
      ['kb', b],
    ]);
    const all = (await replicas[1]!.nflog.loadAll()).sort((x, y) => x.groupKey.localeCompare(y.groupKey));
    expect(all).toEqual([
      { ...a, version: 1 },
      { ...b, version: 1 },
    ]);
    await n1().upsertMany([['ka', { ...a, timestamp: NOW + 1, firingAlerts: [] }]]);
    const ka = (await n1().loadAll()).find((e) => e.groupKey === a.groupKey)!;
    expect(ka).toMatchObject({ timestamp: NOW + 1, firingAlerts: [], version: 2 });
  });

  test('a key repeated in one batch keeps the last; 1000 entries in one call', async () => {
    const many: [string, NflogEntry][] = Array.from({ length: 1000 }, (_, i) => [`k${i}`, testNflogEntry(`g${i}`)]);
    many.push(['k1', testNflogEntry('g1', { firingAlerts: ['last'] })]);
    await n1().upsertMany(many);
    const all = await n1().loadAll();
    expect(all).toHaveLength(1000);
    expect(all.find((e) => e.groupKey === 'g1')!.firingAlerts).toEqual(['last']);
  });

  test('intents: putIntent() adds to the stored alerts (later expiry wins), settleIntent() trims them, the row goes when none is left', async () => {
    const R = { groupName: 'pager', integration: 'webhook', idx: 0 };
    const intent = (groupKey: string, firing: string[], expiresAt: number) => ({ groupKey, receiver: R, firing, expiresAt });
    await n1().putIntent('k1', intent('g1', ['a', 'b'], NOW + 1000));
    await n1().putIntent('k1', intent('g1', ['b', 'c'], NOW + 500));
    await n1().putIntent('k2', intent('g2', ['x'], NOW + 2000));
    const other = replicas[1]!.nflog;
    expect(await other.intents(NOW, ['g1'])).toEqual([intent('g1', ['a', 'b', 'c'], NOW + 1000)]);
    expect((await other.intents(NOW)).map((i) => i.groupKey).sort()).toEqual(['g1', 'g2']);
    expect(await other.intents(NOW, [])).toEqual([]);
    // expired ones are not read, and deleteExpired() removes them
    expect((await other.intents(NOW + 1500)).map((i) => i.groupKey)).toEqual(['g2']);
    // an entry listing some of them: the rest stay; one listing all: the row goes
    await n1().settleIntent('k1', ['a', 'zz']);
    expect((await other.intents(NOW, ['g1']))[0]!.firing).toEqual(['b', 'c']);
    await n1().settleIntent('k1', ['c', 'b']);
    expect(await other.intents(NOW, ['g1'])).toEqual([]);
    await n1().settleIntent('k-none', ['a']); // no row: nothing happens
    await n1().deleteExpired(NOW + 2000);
    expect(await other.intents(0)).toEqual([]);
  });
});
