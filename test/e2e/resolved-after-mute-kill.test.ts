/**
 * resolved_after_mute on the real process (issue 15): an alert notified as firing, then silenced; Tocsin is
 * killed (-9), the alert ends on its own (endsAt) while it is down; after the restart the receiver gets exactly
 * one resolved notification with the guarantee on (the nflog on SQLite remembers it was told "firing"), and
 * none with it off, as Alertmanager. And with the firing notification in flight at the kill (the receiver got it,
 * the notification log never recorded it): the intent written before the send still gets it its resolved one,
 * on SQLite and on PostgreSQL (the intent stored there, read back by the replica at its restart, or by the other
 * replica that takes the group over).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { postSilence } from '../helpers/app-harness';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function notifiedWith(sink: FakeReceiver, status: 'firing' | 'resolved'): number {
  return sink.requests.filter((q) => (JSON.parse(q.body) as { alerts: { status: string }[] }).alerts.some((a) => a.status === status)).length;
}

describe('resolved_after_mute across kill -9 (process)', () => {
  let sink: FakeReceiver;
  let dir: string;
  let p: TocsinProcess | undefined;
  let others: TocsinProcess[] = [];
  let pgdb: TestDatabase | undefined;
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(async () => {
    sink = await startFakeReceiver();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ramk-'));
  });
  afterEach(async () => {
    await p?.stop('SIGKILL');
    p = undefined;
    for (const o of others) await o.stop('SIGKILL');
    others = [];
    await pgdb?.drop();
    pgdb = undefined;
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts Tocsin (resolved_after_mute `on`), posts an alert that ends in 4 s, waits for its firing notification. */
  async function firingNotified(on: boolean, extraArgs: string[] = []) {
    const configFile = path.join(dir, 'alertmanager.yml');
    const tocsinFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, `route: {receiver: pager, group_by: [alertname], group_wait: 50ms, group_interval: 300ms, repeat_interval: 1h}\nreceivers:\n  - name: pager\n    webhook_configs: [{url: '${sink.url}/hook', send_resolved: true}]\n`);
    writeFileSync(tocsinFile, `receivers:\n  pager:\n    resolved_after_mute: ${on}\n`);
    const opts = { configFile, storagePath: path.join(dir, 'data'), args: [`--tocsin.config.file=${tocsinFile}`, ...extraArgs] };
    const proc = await startTocsin(opts);
    p = proc;
    const endsAt = Date.now() + 4000;
    const r = await fetch(`${proc.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'NodeDown', instance: 'n1' }, endsAt: new Date(endsAt).toISOString() }]) });
    expect(r.status).toBe(200);
    for (let i = 0; notifiedWith(sink, 'firing') === 0; i++) {
      if (i > 200) throw new Error('no firing notification');
      await sleep(25);
    }
    return { opts, endsAt, proc };
  }

  test.each([
    [true, 1],
    [false, 0],
  ])('resolved_after_mute: %s -> %i resolved notification(s)', async (on, want) => {
    const { opts, endsAt, proc } = await firingNotified(on);
    // the kill comes once the notification log has recorded the firing notification (committed after the
    // receiver answered: a kill before that is the notification in flight, which the restart cannot know of)
    const db = new Database(path.join(opts.storagePath, 'tocsin.db'), { readonly: true, fileMustExist: true });
    try {
      for (let i = 0; (db.prepare('SELECT count(*) AS n FROM nflog').get() as { n: number }).n === 0; i++) {
        if (i > 200) throw new Error('the firing notification is not in the notification log');
        await sleep(25);
      }
    } finally {
      db.close();
    }
    await postSilence(proc.url, { alertname: 'NodeDown' });
    expect(await proc.stop('SIGKILL')).toBeNull();
    p = undefined;
    await sleep(Math.max(0, endsAt - Date.now()) + 200);
    const since = new Date().toISOString();
    p = await startTocsin(opts);
    // the first flush after the start: the resolved notification (on) or a flush skipped as silenced (off)
    const end = Date.now() + 20_000;
    for (;;) {
      if (on && notifiedWith(sink, 'resolved') > 0) break;
      const h = (await (await fetch(`${p.url}/api/v2/tocsin/history?kind=flush_skipped&since=${since}`)).json()) as { events: unknown[] };
      if (!on && h.events.length > 0) break;
      if (Date.now() > end) throw new Error('timed out waiting for the first flush after the restart');
      await sleep(50);
    }
    await sleep(1000); // a few more group intervals: no second one
    expect(notifiedWith(sink, 'resolved')).toBe(want);
    expect(notifiedWith(sink, 'firing')).toBe(1);
  });

  /** Rows in the notification log of the store a Tocsin process used (SQLite file, or the PostgreSQL database). */
  async function nflogRows(storagePath: string): Promise<number> {
    if (pgdb) {
      const c = new pg.Client({ connectionString: pgdb.url });
      await c.connect();
      try {
        return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM nflog')).rows[0]!.n);
      } finally {
        await c.end();
      }
    }
    const db = new Database(path.join(storagePath, 'tocsin.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM nflog').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  test.each(['sqlite', 'postgres'])('a firing notification in flight at the kill (%s): its resolved notification still comes after the restart', async (backend) => {
    // on PostgreSQL: one replica, with a name that stays across the restart (it takes its own group back at once)
    if (backend === 'postgres') pgdb = await createTestDatabase('tocsin_ramk');
    const extra = pgdb ? [`--tocsin.storage.url=${pgdb.url}`, '--tocsin.ha.replica-name=r1'] : [];
    // the receiver gets the firing notification and never answers it: the kill finds it in flight
    sink.respond = (q) => ((JSON.parse(q.body) as { status: string }).status === 'firing' ? { status: 200, hang: true } : { status: 200 });
    const { opts, endsAt, proc } = await firingNotified(true, extra);
    await postSilence(proc.url, { alertname: 'NodeDown' });
    expect(await proc.stop('SIGKILL')).toBeNull();
    p = undefined;
    // the case under test: the notification log never recorded the firing notification
    expect(await nflogRows(opts.storagePath)).toBe(0);
    await sleep(Math.max(0, endsAt - Date.now()) + 200);
    p = await startTocsin(opts);
    for (let i = 0; notifiedWith(sink, 'resolved') === 0; i++) {
      if (i > 400) throw new Error('no resolved notification after the restart');
      await sleep(50);
    }
    await sleep(1000); // a few more group intervals: no second one
    expect(notifiedWith(sink, 'resolved')).toBe(1);
    expect(notifiedWith(sink, 'firing')).toBe(1);
  });

  test('PostgreSQL, 2 replicas: the owner is killed with the firing notification in flight; the replica that takes the group over sends its resolved notification', async () => {
    pgdb = await createTestDatabase('tocsin_ramk');
    const configFile = path.join(dir, 'alertmanager.yml');
    const tocsinFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, `route: {receiver: pager, group_by: [alertname], group_wait: 50ms, group_interval: 300ms, repeat_interval: 1h}\nreceivers:\n  - name: pager\n    webhook_configs: [{url: '${sink.url}/hook', send_resolved: true}]\n`);
    writeFileSync(tocsinFile, 'receivers:\n  pager:\n    resolved_after_mute: true\n');
    sink.respond = (q) => ((JSON.parse(q.body) as { status: string }).status === 'firing' ? { status: 200, hang: true } : { status: 200 });
    const replicas: TocsinProcess[] = [];
    for (const name of ['r1', 'r2']) {
      replicas.push(
        await startTocsin({
          configFile,
          storagePath: path.join(dir, name),
          args: [`--tocsin.config.file=${tocsinFile}`, `--tocsin.storage.url=${pgdb.url}`, '--tocsin.ha.lease-duration=2s', `--tocsin.ha.replica-name=${name}`],
        }),
      );
    }
    others = replicas;
    for (const r of replicas) {
      for (let i = 0; ((await (await fetch(`${r.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } }).cluster.peers.length < 2; i++) {
        if (i > 200) throw new Error('the replicas do not see each other');
        await sleep(25);
      }
    }
    // posted to both, as Prometheus does; it ends on its own in 4 s
    const endsAt = Date.now() + 4000;
    const alert = JSON.stringify([{ labels: { alertname: 'NodeDown', instance: 'n1' }, endsAt: new Date(endsAt).toISOString() }]);
    for (const r of replicas) expect((await fetch(`${r.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: alert })).status).toBe(200);
    for (let i = 0; notifiedWith(sink, 'firing') === 0; i++) {
      if (i > 200) throw new Error('no firing notification');
      await sleep(25);
    }
    // the group's owner sent it (its externalURL names its port); the receiver holds that request: kill the owner
    const sender = String((JSON.parse(sink.requests[0]!.body) as { externalURL: string }).externalURL);
    const owner = replicas.find((r) => sender.endsWith(`:${new URL(r.url).port}`))!;
    const survivor = replicas.find((r) => r !== owner)!;
    await postSilence(survivor.url, { alertname: 'NodeDown' });
    expect(await owner.stop('SIGKILL')).toBeNull();
    expect(await nflogRows('')).toBe(0);
    // the survivor takes the group over (lease 2 s), the alert resolves while silenced, the dead owner's claim runs
    // out (10 s): then the resolved notification, from the survivor
    for (let i = 0; notifiedWith(sink, 'resolved') === 0; i++) {
      if (i > 600) throw new Error('no resolved notification from the replica that took the group over');
      await sleep(50);
    }
    expect(Date.now()).toBeGreaterThan(endsAt);
    await sleep(1000); // a few more group intervals: no second one
    expect(notifiedWith(sink, 'resolved')).toBe(1);
    expect(notifiedWith(sink, 'firing')).toBe(1);
    const resolvedBy = sink.requests.map((q) => JSON.parse(q.body) as { status: string; externalURL: string }).find((m) => m.status === 'resolved')!;
    expect(resolvedBy.externalURL.endsWith(`:${new URL(survivor.url).port}`)).toBe(true);
  }, 60_000);
});
