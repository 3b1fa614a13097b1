/**
 * Issue 18 acceptance: switching from the real Alertmanager 0.25 (Debian's prometheus-alertmanager and amtool)
 * to Tocsin loses no silence and re-sends no notification. Alertmanager runs with its own --storage.path and a
 * webhook to a loopback receiver; amtool creates silences (all four matcher kinds, UTF-8 values, a future one,
 * an expired one) and alerts, of which three groups are notified; Alertmanager is stopped (it writes its
 * snapshots on SIGTERM); `tocsinctl import alertmanager-storage` imports the directory; Tocsin starts on the same
 * config and gets the same alerts again (as Prometheus would send them). Then:
 * - `tocsinctl silence query -o json` (active and --expired) equals amtool's output before the switch;
 * - the same alerts are silenced by the same silence IDs;
 * - no group Alertmanager notified is notified again before its repeat_interval, while a new group and a notified
 *   group that gets a new alert are (so the pipeline does run).
 * Switching back: Tocsin's `silence query -o json` is imported by the real `amtool silence import` into a fresh
 * Alertmanager.
 * Into an HA cluster: the same directory imported into PostgreSQL (a random database on 127.0.0.1:5432, dropped
 * after; the URL with a password in --tocsin.storage.url-file, never printed), then two replicas
 * (bin/tocsin --tocsin.storage.url-file=...) get the same alerts: the same silences (`tocsinctl silence query
 * -o json` on each equals amtool's), and no group Alertmanager notified is sent again by either replica, while
 * the new group and the grown one are sent exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { AMTOOL, REPO, runProcess } from '../cli/harness';
import { ensureBuilt } from '../helpers/build';
import { freePort, waitFor } from '../helpers/ports';
import { type TocsinProcess, startTocsin } from '../helpers/tocsin-process';

const AM_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const TOCSINCTL = join(REPO, 'bin', 'tocsinctl');

interface Am {
  proc: ChildProcess;
  url: string;
  log: () => string;
  stop(): Promise<number | null>;
}

async function startAlertmanager(configFile: string, storage: string): Promise<Am> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    AM_BIN,
    [`--config.file=${configFile}`, `--storage.path=${storage}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  const am: Am = {
    proc,
    url,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return exited;
    },
  };
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`alertmanager exited: ${log}`);
      return (await fetch(`${url}/-/ready`)).status === 200;
    },
    { timeoutMs: 15_000, what: 'alertmanager ready' },
  );
  return am;
}

async function amtool(url: string, ...args: string[]): Promise<string> {
  const r = await runProcess(AMTOOL, [`--alertmanager.url=${url}`, ...args]);
  if (r.code !== 0) throw new Error(`amtool ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function tocsinctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [TOCSINCTL, ...args]);
}

type Json = Record<string, unknown>;
const byId = (xs: Json[]) => [...xs].sort((a, b) => String(a.id).localeCompare(String(b.id)));

const ALERTS = [
  // three groups Alertmanager notifies
  { labels: { alertname: 'Notified1', instance: 'a' } },
  { labels: { alertname: 'Notified2', instance: 'ä✓' } },
  { labels: { alertname: 'Notified3', instance: 'a' } },
  // silenced: by the four-kind silence, the UTF-8 one
  { labels: { alertname: 'Silenced4', env: 'dev', job: 'api-1', inst: 'z' } },
  { labels: { alertname: 'SilencedUtf8', team: 'Ωmega ✓' } },
];

function config(webhook: string): string {
  return `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${webhook}
`;
}

const groupsNotified = (srv: FakeReceiver): string[] =>
  srv.requests.map((r) => (JSON.parse(r.body) as { groupLabels: { alertname: string } }).groupLabels.alertname);

async function postAlerts(url: string, alerts: unknown[]): Promise<void> {
  const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  expect(r.status).toBe(200);
}

/** alertname -> the silence IDs that silence it, from GET /api/v2/alerts */
async function silencedBy(url: string): Promise<Record<string, string[]>> {
  const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Json; status: { silencedBy: string[] } }[];
  return Object.fromEntries(alerts.map((a) => [String(a.labels.alertname), [...a.status.silencedBy].sort()]));
}

describe('import of a real Alertmanager 0.25 storage directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-import-e2e-'));
  const amDir = join(dir, 'am-data');
  const tocsinDir = join(dir, 'tocsin-data');
  const configFile = join(dir, 'alertmanager.yml');
  let srv: FakeReceiver;
  let am: Am | undefined;
  let tocsin: TocsinProcess | undefined;
  let amActive: Json[];
  let amExpired: Json[];
  let amSilencedBy: Record<string, string[]>;
  const ids: Record<string, string> = {};
  let fromUrl: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    ensureBuilt();
    srv = await startFakeReceiver();
    srv.respond = () => ({ status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    writeFileSync(configFile, config(`${srv.url}/hook`));

    am = await startAlertmanager(configFile, amDir);
    const add = async (...args: string[]) => (await amtool(am!.url, 'silence', 'add', ...args)).trim();
    ids.four = await add('alertname=Silenced4', 'env!=prod', 'job=~"api.*"', 'inst!~"x|y"', '-a', 'alice', '-c', 'all four kinds', '-d', '2h');
    ids.utf8 = await add('team="Ωmega ✓"', '-a', 'Zoë', '-c', 'UTF-8 value: Ωmega ✓ — ünïcode', '-d', '3h');
    const start = new Date(Date.now() + 3600_000).toISOString();
    ids.future = await add('alertname=Later', `--start=${start}`, '-d', '1h', '-a', 'bob', '-c', 'pending');
    ids.expired = await add('alertname=Gone', '-a', 'carol', '-c', 'to be expired');
    await amtool(am.url, 'silence', 'expire', ids.expired);
    await postAlerts(am.url, ALERTS);
    await waitFor(async () => srv.requests.length >= 3, { timeoutMs: 10_000, what: 'Alertmanager notifies three groups' });
    amActive = JSON.parse(await amtool(am.url, 'silence', 'query', '-o', 'json')) as Json[];
    amExpired = JSON.parse(await amtool(am.url, 'silence', 'query', '--expired', '-o', 'json')) as Json[];
    amSilencedBy = await silencedBy(am.url);
    // --from-url: the same silences over the running Alertmanager's API
    fromUrl = await tocsinctl('import', 'alertmanager-storage', `--from-url=${am.url}`, `--storage.path=${join(dir, 'from-url')}`);
    expect(await am.stop()).toBe(0);
    am = undefined;
  }, 45_000);

  const replicas: TocsinProcess[] = [];
  let db: TestDatabase | undefined;

  afterAll(async () => {
    await am?.stop();
    await tocsin?.stop();
    for (const r of replicas) await r.stop();
    await db?.drop();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Alertmanager notified the three groups and wrote its snapshots', () => {
    expect(groupsNotified(srv).sort()).toEqual(['Notified1', 'Notified2', 'Notified3']);
    expect(existsSync(join(amDir, 'silences'))).toBe(true);
    expect(existsSync(join(amDir, 'nflog'))).toBe(true);
    expect(amActive.map((s) => s.id).sort()).toEqual([ids.four, ids.utf8, ids.future].sort());
    expect(amExpired.map((s) => s.id)).toEqual([ids.expired]);
    expect(amSilencedBy).toMatchObject({ Silenced4: [ids.four], SilencedUtf8: [ids.utf8], Notified1: [] });
  });

  test('import reports what it imported', async () => {
    const r = await tocsinctl('import', 'alertmanager-storage', amDir, `--storage.path=${tocsinDir}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('silences: 4 (2 active, 1 pending, 1 expired); 0 past retention left out');
    expect(r.stdout).toContain('notification-log entries: 3; 0 past retention left out');
  });

  test('--from-url imports the same silence rows from the running Alertmanager (and says the nflog is not in the API)', () => {
    expect(fromUrl).toMatchObject({ code: 0, stderr: '' });
    expect(fromUrl.stdout).toContain('silences: 4 (2 active, 1 pending, 1 expired); 0 past retention left out');
    expect(fromUrl.stdout).toContain('notification log: not available over the API');
    const rows = (d: string) => {
      const db = new Database(join(d, 'tocsin.db'), { readonly: true });
      try {
        return db.prepare('SELECT id, body, expires_at FROM silences ORDER BY id').all();
      } finally {
        db.close();
      }
    };
    expect(rows(join(dir, 'from-url'))).toEqual(rows(tocsinDir));
  });

  test('Tocsin on the same config: the same silences, muting the same alerts, and no group notified again', async () => {
    srv.requests.length = 0;
    tocsin = await startTocsin({ configFile, storagePath: tocsinDir });
    // Prometheus re-sends the same alerts to the new server; plus a new group and a new alert in Notified3
    await postAlerts(tocsin.url, [...ALERTS, { labels: { alertname: 'Fresh' } }, { labels: { alertname: 'Notified3', instance: 'b' } }]);
    await waitFor(async () => srv.requests.length >= 2, { timeoutMs: 10_000, what: 'Tocsin notifies Fresh and Notified3' });
    // every group was flushed by now (same group_wait); give a late one more than a group_interval anyway
    await new Promise((r) => setTimeout(r, 1500));
    expect(groupsNotified(srv).sort()).toEqual(['Fresh', 'Notified3']);
    const n3 = JSON.parse(srv.requests.find((r) => r.body.includes('"Notified3"'))!.body) as { alerts: unknown[] };
    expect(n3.alerts).toHaveLength(2);

    expect(await silencedBy(tocsin.url)).toEqual({ ...amSilencedBy, Fresh: [] });

    const q = async (...args: string[]) => {
      const r = await tocsinctl(`--alertmanager.url=${tocsin!.url}`, 'silence', 'query', '-o', 'json', ...args);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as Json[];
    };
    expect(byId(await q())).toEqual(byId(amActive));
    expect(byId(await q('--expired'))).toEqual(byId(amExpired));
  });

  test('importing again while Tocsin runs on the store is refused', async () => {
    const r = await tocsinctl('import', 'alertmanager-storage', amDir, `--storage.path=${tocsinDir}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tocsinctl: error: import: .*tocsin\.db is in use: stop the Tocsin server/);
  });

  test('switching back: amtool silence import takes Tocsin\'s silence query -o json', async () => {
    const r = await tocsinctl(`--alertmanager.url=${tocsin!.url}`, 'silence', 'query', '-o', 'json');
    const exported = join(dir, 'silences.json');
    writeFileSync(exported, r.stdout);
    const back = await startAlertmanager(configFile, join(dir, 'am-back'));
    try {
      // the IDs are unknown to a fresh Alertmanager: it creates new silences (new IDs) with the same content
      const out = await amtool(back.url, 'silence', 'import', exported);
      expect(out.trim().split('\n')).toHaveLength(amActive.length);
      const got = JSON.parse(await amtool(back.url, 'silence', 'query', '-o', 'json')) as Json[];
      const content = (s: Json) => ({ matchers: s.matchers, endsAt: s.endsAt, createdBy: s.createdBy, comment: s.comment });
      const key = (s: Json) => String(s.comment);
      expect(got.map(content).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(amActive.map(content).sort((a, b) => key(a).localeCompare(key(b))));
    } finally {
      await back.stop();
    }
  });

  describe('into an HA cluster on PostgreSQL', () => {
    let urlFile: string;
    let importOut: { code: number; stdout: string; stderr: string };

    beforeAll(async () => {
      // the SQLite instance is gone (a replica of the cluster replaces it)
      await tocsin?.stop();
      tocsin = undefined;
      db = await createTestDatabase('tocsin_import');
      urlFile = join(dir, 'pg-url');
      // trust auth ignores the password: it is there to show it is never printed
      writeFileSync(urlFile, `${db.url.replace('postgres@', 'postgres:s3cret-pw@')}\n`);
      importOut = await tocsinctl('import', 'alertmanager-storage', amDir, `--tocsin.storage.url-file=${urlFile}`);
    }, 30_000);

    test('import reports the same counts, into the URL with its password as <secret>', () => {
      expect(importOut).toMatchObject({ code: 0, stderr: '' });
      expect(importOut.stdout).not.toContain('s3cret-pw');
      expect(importOut.stdout).toContain(`into ${db!.url.replace('postgres@', 'postgres:<secret>@')}:`);
      expect(importOut.stdout).toContain('silences: 4 (2 active, 1 pending, 1 expired); 0 past retention left out');
      expect(importOut.stdout).toContain('notification-log entries: 3; 0 past retention left out');
    });

    test('two replicas: the same silences as Alertmanager, and no group it notified is sent again', async () => {
      srv.requests.length = 0;
      for (const i of [1, 2]) {
        replicas.push(
          await startTocsin({
            configFile,
            storagePath: join(dir, `unused-${i}`),
            args: [`--tocsin.storage.url-file=${urlFile}`, `--tocsin.ha.replica-name=r${i}`, '--tocsin.ha.lease-duration=2s'],
          }),
        );
      }
      // Prometheus sends every alert to every replica; plus a new group and a new alert in Notified3
      const alerts = [...ALERTS, { labels: { alertname: 'Fresh' } }, { labels: { alertname: 'Notified3', instance: 'b' } }];
      for (const r of replicas) await postAlerts(r.url, alerts);
      await waitFor(async () => srv.requests.length >= 2, { timeoutMs: 15_000, what: 'the cluster notifies Fresh and Notified3' });
      // a group notified late (a lease taken at the next heartbeat) would show up within a lease period
      await new Promise((r) => setTimeout(r, 2500));
      expect(groupsNotified(srv).sort()).toEqual(['Fresh', 'Notified3']);
      const n3 = JSON.parse(srv.requests.find((r) => r.body.includes('"Notified3"'))!.body) as { alerts: unknown[] };
      expect(n3.alerts).toHaveLength(2);

      for (const r of replicas) {
        expect(await silencedBy(r.url)).toEqual({ ...amSilencedBy, Fresh: [] });
        const q = async (...args: string[]) => {
          const out = await tocsinctl(`--alertmanager.url=${r.url}`, 'silence', 'query', '-o', 'json', ...args);
          expect(out.stderr).toBe('');
          return JSON.parse(out.stdout) as Json[];
        };
        expect(byId(await q())).toEqual(byId(amActive));
        expect(byId(await q('--expired'))).toEqual(byId(amExpired));
      }
    }, 40_000);
  });
});
