import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, STORAGE_EXIT_CODE, StorageError, storageError } from './db';

describe('openDatabase()', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('uses WAL journal mode on a file', () => {
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  test('migrate() applies each step once per module, across reopen', () => {
    let db = openDatabase(dir);
    migrate(db, 'things', ['CREATE TABLE things (id INTEGER PRIMARY KEY)']);
    db.prepare('INSERT INTO things (id) VALUES (1)').run();
    db.close();
    db = openDatabase(dir);
    // the first step would fail if re-run (table exists); the second is new
    migrate(db, 'things', ['CREATE TABLE things (id INTEGER PRIMARY KEY)', 'ALTER TABLE things ADD COLUMN name TEXT']);
    expect(db.prepare('SELECT count(*) AS n FROM things').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT name FROM pragma_table_info('things') WHERE name = 'name'").get()).toEqual({ name: 'name' });
    db.close();
  });

  test('a failing step leaves no half-applied version', () => {
    const db = openDatabase(dir);
    expect(() => migrate(db, 'bad', ['CREATE TABLE a (x); CREATE TABLE a (y)'])).toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations WHERE module = 'bad'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    db.close();
  });

  test('a file that is not SQLite: a StorageError naming the file, the problem and the recovery', () => {
    const file = join(dir, 'tocsin.db');
    writeFileSync(file, 'not a database\n'.repeat(100));
    let err: unknown;
    try {
      openDatabase(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).file).toBe(file);
    expect((err as StorageError).code).toBe('AM_ERR_STORAGE');
    expect((err as Error).message).toBe(
      `storage: ${file} is not a valid SQLite database (file is not a database). Move it aside (mv ${file} ${file}.corrupt, ` +
        `and its -wal and -shm files if present) to start with empty state, or check it with \`tocsinctl storage check --storage.path=${dir}\`.`,
    );
    expect(STORAGE_EXIT_CODE).not.toBe(1); // 1 is a bad config
  });

  test('a storage path that cannot be created is a StorageError too', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => openDatabase(join(dir, 'file', 'sub'))).toThrow(/^storage: .*file\/sub\/tocsin\.db cannot be used \(ENOTDIR/);
  });

  test('storageError() leaves errors that are not about SQLite alone', () => {
    const e = new Error('template: x:1: bad');
    expect(storageError(e, '/x/tocsin.db')).toBe(e);
    expect(storageError(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), '/x/tocsin.db')).toBeInstanceOf(Error);
    expect(storageError(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), '/x/tocsin.db')).not.toBeInstanceOf(StorageError);
  });
});
