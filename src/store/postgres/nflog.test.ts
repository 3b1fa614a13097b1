import type { NflogEntry } from '../storage';
import { NOW, testNflogEntry } from '../storage-contract';
import { useReplicas } from './testing/database';

describe('PgNflogStore', () => {
  const replicas = useReplicas(2, 'nflog');
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
});
