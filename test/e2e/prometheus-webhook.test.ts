/**
 * Issue 6 acceptance: a real Prometheus (/usr/bin/prometheus) with a rules file fires alerts into the compiled
 * Tocsin server (bin/tocsin, dist/), and they reach a real webhook receiver on loopback with the expected
 * grouping: group_by [alertname] at the root (both DiskFull series in one notification), and a child route with
 * group_by ['...'] for critical alerts (each CpuHot series in its own notification).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Collector } from '../acceptance/support/timeline';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { type PrometheusProcess, startPrometheus } from '../helpers/prometheus';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

describe('Prometheus -> Tocsin -> webhook', () => {
  let dir: string;
  let tocsin: TocsinProcess | undefined;
  let prom: PrometheusProcess | undefined;
  const co = new Collector('hook');

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-promwh-'));
    await co.start();
    co.base = Date.now();
  }, 120_000);
  afterAll(async () => {
    await prom?.stop();
    await tocsin?.stop();
    await co.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the rule alerts grouped as the route tree says', async () => {
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(
      configFile,
      [
        'route:',
        '  receiver: hook',
        '  group_by: [alertname]',
        '  group_wait: 2s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        '  routes:',
        '    - matchers: [severity="critical"]',
        "      group_by: ['...']",
        'receivers:',
        '  - name: hook',
        '    webhook_configs:',
        `      - url: "${co.url}"`,
        '',
      ].join('\n'),
    );
    tocsin = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });

    // two series per rule: instance="a" and instance="b"
    const twoSeries = 'label_replace(vector(1), "instance", "a", "", "") or label_replace(vector(2), "instance", "b", "", "")';
    prom = await startPrometheus({
      dir,
      alertmanagerPort: tocsin.port,
      rules: [
        'groups:',
        '  - name: tocsin-e2e-grouping',
        '    interval: 1s',
        '    rules:',
        '      - alert: DiskFull',
        `        expr: '${twoSeries}'`,
        '        labels: { severity: warning }',
        '        annotations: { summary: "disk {{ $labels.instance }} full" }',
        '      - alert: CpuHot',
        `        expr: '${twoSeries}'`,
        '        labels: { severity: critical }',
        '',
      ].join('\n'),
    });
    const promPort = prom.port;

    const groupKeys = ['{}:{alertname="DiskFull"}', '{}/{severity="critical"}:{alertname="CpuHot", instance="a", severity="critical"}', '{}/{severity="critical"}:{alertname="CpuHot", instance="b", severity="critical"}'];
    await waitFor(
      async () => {
        if (prom!.process.exitCode !== null) throw new Error(`prometheus exited with ${prom!.process.exitCode}`);
        const keys = new Set(co.batches.map((b) => b.body.groupKey));
        return groupKeys.every((k) => keys.has(k));
      },
      { timeoutMs: 45_000, what: 'three webhook notifications' },
    ).catch((e: Error) => {
      const got = co.batches.map((b) => `${String(b.body.groupKey)}: ${b.alerts.length}`).join('\n');
      throw new Error(`${e.message}\nreceived:\n${got}\nprometheus: ${prom!.output().slice(-1500)}\ntocsin: ${tocsin!.output().slice(-1500)}`);
    });
    // Prometheus keeps re-sending every second; with repeat_interval 1h nothing more may be notified
    await new Promise((r) => setTimeout(r, 2500));

    expect(co.batches.map((b) => b.body.groupKey).sort()).toEqual([...groupKeys].sort());
    const byKey = new Map(co.batches.map((b) => [String(b.body.groupKey), b]));

    const disk = byKey.get(groupKeys[0]!)!;
    expect(disk.body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      truncatedAlerts: 0,
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: { alertname: 'DiskFull', severity: 'warning' },
      externalURL: expect.any(String),
    });
    expect(disk.alerts.map((a) => [a.labels, a.annotations]).sort((x, y) => (x[0]!.instance! < y[0]!.instance! ? -1 : 1))).toEqual([
      [{ alertname: 'DiskFull', instance: 'a', severity: 'warning' }, { summary: 'disk a full' }],
      [{ alertname: 'DiskFull', instance: 'b', severity: 'warning' }, { summary: 'disk b full' }],
    ]);
    for (const a of disk.alerts as unknown as { status: string; generatorURL: string; endsAt: string; fingerprint: string }[]) {
      expect(a.status).toBe('firing');
      expect(a.generatorURL).toContain(`:${promPort}/graph?g0.expr=`);
      expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }

    for (const inst of ['a', 'b']) {
      const cpu = byKey.get(`{}/{severity="critical"}:{alertname="CpuHot", instance="${inst}", severity="critical"}`)!;
      expect(cpu.body).toMatchObject({
        status: 'firing',
        groupLabels: { alertname: 'CpuHot', instance: inst, severity: 'critical' },
        commonLabels: { alertname: 'CpuHot', instance: inst, severity: 'critical' },
      });
      expect(cpu.alerts.map((a) => a.labels)).toEqual([{ alertname: 'CpuHot', instance: inst, severity: 'critical' }]);
    }
  }, 70_000);
});
