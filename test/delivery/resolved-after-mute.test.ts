/**
 * Issue 15 / upstream #226 on real time: a receiver that got a firing notification gets the resolved one even
 * though the alert was silenced, inhibited or time-muted meanwhile, or resolved while Tocsin was down (and
 * silenced), with tocsin.yml `resolved_after_mute: true`; with it off, none, as Alertmanager. The app runs
 * in-process on a real SQLite file; the receiver is a real loopback webhook.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { postAlerts, postSilence } from '../helpers/app-harness';
import { type Running, run, sleep, until } from './run-app';

jest.setTimeout(60_000);

/** tocsin.yml with the guarantee on or off for the receiver `pager` */
function tocsin(on: boolean): string {
  return `receivers:\n  pager:\n    resolved_after_mute: ${on}\n`;
}


interface Payload {
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** notifications naming the alert `alertname` with this status */
function notified(sink: FakeReceiver, alertname: string, status: 'firing' | 'resolved'): number {
  return sink.requests.filter((r) => (JSON.parse(r.body) as Payload).alerts.some((a) => a.labels.alertname === alertname && a.status === status)).length;
}

/** `muted`: the pager route is in the always-active mute time interval */
function config(sink: FakeReceiver, muted = false): string {
  return `
route:
  receiver: pager
  group_by: [alertname]
  group_wait: 50ms
  group_interval: 300ms
  repeat_interval: 1h
  routes:
    - {matchers: [severity="critical"], receiver: quiet}
    - {receiver: pager${muted ? ', mute_time_intervals: [always]' : ''}}
receivers:
  - name: pager
    webhook_configs: [{url: '${sink.url}/hook', send_resolved: true}]
  - name: quiet
inhibit_rules:
  - {source_matchers: [severity="critical"], target_matchers: [severity="warning"], equal: [cluster]}
time_intervals:
  - name: always
    time_intervals: [{}]
`;
}

const ON_OFF: [string, boolean, number][] = [
  ['on: exactly one resolved notification', true, 1],
  ['off: none, as Alertmanager', false, 0],
];

/** a few group intervals (300 ms): time for a second, duplicate notification to show up */
const MORE_FLUSHES_MS = 1000;

describe('resolved_after_mute (upstream #226)', () => {
  let sink: FakeReceiver;
  let dir: string;
  let running: Running | undefined;
  beforeEach(async () => {
    sink = await startFakeReceiver();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ram-'));
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(on: boolean, yaml = config(sink)): Promise<Running> {
    writeFileSync(path.join(dir, 'alertmanager.yml'), yaml);
    running = await run(dir, tocsin(on));
    return running;
  }

  async function fire(r: Running, labels: Record<string, string>, endsAt?: number): Promise<void> {
    expect((await postAlerts(r.url, [{ labels, ...(endsAt ? { endsAt: new Date(endsAt).toISOString() } : {}) }])).status).toBe(200);
  }

  async function resolve(r: Running, labels: Record<string, string>): Promise<void> {
    expect((await postAlerts(r.url, [{ labels, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date().toISOString() }])).status).toBe(200);
  }

  /**
   * Waits until the flushes after the resolution (at `since`) happened: with the guarantee on, until the
   * resolved notification came; off, until a muted flush of the group is in the history. Then a few more.
   */
  async function settled(r: Running, on: boolean, alertname: string, since: number): Promise<void> {
    if (on) await until('the resolved notification', () => notified(sink, alertname, 'resolved') >= 1);
    else {
      const end = Date.now() + 15_000;
      for (;;) {
        const h = (await (await fetch(`${r.url}/api/v2/tocsin/history?kind=flush_skipped&receiver=pager&since=${new Date(since).toISOString()}`)).json()) as { events: { groupKey: string }[] };
        if (h.events.some((e) => e.groupKey.includes(alertname))) break;
        if (Date.now() > end) throw new Error('timed out waiting for the muted flush');
        await sleep(50);
      }
    }
    await sleep(MORE_FLUSHES_MS);
  }

  async function resolvedAfterMute(r: Running): Promise<number> {
    const m = await r.registry.getSingleMetric('tocsin_resolved_after_mute_total')?.get();
    return (m?.values ?? []).filter((v) => v.labels.receiver === 'pager').reduce((n, v) => n + v.value, 0);
  }

  test.each(ON_OFF)('silenced then resolved, %s', async (_n, on, want) => {
    const r = await start(on);
    const labels = { alertname: 'DiskFull', instance: 'db1' };
    await fire(r, labels);
    await until('the firing notification', () => notified(sink, 'DiskFull', 'firing') === 1);
    await postSilence(r.url, { alertname: 'DiskFull' });
    const since = Date.now();
    await resolve(r, labels);
    await settled(r, on, 'DiskFull', since);
    expect(notified(sink, 'DiskFull', 'resolved')).toBe(want);
    expect(notified(sink, 'DiskFull', 'firing')).toBe(1);
    expect(await resolvedAfterMute(r)).toBe(want);
    if (on) {
      const h = (await (await fetch(`${r.url}/api/v2/tocsin/history?kind=resolved_after_mute`)).json()) as { events: { receiver: string; data: { mutedBy: string } }[] };
      expect(h.events.map((e) => [e.receiver, e.data.mutedBy])).toEqual([['pager', 'silenced']]);
    }
  });

  test.each(ON_OFF)('inhibited then resolved, %s', async (_n, on, want) => {
    const r = await start(on);
    const target = { alertname: 'Latency', severity: 'warning', cluster: 'eu' };
    await fire(r, target);
    await until('the firing notification', () => notified(sink, 'Latency', 'firing') === 1);
    // the critical alert (routed to another receiver) inhibits the warning from now on
    await fire(r, { alertname: 'ClusterDown', severity: 'critical', cluster: 'eu' });
    await sleep(100);
    const since = Date.now();
    await resolve(r, target);
    await settled(r, on, 'Latency', since);
    expect(notified(sink, 'Latency', 'resolved')).toBe(want);
    expect(await resolvedAfterMute(r)).toBe(want);
  });

  test.each(ON_OFF)('time-muted then resolved, %s', async (_n, on, want) => {
    const r = await start(on);
    const labels = { alertname: 'QueueFull', instance: 'mq1' };
    await fire(r, labels);
    await until('the firing notification', () => notified(sink, 'QueueFull', 'firing') === 1);
    // the route is muted from now on (a maintenance window added by a reload)
    writeFileSync(path.join(dir, 'alertmanager.yml'), config(sink, true));
    await r.app.reload();
    const since = Date.now();
    await resolve(r, labels);
    await settled(r, on, 'QueueFull', since);
    expect(notified(sink, 'QueueFull', 'resolved')).toBe(want);
    expect(notified(sink, 'QueueFull', 'firing')).toBe(1);
  });

  test.each(ON_OFF)('silenced, then resolved while Tocsin was down, %s', async (_n, on, want) => {
    let r = await start(on);
    const labels = { alertname: 'NodeDown', instance: 'n1' };
    // the alert ends on its own (endsAt) while Tocsin is stopped
    const endsAt = Date.now() + 4000;
    await fire(r, labels, endsAt);
    await until('the firing notification', () => notified(sink, 'NodeDown', 'firing') === 1);
    // the sink has it, but the flush ends when Tocsin has read the answer and logged it: a stop before that cuts
    // the flush short and stores nothing (it would run again after the restart), so wait for the nflog entry
    await until('the firing notification logged', () => r.app.core.nflog.size >= 1);
    await postSilence(r.url, { alertname: 'NodeDown' });
    await r.stop();
    running = undefined;
    await sleep(Math.max(0, endsAt - Date.now()) + 200);
    const since = Date.now();
    r = await start(on);
    await settled(r, on, 'NodeDown', since);
    expect(notified(sink, 'NodeDown', 'resolved')).toBe(want);
    expect(notified(sink, 'NodeDown', 'firing')).toBe(1);
  });

  test('an alert silenced before it was ever notified stays muted when it resolves (guarantee on)', async () => {
    const r = await start(true);
    const labels = { alertname: 'Never', instance: 'x' };
    await postSilence(r.url, { alertname: 'Never' });
    await fire(r, labels);
    await sleep(400);
    const since = Date.now();
    await resolve(r, labels);
    await settled(r, false, 'Never', since);
    expect(sink.requests).toHaveLength(0);
  });
});
