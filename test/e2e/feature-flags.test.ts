/**
 * `--enable-feature` values that change metrics or are accepted without effect, on the real server process
 * (bin/tocsin): after a real webhook notification, /metrics carries upstream's extra labels only with the flag
 * (receiver_name, alertname, group_key), and the options Tocsin does not act on say so once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postAlerts } from '../helpers/app-harness';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

let dir: string;
let receiver: Server;
let webhookUrl: string;
let received = 0;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-features-'));
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const config = (extra = '') =>
  [
    'route:',
    '  receiver: team-x',
    '  group_by: [alertname]',
    '  group_wait: 0s',
    '  group_interval: 1m',
    'receivers:',
    '  - name: team-x',
    '    webhook_configs:',
    `      - url: ${webhookUrl}`,
    '  - name: unused',
    extra,
  ].join('\n');

/** Starts tocsin with the flags (and --alerts.per-alertname-limit=1), sends two alerts named A (the second is
 * over the limit), waits for the notification; returns the process and its /metrics. */
async function runWith(name: string, args: string[], extraConfig = ''): Promise<{ p: TocsinProcess; metrics: string }> {
  const configFile = path.join(dir, `${name}.yml`);
  writeFileSync(configFile, config(extraConfig));
  const p = await startTocsin({ configFile, storagePath: path.join(dir, name), args: ['--alerts.per-alertname-limit=1', ...args] });
  const before = received;
  const r = await postAlerts(p.url, [{ labels: { alertname: 'A', i: '1' } }, { labels: { alertname: 'A', i: '2' } }]);
  expect(r.status).toBe(200);
  await waitFor(async () => received > before, { timeoutMs: 15_000, what: 'the webhook notification' });
  // the latency is observed once the notify call returns, just after the receiver saw the request
  const metrics = await waitFor(
    async () => {
      const m = await (await fetch(`${p.url}/metrics`)).text();
      return /^alertmanager_notification_latency_seconds_count\{[^}]*integration="webhook"[^}]*\} 1$/m.test(m) && m;
    },
    { what: 'the notification in /metrics' },
  );
  return { p, metrics };
}

const lines = (metrics: string, name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
const count = (output: string, msg: string) => output.split('\n').filter((l) => l.includes(msg)).length;

test('without flags: no receiver_name, alertname or group_key labels, no feature notices', async () => {
  const { p, metrics } = await runWith('plain', []);
  try {
    expect(lines(metrics, 'alertmanager_notifications_total')).toContain('alertmanager_notifications_total{integration="webhook"} 1');
    expect(lines(metrics, 'alertmanager_notifications_total')).toContain('alertmanager_notifications_total{integration="email"} 0');
    expect(lines(metrics, 'alertmanager_alerts_limited_total')).toEqual(['alertmanager_alerts_limited_total 1']);
    expect(lines(metrics, 'alertmanager_alerts')).toContain('alertmanager_alerts{state="active"} 1');
    expect(metrics).not.toMatch(/receiver_name=|group_key=|alertname="A"/);
    expect(p.output()).not.toMatch(/in metrics enabled|tracing|event recorder/i);
  } finally {
    await p.stop();
  }
});

test('receiver-name-in-metrics: the notification metrics carry receiver_name, for the configured integrations only', async () => {
  const { p, metrics } = await runWith('receiver', ['--enable-feature=receiver-name-in-metrics']);
  try {
    const l = '{integration="webhook",receiver_name="team-x"}';
    expect(lines(metrics, 'alertmanager_notifications_total')).toEqual([`alertmanager_notifications_total${l} 1`]);
    expect(lines(metrics, 'alertmanager_notification_requests_total')).toEqual([`alertmanager_notification_requests_total${l} 1`]);
    expect(lines(metrics, 'alertmanager_notification_requests_failed_total')).toEqual([`alertmanager_notification_requests_failed_total${l} 0`]);
    expect(lines(metrics, 'alertmanager_notification_latency_seconds_count')).toEqual([`alertmanager_notification_latency_seconds_count${l} 1`]);
    expect(lines(metrics, 'alertmanager_notifications_failed_total')).toContain(
      'alertmanager_notifications_failed_total{integration="webhook",receiver_name="team-x",reason="serverError"} 0',
    );
    expect(metrics).not.toContain('integration="email"');
    expect(metrics).not.toMatch(/group_key=|alertname="A"/);
    expect(count(p.output(), 'msg="Experimental receiver name in metrics enabled"')).toBe(1);
  } finally {
    await p.stop();
  }
});

test('alert-names-in-metrics: alertmanager_alerts_limited_total carries alertname', async () => {
  const { p, metrics } = await runWith('alertnames', ['--enable-feature=alert-names-in-metrics']);
  try {
    expect(lines(metrics, 'alertmanager_alerts_limited_total')).toEqual(['alertmanager_alerts_limited_total{alertname="A"} 1']);
    expect(metrics).not.toMatch(/receiver_name=|group_key=/);
    expect(count(p.output(), 'msg="Alert names in metrics enabled"')).toBe(1);
  } finally {
    await p.stop();
  }
});

test('group-key-in-metrics: alertmanager_alerts per group; auto-gomemlimit at debug; tracing warned once; event-recorder writes stdout_outputs', async () => {
  const extra = 'tracing:\n  endpoint: localhost:4317\n  insecure: true\nevent_recorder:\n  stdout_outputs:\n    - {}\n';
  const { p, metrics } = await runWith('groupkey', ['--enable-feature=group-key-in-metrics,auto-gomemlimit,event-recorder', '--log.level=debug'], extra);
  try {
    const gk = '{}:{alertname=\\"A\\"}';
    expect(lines(metrics, 'alertmanager_alerts')).toEqual([
      `alertmanager_alerts{state="active",group_key="${gk}"} 1`,
      `alertmanager_alerts{state="suppressed",group_key="${gk}"} 0`,
      `alertmanager_alerts{state="unprocessed",group_key="${gk}"} 0`,
    ]);
    expect(metrics).not.toMatch(/receiver_name=|alertname="A"/);
    // two reloads of the same file: the ignored blocks are not warned about again
    for (let i = 0; i < 2; i++) expect((await fetch(`${p.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    const out = p.output();
    expect(count(out, 'msg="Experimental group key in metrics enabled"')).toBe(1);
    expect(out).toMatch(/level=debug msg="auto-gomemlimit has no effect in Tocsin[^"]*" feature=auto-gomemlimit\n/);
    expect(count(out, 'auto-gomemlimit has no effect')).toBe(1);
    expect(count(out, 'msg="Experimental event recorder enabled"')).toBe(1);
    expect(count(out, 'msg="Tracing is not supported by Tocsin: the tracing block of the configuration is ignored"')).toBe(1);
    expect(out).not.toMatch(/event.recorder is not supported|event_recorder block/);
    // stdout_outputs: upstream's JSON lines on stdout (the startup, the alert, its notification)
    const events = await waitFor(
      async () => {
        const ev = p
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{"@timestamp"'))
          .map((l) => JSON.parse(l) as { '@timestamp': string; instance: string; data: Record<string, unknown> });
        return ev.some((e) => 'notification' in e.data) && ev;
      },
      { what: 'the notification event on stdout' },
    );
    expect(Object.keys(events[0]!.data)).toEqual(['alertmanagerStartupEvent']);
    expect(events[0]!.instance).toBe(os.hostname());
    expect(events.map((e) => Object.keys(e.data)[0])).toEqual(expect.arrayContaining(['alertCreated', 'alertGrouped', 'notification']));
    const n = events.find((e) => 'notification' in e.data)!.data.notification as Record<string, unknown>;
    expect(n).toMatchObject({ reason: 'NOTIFY_REASON_FIRST_NOTIFICATION', integration: { name: 'webhook' }, repeatInterval: '14400s' });
    expect(out).toMatch(/level=warn msg="Tracing is not supported[^"]*" file=\S+groupkey\.yml key=tracing/);
  } finally {
    await p.stop();
  }
});
