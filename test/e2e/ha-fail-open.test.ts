/**
 * Issue 13 acceptance, "PostgreSQL trouble fails open": 2 Tocsin replicas (bin/tocsin) on a PostgreSQL server
 * of the test's own (initdb + pg_ctl on a free port), stopped for 20 s in the middle of a run:
 * - no replica crashes; every group keeps being notified by its owner from memory (repeats go on);
 * - reads answer 200 from memory; POST /api/v2/alerts and POST /api/v2/silences answer 503 with
 *   "storage unavailable: ...";
 * - once the server is back: writes answer 200 again, a silence created on one replica shows on the other,
 *   and the notification log entries of the outage are in the database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type PrivateServer, startPrivateServer } from '../../src/store/postgres/testing/private-server';
import { Collector } from '../acceptance/support/timeline';
import { ensureBuilt, ROOT } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const GROUPS = 10;
const REPEAT_S = 3;
const OUTAGE_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HA: PostgreSQL stopped for 20 s fails open', () => {
  let dir: string;
  let server: PrivateServer;
  const replicas: TocsinProcess[] = [];
  const co = new Collector('failopen');

  const alerts = () =>
    Array.from({ length: GROUPS }, (_, i) => ({ labels: { alertname: 'FailOpen', g: `g${i}` }, endsAt: new Date(Date.now() + 600_000).toISOString() }));
  const postAlerts = (r: TocsinProcess) =>
    fetch(`${r.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts()) });
  const postSilence = (r: TocsinProcess, value: string) =>
    fetch(`${r.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value, isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy: 'e2e',
        comment: 'fail-open',
      }),
    });
  const notifiedGroups = (from: number, to: number) =>
    new Set(co.batches.filter((b) => b.t * 1000 >= from && b.t * 1000 < to).map((b) => String(b.body.groupKey)));

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ha-fo-'));
    server = await startPrivateServer();
    await co.start();
    co.base = Date.now();
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(
      configFile,
      `route:
  receiver: wh
  group_by: [g]
  group_wait: 500ms
  group_interval: 1s
  repeat_interval: ${REPEAT_S}s
receivers:
  - name: wh
    webhook_configs:
      - url: ${co.url}
`,
    );
    for (let i = 1; i <= 2; i++) {
      replicas.push(
        await startTocsin({
          configFile,
          storagePath: path.join(dir, `unused-${i}`),
          args: [`--tocsin.storage.url=${server.url}`, '--tocsin.ha.lease-duration=4s', `--tocsin.ha.replica-name=fo${i}`],
        }),
      );
    }
  }, 90_000);

  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGKILL');
    await co.stop();
    server?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps notifying and reading, answers 503 to writes, and resumes', async () => {
    for (const r of replicas) expect((await postAlerts(r)).status).toBe(200);
    await waitFor(async () => notifiedGroups(0, Number.POSITIVE_INFINITY).size === GROUPS, { timeoutMs: 15_000, what: 'first notifications' });
    await sleep(1500);

    server.stop();
    const down = Date.now() - co.base;
    await sleep(1000);
    // writes refused with a clear message, reads from memory
    for (const r of replicas) {
      const a = await postAlerts(r);
      expect(a.status).toBe(503);
      expect(await a.text()).toContain('storage unavailable');
      const s = await postSilence(r, 'DuringOutage');
      expect(s.status).toBe(503);
      expect(await s.text()).toContain('storage unavailable');
      const g = await fetch(`${r.url}/api/v2/alerts?filter=alertname%3D%22FailOpen%22`);
      expect(g.status).toBe(200);
      expect(((await g.json()) as unknown[]).length).toBe(GROUPS);
      expect((await fetch(`${r.url}/api/v2/silences`)).status).toBe(200);
    }
    await sleep(OUTAGE_MS - 1000);
    // every group repeated during the outage (repeat_interval 3 s, 20 s down), by its owner from memory
    const up = Date.now() - co.base;
    expect(notifiedGroups(down + REPEAT_S * 1000, up).size).toBe(GROUPS);
    for (const r of replicas) expect(r.child.exitCode).toBeNull();
    server.start();
    const restarted = Date.now();

    // writes succeed again once a replica has seen the database back (its next heartbeat)
    for (const r of replicas) await waitFor(async () => (await postAlerts(r)).status === 200, { timeoutMs: 15_000, what: 'writes accepted again' });
    const resumed = Date.now() - restarted;
    const s = await postSilence(replicas[0]!, 'FailOpen');
    expect(s.status).toBe(200);
    const { silenceID } = (await s.json()) as { silenceID: string };
    await waitFor(async () => ((await (await fetch(`${replicas[1]!.url}/api/v2/silences`)).json()) as { id: string }[]).some((x) => x.id === silenceID), {
      timeoutMs: 10_000,
      what: 'silence on the other replica',
    });
    // the silence refused during the outage was not half-stored anywhere
    for (const r of replicas) {
      const list = (await (await fetch(`${r.url}/api/v2/silences`)).json()) as { matchers: { value: string }[] }[];
      expect(list.some((x) => x.matchers[0]!.value === 'DuringOutage')).toBe(false);
    }
    // the outage's notification-log entries reached the database
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      await waitFor(
        async () => {
          const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM nflog WHERE timestamp >= $1', [co.base + down + REPEAT_S * 1000]);
          return Number(rows[0]!.n) === GROUPS;
        },
        { timeoutMs: 10_000, what: 'nflog entries of the outage stored' },
      );
    } finally {
      await c.end();
    }
    process.stdout.write(`HA fail-open: ${GROUPS} groups notified during a ${OUTAGE_MS / 1000} s outage; writes accepted again ${resumed} ms after the restart\n`);
  }, 120_000);

  it('a database that cannot be reached at start: exit status 3 and a message without the password', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'tocsin'), `--config.file=${path.join(dir, 'tocsin.yml')}`, '--web.listen-address=127.0.0.1:0', '--tocsin.storage.url=postgres://postgres:pw-secret@127.0.0.1:1/none'],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(3);
    expect(r.stderr + r.stdout).toContain('cannot open PostgreSQL at postgres://postgres:<secret>@127.0.0.1:1/none');
    expect(r.stderr + r.stdout).not.toContain('pw-secret');
  });
});
