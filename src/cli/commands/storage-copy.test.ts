import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../store/db';
import { sqliteHistoryStorage } from '../../store/history';
import { PgHistoryStorage } from '../../store/postgres/history';
import { PgStorage } from '../../store/postgres/pg-storage';
import { createTestDatabase, type TestDatabase } from '../../store/postgres/testing/database';
import { SqliteStorage } from '../../store/sqlite-storage';
import { testAlert, testNflogEntry, testSilence } from '../../store/storage-contract';
import { runCli } from '../program';

describe('tocsinctl storage copy (SQLite into PostgreSQL)', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-cli-copy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      readStdin: async () => '',
      stdinIsTTY: false,
      home: dir,
      user: 'test',
      now: () => new Date(),
      configPaths: [],
    });
    return { code, out, err };
  };

  test('copies alerts, silences, the notification log and the history; the URL comes from a file and its password is not printed', async () => {
    const now = Date.now();
    const sqlite = new SqliteStorage(openDatabase(dir));
    await sqlite.alerts.merge([testAlert('00000000000000a1', { endsAt: now + 3600_000, updatedAt: now })], now);
    await sqlite.silences.put([{ silence: testSilence('s-1', { startsAt: now, endsAt: now + 3600_000, updatedAt: now }), expiresAt: now + 7200_000 }]);
    await sqlite.nflog.upsertMany([['k', testNflogEntry('{}:{a="1"}', { timestamp: now, expiresAt: now + 3600_000 })]]);
    await sqlite.close();
    const history = openDatabase(dir, 'history.db');
    await sqliteHistoryStorage(history).append([{ time: now, kind: 'alert_created', fingerprint: '00000000000000a1', labels: { alertname: 'A' } }]);
    history.close();
    const urlFile = join(dir, 'url');
    writeFileSync(urlFile, `${db.url.replace('postgres@', 'postgres:pw-secret@')}\n`);

    const r = await run(['storage', 'copy', `--storage.path=${dir}`, `--to-file=${urlFile}`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 alerts, 1 silences, 1 notification log entries, 1 history events, 0 acks');
    expect(r.out).not.toContain('pw-secret');

    const pg = await PgStorage.open({ url: db.url, replica: 'check', max: 1 });
    try {
      expect((await pg.alerts.loadAll()).map((a) => a.fingerprint)).toEqual(['00000000000000a1']);
      expect((await pg.silences.loadAll()).map((s) => s.silence.id)).toEqual(['s-1']);
      expect((await pg.nflog.loadAll()).map((e) => e.groupKey)).toEqual(['{}:{a="1"}']);
      expect((await new PgHistoryStorage(pg.pool).query({ limit: 10 })).events.map((e) => e.fingerprint)).toEqual(['00000000000000a1']);
    } finally {
      await pg.close();
    }
  });

  test('a missing SQLite file or target is a clear error', async () => {
    const noFile = await run(['storage', 'copy', `--storage.path=${join(dir, 'none')}`, `--to=${db.url}`]);
    expect(noFile.code).toBe(1);
    expect(noFile.err).toContain('cannot read');
    expect(noFile.err).toContain('tocsin.db');
    const saved = process.env.TOCSIN_STORAGE_URL;
    delete process.env.TOCSIN_STORAGE_URL;
    try {
      const noTarget = await run(['storage', 'copy', `--storage.path=${dir}`]);
      expect(noTarget.code).toBe(1);
      expect(noTarget.err).toContain('--to=postgres://');
    } finally {
      if (saved !== undefined) process.env.TOCSIN_STORAGE_URL = saved;
    }
  });
});
