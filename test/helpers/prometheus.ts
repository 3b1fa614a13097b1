/**
 * A real Prometheus (/usr/bin/prometheus) for e2e tests: evaluates the given rules file and sends its alerts
 * (API v2) to one Alertmanager-compatible target on loopback, re-sending every second.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';

export interface PrometheusProcess {
  /** the web port (generator URLs point at it) */
  port: number;
  process: ChildProcess;
  /** its stderr so far (the log) */
  output(): string;
  /** kills it (SIGKILL) and waits for the exit */
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** working directory: prometheus.yml, rules.yml and the TSDB go here */
  dir: string;
  /** rules.yml content */
  rules: string;
  /** port of the Alertmanager-compatible server on 127.0.0.1 */
  alertmanagerPort: number;
  /** global.scrape_interval, if set */
  scrapeInterval?: string;
}

export async function startPrometheus(o: PrometheusOptions): Promise<PrometheusProcess> {
  writeFileSync(path.join(o.dir, 'rules.yml'), o.rules);
  writeFileSync(
    path.join(o.dir, 'prometheus.yml'),
    [
      'global:',
      ...(o.scrapeInterval ? [`  scrape_interval: ${o.scrapeInterval}`] : []),
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      '    - api_version: v2',
      '      static_configs:',
      `        - targets: ['127.0.0.1:${o.alertmanagerPort}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  let out = '';
  const proc = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${path.join(o.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(o.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // the first notification can go out before the Alertmanager list is discovered (then it is dropped);
      // resend every second instead of every minute
      '--rules.alert.resend-delay=1s',
    ],
    { cwd: o.dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return {
    port,
    process: proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
