import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from './db';

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
});
