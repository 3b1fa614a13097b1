/**
 * `tocsinctl import alertmanager-storage` argument handling, in process: into PostgreSQL (real, a random
 * database dropped after) from --tocsin.storage.url, --tocsin.storage.url-file or $TOCSIN_STORAGE_URL with the
 * password never printed, a bad directory writing nothing there; a directory and --from-url together are
 * refused, a missing directory is named, and -o json prints the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { PgStorage } from '../../src/store/postgres/pg-storage';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { tocsinctl } from './harness';

const FIXTURE = join(__dirname, '../fixtures/alertmanager-0.25-storage');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await tocsinctl(undefined, args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-cmd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Report = { into: string; silences: { imported: number; replaced: number; kept: number }; nflog: { imported: number; replaced: number; kept: number } };

describe('tocsinctl import alertmanager-storage into PostgreSQL', () => {
  let db: TestDatabase;
  /** the URL with a password (trust auth ignores it): it must never be printed */
  let withPw: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    withPw = db.url.replace('postgres@', 'postgres:s3cret-pw@');
  });
  afterAll(() => db.drop());
  const stored = async () => {
    const s = await PgStorage.open({ url: db.url, replica: 'test-reader', max: 1 });
    try {
      return { silences: await s.silences.loadAll(), nflog: await s.nflog.loadAll() };
    } finally {
      await s.close();
    }
  };

  test('a URL that is not postgres:// and an unreadable --tocsin.storage.url-file are refused', async () => {
    const bad = await run(['import', 'alertmanager-storage', FIXTURE, '--tocsin.storage.url=mysql://u:pw@h/db']);
    expect(bad).toMatchObject({ code: 1, out: '' });
    expect(bad.err).toMatch(/import: the URL \(--tocsin.storage.url, .*\) must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(bad.err).not.toContain('pw');
    const missing = await run(['import', 'alertmanager-storage', FIXTURE, `--tocsin.storage.url-file=${join(dir, 'nope')}`]);
    expect(missing.err).toMatch(/cannot read --tocsin.storage.url-file .*nope \(ENOENT\)/);
  });

  test('a directory that is not Alertmanager\'s writes nothing into PostgreSQL', async () => {
    const r = await run(['import', 'alertmanager-storage', dir, `--tocsin.storage.url=${withPw}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not an Alertmanager storage directory/);
    expect(await stored()).toEqual({ silences: [], nflog: [] });
  });

  test('imports from the URL in a file (password shown as <secret>); again from $TOCSIN_STORAGE_URL: the same rows, nothing newer replaced', async () => {
    const file = join(dir, 'url');
    writeFileSync(file, `${withPw}\n`);
    const r = await run(['-o', 'json', 'import', 'alertmanager-storage', FIXTURE, `--tocsin.storage.url-file=${file}`]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).not.toContain('s3cret-pw');
    const rep = JSON.parse(r.out) as Report;
    expect(rep.into).toBe(db.url.replace('postgres@', 'postgres:<secret>@'));
    const first = await stored();
    expect(first.silences.map((s) => s.silence.id).sort()).toHaveLength(rep.silences.imported);
    expect(first.nflog).toHaveLength(rep.nflog.imported);
    // the alert hashes stay Alertmanager's (marked am:), so the dedup stage compares them as such
    for (const e of first.nflog) for (const id of [...e.firingAlerts, ...e.resolvedAlerts]) expect(id).toMatch(/^am:[0-9a-f]{16}$/);

    process.env.TOCSIN_STORAGE_URL = withPw;
    try {
      const again = await run(['import', 'alertmanager-storage', FIXTURE]);
      expect(again).toMatchObject({ code: 0, err: '' });
      expect(again.out).toContain(`into ${db.url.replace('postgres@', 'postgres:<secret>@')}:`);
      expect(again.out).toContain(`${rep.silences.imported} left as they were (a newer version is stored)`);
    } finally {
      delete process.env.TOCSIN_STORAGE_URL;
    }
    const second = await stored();
    expect(second.silences).toEqual(first.silences);
    expect(second.nflog.map(({ version: _, ...e }) => e)).toEqual(first.nflog.map(({ version: _, ...e }) => e));
  });

  test('refused while a replica runs on the database (nothing written), accepted once it has left', async () => {
    const before = await stored();
    const replica = await PgStorage.open({ url: db.url, replica: 'r-live', max: 1 });
    try {
      await replica.replicas.heartbeat('10.0.0.7:9093');
      // a silence from the fixture expired here, so a write would show
      await replica.silences.delete(before.silences.map((s) => s.silence.id));
      const r = await run(['import', 'alertmanager-storage', FIXTURE, `--tocsin.storage.url=${withPw}`]);
      expect(r).toMatchObject({ code: 1, out: '' });
      expect(r.err).toMatch(/^tocsinctl: error: import: replicas are running on postgres:\/\/postgres:<secret>@.* \(r-live at 10\.0\.0\.7:9093\): stop them before importing/);
      expect(r.err).not.toContain('s3cret-pw');
      expect((await stored()).silences).toEqual([]);
      await replica.replicas.leave();
      const ok = await run(['import', 'alertmanager-storage', FIXTURE, `--tocsin.storage.url=${withPw}`]);
      expect(ok).toMatchObject({ code: 0, err: '' });
      expect((await stored()).silences).toEqual(before.silences);
    } finally {
      await replica.close();
    }
  });
});

describe('tocsinctl import alertmanager-storage', () => {

  test('a directory and --from-url together, or neither, are refused', async () => {
    const both = await run(['import', 'alertmanager-storage', FIXTURE, '--from-url=http://127.0.0.1:1', `--storage.path=${dir}`]);
    expect(both).toMatchObject({ code: 1, out: '' });
    expect(both.err).toMatch(/either an Alertmanager storage directory or --from-url, not both/);
    const neither = await run(['import', 'alertmanager-storage', `--storage.path=${dir}`]);
    expect(neither.err).toMatch(/missing the Alertmanager storage directory/);
  });

  test('a directory that is not Alertmanager\'s: one error line, exit 1', async () => {
    const r = await run(['import', 'alertmanager-storage', dir, `--storage.path=${join(dir, 't')}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tocsinctl: error: import: .* is not an Alertmanager storage directory/);
  });

  test('-o json prints the report', async () => {
    const r = await run(['-o', 'json', 'import', 'alertmanager-storage', FIXTURE, `--storage.path=${dir}`]);
    expect(r).toMatchObject({ code: 0, err: '' });
    const rep = JSON.parse(r.out) as { silences: { imported: number }; nflog: { file: boolean }; into: string };
    expect(rep.into).toBe(join(dir, 'tocsin.db'));
    expect(rep.nflog.file).toBe(true);
    // the fixture's long silences are within retention for a year; the expired one and the entry may be past it
    expect(rep.silences.imported).toBeGreaterThanOrEqual(2);
  });
});
