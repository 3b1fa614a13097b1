import type { NflogEntry } from '../storage';
import type { PgStorage } from './pg-storage';
import { createTestDatabase, openReplicas, type TestDatabase } from './testing/database';

const NOW = 1_700_000_000_000;
const recv = { groupName: 'team', integration: 'webhook', idx: 0 };

function entry(groupKey: string, o: Partial<NflogEntry> = {}): NflogEntry {
  return { groupKey, receiver: recv, timestamp: NOW, firingAlerts: ['f1'], resolvedAlerts: [], expiresAt: NOW + 60_000, ...o };
}

describe('PgNflogStore', () => {
  let db: TestDatabase;
  let replicas: PgStorage[];
  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = await openReplicas(db.url, 2);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await db.drop();
  });
  beforeEach(() => replicas[0]!.pool.query('TRUNCATE nflog'));
  const n1 = () => replicas[0]!.nflog;

  test('upsertMany() writes a batch that loadAll() reads back with versions', async () => {
    const a = entry('{}:{a="1"}', { receiverData: { ts: '123.4', n: 2 }, resolvedAlerts: ['r1'] });
    const b = entry('{}:{a="2"}');
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

  test('an older entry never replaces a newer one (replays and late writers cannot move the log back)', async () => {
    await n1().upsertMany([['k', entry('g', { timestamp: NOW + 10, firingAlerts: ['new'] })]]);
    await replicas[1]!.nflog.upsertMany([['k', entry('g', { timestamp: NOW, firingAlerts: ['old'] })]]);
    expect((await n1().loadAll()).map((e) => [e.firingAlerts, e.version])).toEqual([[['new'], 1]]);
  });

  test('a key repeated in one batch keeps the last; 1000 entries in one call', async () => {
    const many: [string, NflogEntry][] = Array.from({ length: 1000 }, (_, i) => [`k${i}`, entry(`g${i}`)]);
    many.push(['k1', entry('g1', { firingAlerts: ['last'] })]);
    await n1().upsertMany(many);
    const all = await n1().loadAll();
    expect(all).toHaveLength(1000);
    expect(all.find((e) => e.groupKey === 'g1')!.firingAlerts).toEqual(['last']);
  });

  test('deleteExpired() and sizeBytes()', async () => {
    await n1().upsertMany([
      ['old', entry('g1', { expiresAt: NOW })],
      ['new', entry('g2', { expiresAt: NOW + 1 })],
    ]);
    expect(await n1().sizeBytes()).toBeGreaterThan(0);
    expect(await n1().deleteExpired(NOW)).toBe(1);
    expect((await n1().loadAll()).map((e) => e.groupKey)).toEqual(['g2']);
  });
});
