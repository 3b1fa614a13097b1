import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryKey } from '../nflog/nflog';
import { copyStorage } from './copy-storage';
import { openDatabase } from './db';
import { PgStorage } from './postgres/pg-storage';
import { createTestDatabase, type TestDatabase } from './postgres/testing/database';
import { SqliteStorage } from './sqlite-storage';
import { NOW, testAlert, testNflogEntry, testSilence } from './storage-contract';

describe('copyStorage() from SQLite into PostgreSQL', () => {
  let dir: string;
  let db: TestDatabase;
  let sqlite: SqliteStorage;
  let pg: PgStorage;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-copy-'));
    sqlite = new SqliteStorage(openDatabase(dir));
    db = await createTestDatabase();
    pg = await PgStorage.open({ url: db.url, replica: 'r1', max: 2 });
  });
  afterEach(async () => {
    await sqlite.close();
    await pg.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sorted = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

  test('copies alerts, live silences and live nflog entries; running it again stores the same content', async () => {
    const alerts = Array.from({ length: 2500 }, (_, i) => testAlert(i.toString(16).padStart(16, '0')));
    await sqlite.alerts.merge(alerts, NOW);
    await sqlite.silences.put([
      { silence: testSilence('live'), expiresAt: NOW + 1000 },
      { silence: testSilence('gone'), expiresAt: NOW - 1 },
    ]);
    const entry = testNflogEntry('{}:{a="1"}', { receiverData: { ts: '1.5' } });
    await sqlite.nflog.upsertMany([
      ['k1', entry],
      ['k2', testNflogEntry('{}:{a="2"}', { expiresAt: NOW })],
    ]);

    expect(await copyStorage(sqlite, pg, NOW)).toEqual({ alerts: 2500, silences: 1, nflog: 1 });
    expect(sorted(await pg.alerts.loadAll(), (a) => a.fingerprint)).toEqual(alerts);
    expect((await pg.silences.loadAll()).map((s) => s.silence)).toEqual([testSilence('live')]);
    expect((await pg.nflog.loadAll()).map(({ version: _, ...e }) => e)).toEqual([entry]);

    expect(await copyStorage(sqlite, pg, NOW)).toEqual({ alerts: 2500, silences: 0, nflog: 1 });
    expect((await pg.nflog.loadAll()).map((e) => e.version)).toEqual([2]);
    expect(await pg.alerts.loadAll()).toHaveLength(2500);
  });

  test('state that is newer in the target is kept', async () => {
    await pg.silences.put([{ silence: testSilence('s', { updatedAt: NOW + 5, comment: 'newer' }), expiresAt: NOW + 1000 }]);
    const newer = testNflogEntry('g', { timestamp: NOW + 5, firingAlerts: ['newer'] });
    await pg.nflog.upsertMany([[entryKey(newer.groupKey, newer.receiver), newer]]);
    await sqlite.silences.put([{ silence: testSilence('s'), expiresAt: NOW + 1000 }]);
    await sqlite.nflog.upsertMany([['k', testNflogEntry('g')]]);
    await copyStorage(sqlite, pg, NOW);
    expect((await pg.silences.loadAll()).map((s) => s.silence.comment)).toEqual(['newer']);
    expect((await pg.nflog.loadAll()).map((e) => e.firingAlerts)).toEqual([['newer']]);
  });
});
