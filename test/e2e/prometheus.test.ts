import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt } from '../helpers/build';
import { freePort, waitFor } from '../helpers/ports';
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
  let prom: ChildProcess | undefined;

  beforeAll(() => {
    ensureBuilt(); // compiles dist/ only when src/ is newer
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-prom-'));
  }, 120_000);
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGKILL');
      await exited;
    }
    await tocsin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives the alerts of a real Prometheus, and amtool lists them', async () => {
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, 'route:\n  receiver: default\n  group_wait: 1s\nreceivers:\n  - name: default\n');
    tocsin = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });

    writeFileSync(
      path.join(dir, 'rules.yml'),
      [
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
    );
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files: [rules.yml]',
        'alerting:',
        '  alertmanagers:',
        '    - api_version: v2',
        '      static_configs:',
        `        - targets: ['127.0.0.1:${tocsin.port}']`,
        '',
      ].join('\n'),
    );
    const promPort = await freePort();
    let promOut = '';
    prom = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        // the first notification can go out before the Alertmanager list is discovered (then it is dropped);
        // resend every second instead of every minute
        '--rules.alert.resend-delay=1s',
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prom.stderr!.on('data', (d: Buffer) => {
      promOut += d.toString();
    });

    const alerts = await waitFor(
      async () => {
        if (prom!.exitCode !== null) throw new Error(`prometheus exited with ${prom!.exitCode}`);
        const r = await fetch(`${tocsin!.url}/api/v2/alerts?filter=alertname%3DAlwaysFiring`);
        const body = (await r.json()) as { labels: Record<string, string>; annotations: Record<string, string>; generatorURL?: string }[];
        return body.length > 0 ? body : undefined;
      },
      { timeoutMs: 40_000, what: `Prometheus alert in Tocsin (prometheus log: ${promOut.slice(-500)})` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nprometheus: ${promOut.slice(-2000)}\ntocsin: ${tocsin!.output().slice(-2000)}`);
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
