/**
 * Issue 3 acceptance: upstream send_test.go TestColdStart, re-created on the real app (src/app App over HTTP,
 * SQLite state) with `--dispatch.start-delay 5s`: nothing is notified before process start + 5 s, a reload keeps
 * the same start time, and the group then follows its group_interval. Upstream expects test2 to start at 4; by
 * the ingestion rules it starts when it was pushed (2), which is what is asserted (reference §14, TestColdStart).
 * Also checks that bin/tocsin applies the flag.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// the lateness every timeline scenario allows (windows here are 6 s apart, so they stay disjoint)
import { SLACK } from '../acceptance/support/run';
import { alert, between, Collector, Timeline } from '../acceptance/support/timeline';
import { startApp } from '../helpers/app-harness';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin } from '../helpers/tocsin-process';


test('TestColdStart: --dispatch.start-delay 5s, then reload, then group_interval', async () => {
  const co = new Collector('webhook');
  await co.start();
  const conf = `
route:
  receiver: "default"
  group_by: []
  group_wait:      1s
  group_interval:  6s
  repeat_interval: 10m
receivers:
- name: "default"
  webhook_configs:
  - url: '${co.url}'
`;
  const created = Date.now();
  const h = await startApp({ config: conf, options: { dispatchStartDelay: 5000 } });
  const push = async (a: ReturnType<typeof alert>, base: number) => {
    const r = await fetch(`${h.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([a.postable(base)]) });
    if (r.status !== 200) throw new Error(`push: ${r.status}`);
  };
  try {
    const tl = new Timeline();
    let base = 0;
    // Active(-100) in upstream = sent without startsAt: it starts when received
    tl.at(1, () => push(alert('alertname', 'test1'), base));
    tl.at(2, () => push(alert('alertname', 'test2'), base));
    tl.at(5, async () => {
      const r = await fetch(`${h.url}/-/reload`, { method: 'POST' });
      if (r.status !== 200) throw new Error(`reload: ${r.status}`);
    });
    tl.at(6, () => push(alert('alertname', 'test3'), base));
    tl.at(7, () => push(alert('alertname', 'test4'), base));
    // The start delay counts from the app's creation, a little before the timeline's base (upstream's figures
    // assume no gap): the windows are shifted by that gap. After the reload the group resumes group_interval
    // (6 s) after its last notification.
    await tl.run(11.5 + SLACK, (b) => {
      base = b;
      co.base = b;
      const gap = (b - created) / 1000;
      co.want(between(4 - gap, 5 - gap), alert('alertname', 'test1').active(1), alert('alertname', 'test2').active(2));
      co.want(
        between(11 - gap, 11.5 - gap),
        alert('alertname', 'test1').active(1),
        alert('alertname', 'test2').active(2),
        alert('alertname', 'test3').active(6),
        alert('alertname', 'test4').active(7),
      );
    });
    expect(co.check(SLACK)).toEqual([]);
    // nothing before the start delay
    expect(base + co.batches[0]!.t * 1000).toBeGreaterThanOrEqual(created + 5000);
  } finally {
    await h.close();
    await co.stop();
  }
}, 30_000);

test('bin/tocsin applies --dispatch.start-delay', async () => {
  ensureBuilt();
  const co = new Collector('wh');
  await co.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-startdelay-'));
  const configFile = path.join(dir, 'am.yml');
  writeFileSync(configFile, `route: {receiver: wh, group_wait: 0s}\nreceivers: [{name: wh, webhook_configs: [{url: "${co.url}"}]}]\n`);
  const started = Date.now();
  const p = await startTocsin({ configFile, storagePath: path.join(dir, 'data'), args: ['--dispatch.start-delay=3s'] });
  co.base = started;
  try {
    const r = await fetch(`${p.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'Early' } }]) });
    expect(r.status).toBe(200);
    await waitFor(async () => co.batches.length > 0, { timeoutMs: 10_000, what: 'the delayed notification' });
    // the process started after `started`, so the delay ends at least 3 s after it
    expect(co.batches[0]!.t).toBeGreaterThanOrEqual(3);
    expect(co.batches[0]!.alerts.map((a) => a.labels.alertname)).toEqual(['Early']);
  } finally {
    await p.stop();
    await co.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
