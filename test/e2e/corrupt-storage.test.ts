/**
 * Issue 11 item 9: a damaged tocsin.db stops the real server with a message that names the file, says what is
 * wrong and how to recover, and a distinct exit status (3), instead of "Loading configuration file failed"
 * (which made operators look at a good config while systemd restarted the server in a loop). tocsinctl storage
 * check reports the same damage, and the counts of a healthy file.
 */
import { execFile } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { ensureBuilt, ROOT } from '../helpers/build';
import { startTocsin } from '../helpers/tocsin-process';

const run = promisify(execFile);

async function bin(name: 'tocsin' | 'tocsinctl', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', name), ...args], { cwd: ROOT, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const PAGE = 4096;

/** Writes `bytes` of garbage at `offset` of the file. */
function scribble(file: string, offset: number, bytes: number): void {
  const fd = openSync(file, 'r+');
  const junk = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) junk[i] = (i * 131 + 7) & 0xff;
  writeSync(fd, junk, 0, bytes, offset);
  closeSync(fd);
}

describe('a damaged tocsin.db', () => {
  let dir: string;
  let configFile: string;
  /** a real store written by the real server: alerts, a silence and nflog rows, WAL checkpointed into the file */
  let healthy: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-corrupt-'));
    configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, 'route:\n  receiver: default\n  group_wait: 0s\nreceivers:\n  - name: default\n');
    healthy = path.join(dir, 'healthy');
    const p = await startTocsin({ configFile, storagePath: healthy });
    try {
      const alerts = Array.from({ length: 300 }, (_, i) => ({ labels: { alertname: 'Stored', i: String(i) }, annotations: { text: 'x'.repeat(100) } }));
      expect((await fetch(`${p.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts) })).status).toBe(200);
      const now = Date.now();
      const silence = { matchers: [{ name: 'i', value: '1', isRegex: false }], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3600_000).toISOString(), createdBy: 't', comment: 'c' };
      expect((await fetch(`${p.url}/api/v2/silences`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(silence) })).status).toBe(200);
    } finally {
      expect(await p.stop()).toBe(0);
    }
    const db = new Database(path.join(healthy, 'tocsin.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(statSync(path.join(healthy, 'tocsin.db')).size).toBeGreaterThan(8 * PAGE);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the healthy store, damaged by `harm`. */
  function damaged(name: string, harm: (file: string) => void): string {
    const d = path.join(dir, name);
    mkdirSync(d);
    copyFileSync(path.join(healthy, 'tocsin.db'), path.join(d, 'tocsin.db'));
    harm(path.join(d, 'tocsin.db'));
    return d;
  }

  const cases: [string, (file: string) => void][] = [
    ['garbage over the schema page (kept header)', (f) => scribble(f, 100, PAGE - 100)],
    ['garbage over the table pages', (f) => scribble(f, PAGE, statSync(f).size - 2 * PAGE)],
    ['a file that is not SQLite', (f) => writeFileSync(f, 'this is not a database\n'.repeat(400))],
  ];

  test.each(cases)('%s: the server exits 3 naming the file, the problem and the recovery, not the config', async (name, harm) => {
    const d = damaged(name.replace(/\W+/g, '-'), harm);
    const file = path.join(d, 'tocsin.db');
    const r = await bin('tocsin', [`--config.file=${configFile}`, `--storage.path=${d}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address=']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('Loading configuration file failed');
    expect(r.stderr).toContain('msg="Opening storage failed"');
    expect(r.stderr).toContain(`storage: ${file} is not a valid SQLite database (`);
    expect(r.stderr).toMatch(/\((database disk image is malformed|file is not a database)\)/);
    expect(r.stderr).toContain(`mv ${file} ${file}.corrupt`);
    expect(r.stderr).toContain(`tocsinctl storage check --storage.path=${d}`);

    const c = await bin('tocsinctl', ['storage', 'check', `--storage.path=${d}`]);
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: CORRUPT\n`));
    expect(c.stderr).toContain(`tocsinctl: error: storage: ${file} is not a valid SQLite database`);
  }, 60_000);

  test('the recovery works: moved aside, the server starts with empty state', async () => {
    const d = damaged('moved-aside', (f) => scribble(f, PAGE, 4 * PAGE));
    const file = path.join(d, 'tocsin.db');
    const { renameSync } = await import('node:fs');
    renameSync(file, `${file}.corrupt`);
    const p = await startTocsin({ configFile, storagePath: d });
    try {
      expect(await (await fetch(`${p.url}/api/v2/alerts`)).json()).toEqual([]);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 60_000);

  test('tocsinctl storage check on a healthy file reports the row counts and exits 0', async () => {
    const c = await bin('tocsinctl', ['storage', 'check', `--storage.path=${healthy}`]);
    expect(c).toMatchObject({ code: 0, stderr: '' });
    const lines = c.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${path.join(healthy, 'tocsin.db')}: ok`);
    expect(lines).toContain('alerts: 300');
    expect(lines).toContain('silences: 1');
    expect(lines.find((l) => l.startsWith('nflog: '))).toMatch(/^nflog: \d+$/);
    const j = await bin('tocsinctl', ['-o', 'json', 'storage', 'check', `--storage.path=${healthy}`]);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, problems: [], counts: { alerts: 300, silences: 1 } });
  }, 60_000);

  test('a zero-length file is an empty database for SQLite: the server starts on it, the check says so', async () => {
    const d = damaged('zero-length', (f) => writeFileSync(f, ''));
    const c = await bin('tocsinctl', ['storage', 'check', `--storage.path=${d}`]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('no Tocsin tables yet');
    const p = await startTocsin({ configFile, storagePath: d });
    expect(await p.stop()).toBe(0);
  }, 60_000);

  test('tocsinctl storage check without a tocsin.db exits 1 and says where it looked', async () => {
    const c = await bin('tocsinctl', ['storage', 'check', `--storage.path=${path.join(dir, 'nowhere')}`]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`tocsinctl: error: storage: cannot read ${path.join(dir, 'nowhere', 'tocsin.db')}`);
  });
});
