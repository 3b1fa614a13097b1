/**
 * Claims ahead of a first flush on the real processes (2 replicas over one real PostgreSQL): the owner of a new
 * group claims its notification before the group_wait is over (SharedNotificationLog.claimAhead), and its flush
 * sends on that claim. If the owner is killed (-9) between that claim and the flush, nothing is lost and nothing
 * is sent twice: the replica that takes the group over sends the first notification once the dead owner's claim
 * runs out (claim ttl 10 s + at most 1 s of lead), as it does for a notification that was in flight.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GROUP_WAIT_MS = 4000;
/** src/app/ha/shared-nflog.ts: half the wait, at most 1 s */
const LEAD_MS = 1000;
/** src/app/app.ts: max(10 s, lease) */
const CLAIM_TTL_MS = 10_000;

describe('HA: a claim ahead of the first flush (process, PostgreSQL)', () => {
  let sink: FakeReceiver;
  let dir: string;
  let db: TestDatabase;
  let client: pg.Client;
  const replicas: TocsinProcess[] = [];
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(async () => {
    sink = await startFakeReceiver();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ahead-'));
    db = await createTestDatabase('tocsin_ahead');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterEach(async () => {
    for (const r of replicas.splice(0)) await r.stop('SIGKILL');
    await client.end();
    await db.drop();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    const configFile = path.join(dir, 'alertmanager.yml');
    writeFileSync(
      configFile,
      `route: {receiver: pager, group_by: [alertname], group_wait: ${GROUP_WAIT_MS}ms, group_interval: 500ms, repeat_interval: 1h}\nreceivers:\n  - name: pager\n    webhook_configs: [{url: '${sink.url}/hook'}]\n`,
    );
    for (const name of ['r1', 'r2']) {
      replicas.push(
        await startTocsin({ configFile, storagePath: path.join(dir, name), args: [`--tocsin.storage.url=${db.url}`, '--tocsin.ha.lease-duration=2s', `--tocsin.ha.replica-name=${name}`] }),
      );
    }
    for (const r of replicas) {
      for (let i = 0; ((await (await fetch(`${r.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } }).cluster.peers.length < 2; i++) {
        if (i > 200) throw new Error('the replicas do not see each other');
        await sleep(25);
      }
    }
  }

  /** Posts the alert to both replicas, as Prometheus does; resolves with the time it was posted. */
  async function post(): Promise<number> {
    const t = Date.now();
    const body = JSON.stringify([{ labels: { alertname: 'NodeDown', instance: 'n1' } }]);
    for (const r of replicas) expect((await fetch(`${r.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status).toBe(200);
    return t;
  }

  /** The replica holding a claim on a notification now, and until when (PostgreSQL's clock), polled every 10 ms. */
  async function claimed(until: number): Promise<{ owner: string; claimedUntil: number } | undefined> {
    while (Date.now() < until) {
      const { rows } = await client.query<{ owner: string; claimed_until: string }>('SELECT owner, claimed_until FROM flush_claims WHERE owner IS NOT NULL');
      if (rows[0]) return { owner: rows[0].owner, claimedUntil: Number(rows[0].claimed_until) };
      await sleep(10);
    }
    return undefined;
  }

  test('the first notification is claimed before the group_wait is over, and sent on that claim', async () => {
    await start();
    const posted = await post();
    const c = await claimed(posted + GROUP_WAIT_MS);
    // claimed about a lead before the flush is due, for a claim ttl from the flush on
    expect(c).toBeDefined();
    expect(Date.now()).toBeLessThan(posted + GROUP_WAIT_MS);
    expect(Date.now()).toBeGreaterThan(posted + GROUP_WAIT_MS - LEAD_MS - 500);
    expect(c!.claimedUntil).toBeGreaterThan(posted + GROUP_WAIT_MS + CLAIM_TTL_MS - 500);
    for (let i = 0; sink.requests.length === 0; i++) {
      if (i > 200) throw new Error('no notification');
      await sleep(25);
    }
    // from the replica holding the claim; logged under it, which frees it
    const sender = String((JSON.parse(sink.requests[0]!.body) as { externalURL: string }).externalURL);
    const owner = replicas[c!.owner === 'r1' ? 0 : 1]!;
    expect(sender.endsWith(`:${new URL(owner.url).port}`)).toBe(true);
    for (let i = 0; (await client.query('SELECT 1 FROM nflog')).rowCount === 0; i++) {
      if (i > 200) throw new Error('the notification was not logged');
      await sleep(25);
    }
    expect((await client.query('SELECT owner FROM flush_claims')).rows).toEqual([{ owner: null }]);
    await sleep(1500); // a few group intervals: no second one
    expect(sink.requests).toHaveLength(1);
  });

  test('the owner killed between its claim ahead and the flush: the other replica sends once, after that claim ran out', async () => {
    await start();
    const posted = await post();
    const c = await claimed(posted + GROUP_WAIT_MS);
    expect(c).toBeDefined();
    const owner = replicas[c!.owner === 'r1' ? 0 : 1]!;
    const survivor = replicas.find((r) => r !== owner)!;
    expect(await owner.stop('SIGKILL')).toBeNull();
    const killedAt = Date.now();
    expect(killedAt).toBeLessThan(posted + GROUP_WAIT_MS); // before its flush: nothing was sent
    // the survivor takes the group over within a few seconds (lease 2 s) and finds the claim in force ('busy')
    for (let i = 0; sink.requests.length === 0; i++) {
      if (i > 600) throw new Error('no notification from the replica that took the group over');
      await sleep(50);
    }
    const sentAt = Date.now();
    expect(sentAt).toBeGreaterThanOrEqual(c!.claimedUntil - 100);
    expect(sentAt).toBeLessThan(c!.claimedUntil + 3000);
    const m = JSON.parse(sink.requests[0]!.body) as { externalURL: string; status: string };
    expect(m.status).toBe('firing');
    expect(m.externalURL.endsWith(`:${new URL(survivor.url).port}`)).toBe(true);
    await sleep(1500);
    expect(sink.requests).toHaveLength(1);
  }, 60_000);
});
