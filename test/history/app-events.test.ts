/**
 * The rest of the recorded story, through the app in-process (real SQLite): inhibition with the inhibiting
 * alert and rule, flushes that sent nothing (inhibited; muted by a time interval), config reloads that succeed
 * and fail, startup; and the retention wired to --tocsin.history.retention.
 */
import { writeFileSync } from 'node:fs';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';

interface WireEvent {
  time: string;
  kind: string;
  fingerprint?: string;
  receiver?: string;
  data?: Record<string, unknown>;
}

const CONFIG = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 50ms
  group_interval: 1h
  routes:
    - matchers: [team="night"]
      mute_time_intervals: [always]
receivers: [{name: default}]
time_intervals:
  - name: always
    time_intervals: [{}]
inhibit_rules:
  - name: critical-hides-warning
    source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
`;

async function events(h: Harness, kind: string): Promise<WireEvent[]> {
  const r = await fetch(`${h.url}/api/v2/tocsin/history?kind=${kind}`);
  return ((await r.json()) as { events: WireEvent[] }).events;
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('history of the app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp({ config: CONFIG, options: { history: { enabled: true, retention: 3600_000, maxEvents: 0 } } });
  });
  afterAll(() => h.close());

  it('records startup', async () => {
    expect((await until('startup', async () => ((await events(h, 'alertmanager_startup')).length ? events(h, 'alertmanager_startup') : undefined)))[0]!.data).toMatchObject({ alerts: 0 });
  });

  it('records an inhibition with the inhibiting alert and rule, and the flush that sent nothing', async () => {
    expect(
      (await postAlerts(h.url, [{ labels: { alertname: 'DbDown', severity: 'critical', cluster: 'eu' } }, { labels: { alertname: 'DbSlow', severity: 'warning', cluster: 'eu' } }])).status,
    ).toBe(200);
    const list = (await (await fetch(`${h.url}/api/v2/alerts`)).json()) as { fingerprint: string; labels: Record<string, string> }[];
    const src = list.find((a) => a.labels.alertname === 'DbDown')!.fingerprint;
    const target = list.find((a) => a.labels.alertname === 'DbSlow')!.fingerprint;
    const inhibited = await until('inhibition', async () => (await events(h, 'inhibition_muted_alert'))[0]);
    expect(inhibited).toMatchObject({ fingerprint: target, data: { inhibitedBy: src, rule: 'critical-hides-warning' } });
    const skipped = await until('skipped flush', async () => (await events(h, 'flush_skipped')).find((e) => e.data?.why === 'inhibited'));
    expect(skipped.receiver).toBe('default');
  });

  it('records a flush muted by a time interval, with its name', async () => {
    expect((await postAlerts(h.url, [{ labels: { alertname: 'Backup', team: 'night' } }])).status).toBe(200);
    const muted = await until('muted flush', async () => (await events(h, 'flush_skipped')).find((e) => e.data?.why === 'muted by time interval'));
    expect(muted.data).toMatchObject({ intervals: ['always'] });
  });

  it('records reloads that succeed and fail', async () => {
    expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    writeFileSync(h.configFile, 'route: {receiver: nope}\nreceivers: []\n');
    expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(500);
    writeFileSync(h.configFile, CONFIG);
    const reloads = await until('reloads', async () => {
      const r = await events(h, 'config_reload');
      return r.length >= 2 ? r : undefined;
    });
    expect(reloads[0]!.data).toMatchObject({ success: false });
    expect(String(reloads[0]!.data?.error)).toContain('nope');
    expect(reloads[1]!.data).toMatchObject({ success: true });
  });

  it('deletes events older than the retention', async () => {
    const retention = h.app.core.history.retention!;
    expect(await retention.run()).toBe(0);
    const count = (await (await fetch(`${h.url}/api/v2/tocsin/history?limit=1000`)).json()) as { events: unknown[] };
    expect(count.events.length).toBeGreaterThan(5);
    // two hours later everything recorded so far is older than the one-hour retention
    const realNow = Date.now;
    Date.now = () => realNow() + 2 * 3600_000;
    try {
      expect(await retention.run()).toBe(count.events.length);
    } finally {
      Date.now = realNow;
    }
    expect(((await (await fetch(`${h.url}/api/v2/tocsin/history`)).json()) as { events: unknown[] }).events).toEqual([]);
  });
});
