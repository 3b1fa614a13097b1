/**
 * Issue 13 acceptance: 3 Tocsin replicas (bin/tocsin, dist/) over one real PostgreSQL database (a randomly
 * named one at 127.0.0.1:5432, dropped after), a sender posting every batch to all 3 as Prometheus does, and a
 * real webhook receiver on loopback:
 * - every group's notifications arrive exactly once (first, repeat, resolved), spread over the replicas;
 * - kill -9 of the replica that owns the most groups while a wave of notifications is in flight: the others take
 *   its groups over and continue their cadence from the shared notification log (no early repeat, no wait beyond
 *   the takeover + one group_interval); only notifications in flight at the kill may be sent twice;
 * - a silence created on replica 1 mutes on replica 3 within 1 s; expired on replica 2, it un-mutes;
 * - real amtool `cluster show` and `silence query` against each replica.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { Collector } from '../acceptance/support/timeline';
import { ensureBuilt, ROOT } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const execFileP = promisify(execFile);
const AMTOOL = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';
const GROUPS = 200;
const LEASE_S = 4;
const REPEAT_S = 8;
/** claim ttl: max(10 s, lease) (src/app/app.ts) */
const CLAIM_TTL_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Notification {
  t: number;
  groupKey: string;
  status: string;
  sender: string;
}

describe('HA: 3 replicas over PostgreSQL', () => {
  let dir: string;
  let db: TestDatabase;
  const replicas: TocsinProcess[] = [];
  const co = new Collector('ha');

  const notifications = (): Notification[] =>
    co.batches.map((b) => ({
      t: b.t,
      groupKey: String(b.body.groupKey),
      status: String(b.body.status),
      sender: String(b.body.externalURL),
    }));
  const post = async (to: readonly TocsinProcess[], alerts: unknown[]) => {
    await Promise.all(
      to.map(async (r) => {
        const res = await fetch(`${r.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts) });
        expect(res.status).toBe(200);
      }),
    );
  };
  const batch = (resolved: boolean) => {
    const now = Date.now();
    return Array.from({ length: GROUPS }, (_, i) => ({
      labels: { alertname: 'HA', g: `g${i}` },
      startsAt: new Date(co.base).toISOString(),
      endsAt: new Date(resolved ? now - 1 : now + 60_000).toISOString(),
    }));
  };
  const amtool = async (r: TocsinProcess, ...args: string[]): Promise<string> => {
    const { stdout } = await execFileP(AMTOOL, [`--alertmanager.url=${r.url}`, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TZ: 'UTC', USER: 'e2e' },
      timeout: 15_000,
    });
    return stdout;
  };
  const metric = async (r: TocsinProcess, name: string): Promise<number> => {
    const text = await (await fetch(`${r.url}/metrics`)).text();
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ha-'));
    db = await createTestDatabase('tocsin_ha_e2e');
    await co.start();
    co.base = Date.now();
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(
      configFile,
      `route:
  receiver: wh
  group_by: [g]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: ${REPEAT_S}s
receivers:
  - name: wh
    webhook_configs:
      - url: ${co.url}
        send_resolved: true
`,
    );
    // the URL in a file: no password on the command line
    const urlFile = path.join(dir, 'pg-url');
    // trust auth never asks for the password: it is there to show it is not logged
    writeFileSync(urlFile, `${db.url.replace('postgres@', 'postgres:s3cret-pw@')}\n`);
    for (let i = 1; i <= 3; i++) {
      replicas.push(
        await startTocsin({
          configFile,
          storagePath: path.join(dir, `unused-${i}`),
          args: [`--tocsin.storage.url-file=${urlFile}`, `--tocsin.ha.lease-duration=${LEASE_S}s`, `--tocsin.ha.replica-name=r${i}`, '--cluster.peer=10.0.0.1:9094'],
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGKILL');
    await co.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cluster: every replica is ready with 3 peers (status API, amtool cluster show, metrics); --cluster.* ignored silently', async () => {
    for (const r of replicas) {
      await waitFor(async () => ((await (await fetch(`${r.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } }).cluster.peers.length === 3, {
        timeoutMs: 10_000,
        what: 'three peers',
      });
      const st = (await (await fetch(`${r.url}/api/v2/status`)).json()) as { cluster: { status: string; name: string; peers: { name: string; address: string }[] } };
      expect(st.cluster.status).toBe('ready');
      expect(st.cluster.peers.map((p) => p.name).sort()).toEqual(['r1', 'r2', 'r3']);
      expect(await amtool(r, 'cluster', 'show')).toMatch(/Cluster Status:\s+ready/);
      const shown = JSON.parse(await amtool(r, 'cluster', 'show', '-o', 'json')) as { status: string; peers: { name: string; address: string }[] };
      expect(shown.status).toBe('ready');
      expect(shown.peers.map((p) => p.name).sort()).toEqual(['r1', 'r2', 'r3']);
      const ours = JSON.parse((await execFileP(process.execPath, [path.join(ROOT, 'bin', 'tocsinctl'), `--alertmanager.url=${r.url}`, 'cluster', 'show', '-o', 'json'])).stdout) as typeof shown;
      expect(ours.peers.map((p) => p.name).sort()).toEqual(['r1', 'r2', 'r3']);
      expect(await metric(r, 'alertmanager_cluster_members')).toBe(3);
      expect(await metric(r, 'alertmanager_cluster_enabled')).toBe(1);
      expect(r.output()).not.toContain('does not use gossip');
      expect(r.output()).toContain('Using PostgreSQL storage');
      expect(r.output()).not.toContain('s3cret-pw');
    }
  }, 30_000);

  it('a silence created on replica 1 mutes on replica 3 within 1 s; expired on replica 2, it un-mutes; amtool silence query on each', async () => {
    const r1 = replicas[0]!;
    const r2 = replicas[1]!;
    const r3 = replicas[2]!;
    await post([r3], [{ labels: { alertname: 'Muted', g: 'silence-test' }, endsAt: new Date(Date.now() + 600_000).toISOString() }]);
    const state = async (r: TocsinProcess) => {
      const list = (await (await fetch(`${r.url}/api/v2/alerts?filter=alertname%3D%22Muted%22`)).json()) as { status: { state: string } }[];
      return list[0]?.status.state;
    };
    // the alert reached the other replicas through the change feed
    await waitFor(async () => (await state(r1)) === 'active' && (await state(r2)) === 'active', { timeoutMs: 5000, what: 'alert on all replicas' });
    const t0 = Date.now();
    const id = (await amtool(r1, 'silence', 'add', 'alertname=Muted', '--comment=ha', '--duration=1h', '--author=e2e')).trim();
    await waitFor(async () => (await state(r3)) === 'suppressed', { timeoutMs: 3000, intervalMs: 20, what: 'muted on r3' });
    const muted = Date.now() - t0;
    expect(muted).toBeLessThan(1000);
    for (const r of replicas) expect(await amtool(r, 'silence', 'query', '-q')).toContain(id);
    const t1 = Date.now();
    await amtool(r2, 'silence', 'expire', id);
    await waitFor(async () => (await state(r3)) === 'active', { timeoutMs: 3000, intervalMs: 20, what: 'un-muted on r3' });
    expect(Date.now() - t1).toBeLessThan(1000);
    for (const r of replicas) expect(await amtool(r, 'silence', 'query', '-q')).not.toContain(id);
    // the silence-test group is not part of the counting below
  }, 30_000);

  it(`${GROUPS} groups: first, repeat and resolved notifications exactly once; kill -9 of an owner mid-run: its groups continue their cadence on the others`, async () => {
    const ours = (n: Notification) => n.groupKey.includes('g="g');
    const start = Date.now();
    // the receiver answers after 1 s, so a wave of notifications is in flight for a while
    let received = 0;
    co.hook = () => {
      received++;
      return { record: true, delayMs: 1000 };
    };
    // like Prometheus: every batch to every replica, re-sent while firing
    await post(replicas, batch(false));
    let resending: Promise<unknown> = Promise.resolve();
    const alive = () => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const resend = setInterval(() => {
      resending = post(alive(), batch(false)).catch(() => undefined);
    }, 2000);
    try {
      await waitFor(async () => new Set(notifications().filter(ours).map((n) => n.groupKey)).size === GROUPS, { timeoutMs: 20_000, what: 'first notifications' });
      const firstBy = new Map<string, number>();
      for (const n of notifications().filter(ours)) firstBy.set(n.sender, (firstBy.get(n.sender) ?? 0) + 1);
      expect(firstBy.size).toBe(3); // groups are spread over the replicas
      // every replica shows the same groups
      const groupsOn = async (r: TocsinProcess) =>
        ((await (await fetch(`${r.url}/api/v2/alerts/groups?filter=alertname%3D%22HA%22`)).json()) as { labels: { g: string }; alerts: unknown[] }[])
          .map((g) => `${g.labels.g}:${g.alerts.length}`)
          .sort();
      const shown = await Promise.all(replicas.map(groupsOn));
      expect(shown[0]).toHaveLength(GROUPS);
      expect(shown[1]).toEqual(shown[0]);
      expect(shown[2]).toEqual(shown[0]);
      // kill -9 the replica that owns the most groups while the repeat wave is in flight
      const owned = await Promise.all(replicas.map((r) => metric(r, 'tocsin_ha_groups_owned')));
      const victimIdx = owned.indexOf(Math.max(...owned));
      const victim = replicas[victimIdx]!;
      const victimGroups = owned[victimIdx]!;
      const fromVictim = (n: Notification) => n.sender.endsWith(`:${victim.port}`);
      const firstWave = received;
      await waitFor(async () => received > firstWave + GROUPS / 4, { timeoutMs: (REPEAT_S + 10) * 1000, intervalMs: 10, what: 'repeat wave' });
      const inFlightAtKill = received - co.batches.length;
      await victim.stop('SIGKILL');
      const killedAt = (Date.now() - co.base) / 1000;
      const survivors = replicas.filter((r) => r !== victim);
      // one more repeat of every group, the victim's ones by their new owners
      await sleep((REPEAT_S + 4) * 1000);
      // Prometheus stops re-sending the firing alerts (a re-send still in flight would re-fire them after the resolve)
      clearInterval(resend);
      await resending;
      await post(survivors, batch(true));
      const resolvedAt = (Date.now() - co.base) / 1000;
      await waitFor(async () => new Set(notifications().filter((n) => ours(n) && n.status === 'resolved').map((n) => n.groupKey)).size === GROUPS, {
        timeoutMs: 20_000,
        what: 'resolved notifications of every group',
      });
      await sleep(3000); // anything extra would arrive now
      const all = notifications().filter(ours);
      const byGroup = new Map<string, Notification[]>();
      for (const n of all) byGroup.set(n.groupKey, [...(byGroup.get(n.groupKey) ?? []), n]);
      expect(byGroup.size).toBe(GROUPS);
      let duplicates = 0;
      let inFlightResent = 0;
      let victimsGroups = 0;
      let slowestResolve = 0;
      const gaps: number[] = [];
      for (const list of byGroup.values()) {
        const firing = list.filter((n) => n.status === 'firing');
        const resolved = list.filter((n) => n.status === 'resolved');
        expect(resolved).toHaveLength(1);
        expect(fromVictim(resolved[0]!)).toBe(false);
        slowestResolve = Math.max(slowestResolve, resolved[0]!.t - resolvedAt);
        // a duplicate: two firing notifications of a group closer than its repeat_interval
        for (let i = 1; i < firing.length; i++) if (firing[i]!.t - firing[i - 1]!.t < REPEAT_S - 1) duplicates++;
        if (!list.some((n) => fromVictim(n))) continue;
        victimsGroups++;
        // the first notification by the new owner, and the one before it
        const i = firing.findIndex((n) => !fromVictim(n) && n.t > killedAt);
        expect(i).toBeGreaterThan(0);
        // sent by the victim and answered after the kill: it was in flight, unlogged; the new owner may send it again
        if (firing[i - 1]!.t > killedAt) inFlightResent++;
        else gaps.push(firing[i]!.t - firing[i - 1]!.t);
      }
      expect(victimsGroups).toBe(victimGroups);
      // no early re-send: the new owner repeats from the shared notification log ...
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(REPEAT_S - 1);
      // ... and no extra wait beyond the takeover (lease * 1.25) or, for a notification the victim had claimed when
      // it died, the claim's expiry (CLAIM_TTL_S), plus one group_interval (+1 s answer delay, +slack)
      expect(Math.max(...gaps)).toBeLessThan(REPEAT_S + Math.max(LEASE_S * 1.25, CLAIM_TTL_S) + 2 + 1 + 4);
      // only notifications in flight at the kill were sent twice
      expect(duplicates).toBe(0);
      expect(inFlightResent).toBeLessThanOrEqual(inFlightAtKill);
      expect(slowestResolve).toBeLessThan(2 + 1 + 3);
      for (const r of survivors) {
        expect(await metric(r, 'alertmanager_cluster_members')).toBe(2);
        expect(await metric(r, 'alertmanager_cluster_failed_peers')).toBe(1);
        const st = (await (await fetch(`${r.url}/api/v2/status`)).json()) as { cluster: { peers: unknown[] } };
        expect(st.cluster.peers).toHaveLength(2);
      }
      const takeovers = (await Promise.all(survivors.map((r) => metric(r, 'tocsin_ha_takeovers_total')))).reduce((a, b) => a + b, 0);
      expect(takeovers).toBe(victimGroups);
      process.stdout.write(
        `HA e2e: ${GROUPS} groups, ${all.length} notifications, first spread ${JSON.stringify([...firstBy.values()])}, victim owned ${victimGroups} (takeovers ${takeovers}); ` +
          `${inFlightAtKill} notifications in flight at the kill, ${inFlightResent} of the victim's sent again by the new owner; repeat gap across the takeover ` +
          `${Math.min(...gaps).toFixed(1)}-${Math.max(...gaps).toFixed(1)} s (repeat_interval ${REPEAT_S} s); duplicates within repeat_interval ${duplicates}; slowest resolve ${slowestResolve.toFixed(1)} s; ${((Date.now() - start) / 1000).toFixed(0)} s\n`,
      );
    } finally {
      clearInterval(resend);
      co.hook = undefined;
    }
  }, 120_000);
});
