import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { type Harness, MINIMAL_CONFIG, startApp } from '../../test/helpers/app-harness';
import { ManualClock } from '../../test/helpers/manual-clock';
import { TOCSIN_VERSION } from '../app/version';
import { fingerprint } from '../types/fingerprint';
import type { Explanation } from './explain';

/** Loopback webhook receiver that records request paths. */
async function startReceiver(): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Monday 2026-01-05 03:00 UTC: inside "night", outside "weekends"
const T0 = Date.parse('2026-01-05T03:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function config(hook: string): string {
  return `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1m
  group_interval: 5m
  repeat_interval: 3h
  routes:
    - matchers: ['team="db"']
      receiver: db
      group_by: [alertname, cluster]
      continue: true
      routes:
        - matchers: ['severity=~"crit.*"']
          receiver: pager
          group_wait: 10s
          continue: true
          mute_time_intervals: [weekends]
          active_time_intervals: [night]
        - matchers: ['cluster="eu1"']
          receiver: db
    - matchers: ['team="db"']
      receiver: audit
      group_by: ['...']
receivers:
  - name: default
  - name: db
    webhook_configs:
      - url: ${hook}/db
  - name: pager
    webhook_configs:
      - url: ${hook}/pager0
      - url: ${hook}/pager1
        send_resolved: false
  - name: audit
time_intervals:
  - name: weekends
    time_intervals: [{weekdays: [saturday, sunday]}]
  - name: night
    time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]
inhibit_rules:
  - source_matchers: ['alertname="Unrelated"']
    target_matchers: ['severity="none"']
  - name: cluster-down
    source_matchers: ['alertname="ClusterDown"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
`;
}

const CRIT = { alertname: 'DiskFull', team: 'db', severity: 'critical', cluster: 'eu1', instance: 'db1' };
const WARN = { alertname: 'HighLatency', team: 'db', severity: 'warning', cluster: 'eu1' };
const SOURCE = { alertname: 'ClusterDown', cluster: 'eu1' };

/** a receiver tocsin.yml does not name: Alertmanager's behaviour */
const NO_TOCSIN = { resolvedAfterMute: false, rateLimit: null };

describe('GET /api/v2/tocsin/explain', () => {
  let h: Harness;
  let clock: ManualClock;
  let hook: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    hook = await startReceiver();
    h = await startApp({ config: config(hook.url), clock });
    const endsAt = iso(T0 + 24 * 3600_000);
    const r = await fetch(`${h.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([CRIT, WARN, SOURCE].map((labels) => ({ labels, startsAt: iso(T0), endsAt }))),
    });
    expect(r.status).toBe(200);
  });
  afterEach(async () => {
    await h.close();
    await hook.close();
  });

  async function explain(labels: Record<string, string>): Promise<Explanation> {
    const r = await fetch(`${h.url}/api/v2/tocsin/explain?fingerprint=${fingerprint(labels)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    return (await r.json()) as Explanation;
  }

  it('a nested route with continue: every matching route with its effective options, group keys and receivers', async () => {
    const ex = await explain(CRIT);
    expect(ex.fingerprint).toBe(fingerprint(CRIT));
    expect(ex.routes).toEqual([
      {
        id: '{}/{team="db"}/0/{severity=~"crit.*"}/0',
        receiver: 'pager',
        group_by: ['alertname', 'cluster'],
        group_wait: '10s',
        group_interval: '5m',
        repeat_interval: '3h',
        matchers: ['severity=~"crit.*"'],
        continue: true,
        groupKey: '{}/{team="db"}/{severity=~"crit.*"}:{alertname="DiskFull", cluster="eu1"}',
        groupLabels: { alertname: 'DiskFull', cluster: 'eu1' },
        mute_time_intervals: ['weekends'],
        active_time_intervals: ['night'],
        mutedBy: [],
        lastNotified: null,
        nextFlush: iso(T0 + 10_000),
      },
      expect.objectContaining({
        id: '{}/{team="db"}/0/{cluster="eu1"}/1',
        receiver: 'db',
        group_wait: '1m',
        matchers: ['cluster="eu1"'],
        continue: false,
        groupKey: '{}/{team="db"}/{cluster="eu1"}:{alertname="DiskFull", cluster="eu1"}',
        nextFlush: iso(T0 + 60_000),
      }),
      expect.objectContaining({
        id: '{}/{team="db"}/1',
        receiver: 'audit',
        group_by: ['...'],
        continue: false,
        groupLabels: CRIT,
      }),
    ]);
    expect(ex.groupKey).toBe(ex.routes[0]!.groupKey);
    expect(ex.groupKeys).toEqual(ex.routes.map((r) => r.groupKey));
    expect(ex.lastNotified).toBeNull();
    expect(ex.nextFlush).toBe(iso(T0 + 10_000));
    expect(ex).toMatchObject({ silences: [], inhibitedBy: [], inhibitions: [], mutedBy: [], resolved: false });
    expect(ex.muteTimeIntervals).toEqual([{ name: 'weekends', activeNow: false }]);
    expect(ex.activeTimeIntervals).toEqual([{ name: 'night', activeNow: true }]);
    expect(ex.receivers).toEqual([
      {
        name: 'pager',
        integrations: [
          { name: 'webhook[0]', type: 'webhook', index: 0, sendResolved: true, lastNotified: null },
          { name: 'webhook[1]', type: 'webhook', index: 1, sendResolved: false, lastNotified: null },
        ],
        ...NO_TOCSIN,
      },
      { name: 'db', integrations: [{ name: 'webhook[0]', type: 'webhook', index: 0, sendResolved: true, lastNotified: null }], ...NO_TOCSIN },
      { name: 'audit', integrations: [], ...NO_TOCSIN },
    ]);
  });

  it('after a flush: lastNotified from the nflog, the next flush moves on', async () => {
    clock.advance(10_000); // the pager group's group_wait
    const ex = await until(async () => {
      const e = await explain(CRIT);
      // both pager integrations logged (each logs once its own send is done)
      return e.receivers[0]!.integrations.every((i) => i.lastNotified !== null) ? e : undefined;
    }, 'the pager notification in the nflog');
    expect(hook.paths.sort()).toEqual(['/pager0', '/pager1']);
    expect(ex.lastNotified).toBe(iso(T0 + 10_000));
    expect(ex.routes[0]!.lastNotified).toBe(iso(T0 + 10_000));
    expect(ex.routes[0]!.nextFlush).toBe(iso(T0 + 10_000 + 5 * 60_000));
    expect(ex.routes[1]!.lastNotified).toBeNull();
    expect(ex.nextFlush).toBe(iso(T0 + 60_000)); // the db group's group_wait is the earliest now
    expect(ex.receivers[0]!.integrations.map((i) => i.lastNotified)).toEqual([iso(T0 + 10_000), iso(T0 + 10_000)]);
    expect(ex.receivers[1]!.integrations[0]!.lastNotified).toBeNull();
  });

  it('lastNotified agrees everywhere: an alert that joined its group after the last flush was never notified', async () => {
    clock.advance(10_000); // the pager group flushes with CRIT
    await until(async () => ((await explain(CRIT)).lastNotified !== null ? true : undefined), 'the pager notification in the nflog');
    const LATE = { ...CRIT, instance: 'db2' }; // same groups as CRIT
    const post = await fetch(`${h.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([{ labels: LATE, startsAt: iso(clock.now()), endsAt: iso(T0 + 24 * 3600_000) }]),
    });
    expect(post.status).toBe(200);
    const late = await explain(LATE);
    expect(late.routes[0]!.groupKey).toBe((await explain(CRIT)).routes[0]!.groupKey);
    // the group was notified at T0+10s, but without LATE: every lastNotified says so
    expect(late.lastNotified).toBeNull();
    expect(late.routes.map((r) => r.lastNotified)).toEqual([null, null, null]);
    expect(late.receivers.flatMap((r) => r.integrations.map((i) => i.lastNotified))).toEqual([null, null, null]);
    expect(late.routes[0]!.nextFlush).toBe(iso(T0 + 10_000 + 5 * 60_000));

    clock.advance(5 * 60_000); // the pager group's next flush includes LATE
    const again = await until(async () => {
      const e = await explain(LATE);
      return e.lastNotified !== null ? e : undefined;
    }, 'the second pager notification in the nflog');
    const at = iso(T0 + 10_000 + 5 * 60_000);
    expect(again.lastNotified).toBe(at);
    expect(again.routes[0]!.lastNotified).toBe(at);
    expect(again.receivers[0]!.integrations.map((i) => i.lastNotified)).toEqual([at, at]);
    // the top-level value is the latest of the routes'
    for (const ex of [again, await explain(CRIT)]) {
      const latest = ex.routes.map((r) => r.lastNotified).filter((t) => t !== null).sort().pop() ?? null;
      expect(ex.lastNotified).toBe(latest);
    }
  });

  it('outside its active time interval the route is muted by it', async () => {
    clock.t = Date.parse('2026-01-05T07:00:00Z');
    const ex = await explain(CRIT);
    expect(ex.mutedBy).toEqual(['night']);
    expect(ex.routes.map((r) => r.mutedBy)).toEqual([['night'], [], []]);
    expect(ex.activeTimeIntervals).toEqual([{ name: 'night', activeNow: false }]);
  });

  it('silenced: the active silences matching it', async () => {
    const r = await fetch(`${h.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false }],
        startsAt: iso(T0),
        endsAt: iso(T0 + 3600_000),
        createdBy: 'test',
        comment: 'explain',
      }),
    });
    expect(r.status).toBe(200);
    const { silenceID } = (await r.json()) as { silenceID: string };
    expect((await explain(CRIT)).silences).toEqual([silenceID]);
    expect((await explain(WARN)).silences).toEqual([]);
    clock.t = T0 + 2 * 3600_000; // expired
    expect((await explain(CRIT)).silences).toEqual([]);
  });

  it('inhibited: the source alert and the rule that matched', async () => {
    const ex = await explain(WARN);
    expect(ex.inhibitedBy).toEqual([fingerprint(SOURCE)]);
    expect(ex.inhibitions).toEqual([
      {
        sourceFingerprint: fingerprint(SOURCE),
        ruleIndex: 1,
        rule: { name: 'cluster-down', source_matchers: ['alertname="ClusterDown"'], target_matchers: ['severity="warning"'], equal: ['cluster'] },
      },
    ]);
    // the same as GET /api/v2/alerts reports
    const alerts = (await (await fetch(`${h.url}/api/v2/alerts?filter=alertname%3D%22HighLatency%22`)).json()) as { status: { inhibitedBy: string[] } }[];
    expect(alerts[0]!.status.inhibitedBy).toEqual(ex.inhibitedBy);
    // not critical: only the cluster child under the db route, then the audit route
    expect(ex.routes.map((r) => r.id)).toEqual(['{}/{team="db"}/0/{cluster="eu1"}/1', '{}/{team="db"}/1']);
    expect((await explain(SOURCE)).routes.map((r) => r.receiver)).toEqual(['default']);
  });

  it('400 names the fingerprint parameter; 404 for an unknown alert', async () => {
    const missing = await fetch(`${h.url}/api/v2/tocsin/explain`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatch(/^fingerprint: /);
    const bad = await fetch(`${h.url}/api/v2/tocsin/explain?fingerprint=xyz`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatch(/^fingerprint: /);
    const twice = await fetch(`${h.url}/api/v2/tocsin/explain?fingerprint=${fingerprint(CRIT)}&fingerprint=${fingerprint(WARN)}`);
    expect(twice.status).toBe(400);
    const unknown = await fetch(`${h.url}/api/v2/tocsin/explain?fingerprint=0123456789abcdef`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toContain('0123456789abcdef');
    // upper-case hex is the same fingerprint
    const upper = await fetch(`${h.url}/api/v2/tocsin/explain?fingerprint=${fingerprint(CRIT).toUpperCase()}`);
    expect(upper.status).toBe(200);
  });

  it('follows a reload: the new route tree answers', async () => {
    writeFileSync(h.configFile, `${MINIMAL_CONFIG}  - name: other\n`);
    await h.app.reload();
    const ex = await explain(CRIT);
    expect(ex.routes.map((r) => [r.id, r.receiver, r.group_wait])).toEqual([['{}', 'default', '30s']]);
    expect(ex.receivers).toEqual([{ name: 'default', integrations: [], ...NO_TOCSIN }]);
  });
});

describe('GET /api/v2/status: the tocsin object', () => {
  let h: Harness;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    h = await startApp({ clock });
  });
  afterEach(async () => {
    await h.close();
  });

  interface StatusBody {
    tocsin: { version: string; lastReload: { success: boolean; time: string; error?: string }; lastSuccessTime: string; storageBytes: number; startTime: string };
    [k: string]: unknown;
  }
  const status = async (): Promise<StatusBody> => (await (await fetch(`${h.url}/api/v2/status`)).json()) as StatusBody;

  it('after a good and a failed reload; upstream fields unchanged', async () => {
    const first = await status();
    expect(Object.keys(first)).toEqual(['cluster', 'config', 'uptime', 'versionInfo', 'tocsin']);
    expect(first.tocsin).toEqual({
      version: TOCSIN_VERSION,
      lastReload: { success: true, time: iso(T0) },
      lastSuccessTime: iso(T0),
      storageBytes: expect.any(Number),
      startTime: iso(T0),
    });
    expect(first.tocsin.storageBytes).toBeGreaterThan(0);

    clock.t = T0 + 60_000;
    writeFileSync(h.configFile, 'route:\n  receiver: nope\nreceivers:\n  - name: default\n');
    await expect(h.app.reload()).rejects.toThrow();
    const failed = await status();
    expect(failed.tocsin.lastReload).toEqual({ success: false, time: iso(T0 + 60_000), error: expect.stringContaining('nope') });
    expect(failed.tocsin.lastSuccessTime).toBe(iso(T0));
    expect(failed.config).toEqual(first.config); // the old config stays
    expect(failed.uptime).toBe(first.uptime);

    // over HTTP as well
    clock.t = T0 + 120_000;
    writeFileSync(h.configFile, `${MINIMAL_CONFIG}  - name: other\n`);
    expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    const good = await status();
    expect(good.tocsin.lastReload).toEqual({ success: true, time: iso(T0 + 120_000) });
    expect(good.tocsin.lastSuccessTime).toBe(iso(T0 + 120_000));
  });

  it('storageBytes counts the SQLite file and its WAL, growing with writes', async () => {
    const before = (await status()).tocsin.storageBytes;
    const labels = Array.from({ length: 300 }, (_, i) => ({ labels: { alertname: 'Grow', i: String(i), pad: 'x'.repeat(200) } }));
    expect((await fetch(`${h.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(labels) })).status).toBe(200);
    expect((await status()).tocsin.storageBytes).toBeGreaterThan(before + 300 * 200);
  });

  (existsSync('/usr/bin/amtool') ? it : it.skip)('amtool 0.25 still parses the status', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/amtool', ['config', 'show', `--alertmanager.url=${h.url}`], { timeout: 10_000 });
    expect(stdout).toContain('receiver: default');
  });
});
