import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { type PrometheusProcess, startPrometheus } from '../helpers/prometheus';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const execFileP = promisify(execFile);

/**
 * A real Prometheus (/usr/bin/prometheus) evaluates an always-firing rule every second and sends its alerts
 * to the compiled Tocsin server (bin/tocsin as a child process); the alert shows up in GET /api/v2/alerts and
 * in the real amtool's `alert query`.
 */
describe('Prometheus -> Tocsin', () => {
  let dir: string;
  let tocsin: TocsinProcess | undefined;
  let prom: PrometheusProcess | undefined;

  beforeAll(() => {
    ensureBuilt(); // compiles dist/ only when src/ is newer
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-prom-'));
  }, 120_000);
  afterAll(async () => {
    await prom?.stop();
    await tocsin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives the alerts of a real Prometheus, and amtool lists them', async () => {
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, 'route:\n  receiver: default\n  group_wait: 1s\nreceivers:\n  - name: default\n');
    tocsin = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });

    prom = await startPrometheus({
      dir,
      alertmanagerPort: tocsin.port,
      scrapeInterval: '1s',
      rules: [
        'groups:',
        '  - name: tocsin-e2e',
        '    interval: 1s',
        '    rules:',
        '      - alert: AlwaysFiring',
        '        expr: vector(1)',
        '        labels: { severity: test }',
        '        annotations: { summary: "always firing" }',
        '',
      ].join('\n'),
    });
    const promPort = prom.port;

    const alerts = await waitFor(
      async () => {
        if (prom!.process.exitCode !== null) throw new Error(`prometheus exited with ${prom!.process.exitCode}`);
        const r = await fetch(`${tocsin!.url}/api/v2/alerts?filter=alertname%3DAlwaysFiring`);
        const body = (await r.json()) as { labels: Record<string, string>; annotations: Record<string, string>; generatorURL?: string }[];
        return body.length > 0 ? body : undefined;
      },
      { timeoutMs: 40_000, what: `Prometheus alert in Tocsin (prometheus log: ${prom.output().slice(-500)})` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nprometheus: ${prom!.output().slice(-2000)}\ntocsin: ${tocsin!.output().slice(-2000)}`);
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.labels).toEqual({ alertname: 'AlwaysFiring', severity: 'test' });
    expect(alerts[0]!.annotations).toEqual({ summary: 'always firing' });
    expect(alerts[0]!.generatorURL).toContain(`:${promPort}/graph?g0.expr=vector%281%29`);

    const { stdout } = await execFileP('/usr/bin/amtool', ['alert', 'query', `--alertmanager.url=${tocsin.url}`, '-o', 'extended']);
    expect(stdout).toContain('AlwaysFiring');
    expect(stdout).toContain('severity="test"');
    expect(stdout).toContain('always firing');
  }, 60_000); // ~6 s alone; generous for a loaded 2-core CI machine running the whole suite
});
