/** Config and alerts shared by the UI browser tests. */
import type { SeedAlert } from './harness';

export const CONFIG = `
route:
  receiver: default
  group_by: [alertname, cluster]
  group_wait: 1h
  group_interval: 1h
  repeat_interval: 4h
  routes:
    - receiver: database
      matchers: ['team="db"']
      group_by: [alertname]
      group_wait: 2h
    - receiver: web
      match_re:
        service: "front.*"
      continue: true
receivers:
  - name: default
  - name: database
    webhook_configs:
      - url: http://127.0.0.1:9/hook
  - name: web
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
`;

export const ALERTS: SeedAlert[] = [
  { labels: { alertname: 'DiskFull', cluster: 'eu1', instance: 'db1', team: 'db', severity: 'critical' }, annotations: { summary: 'Disk is full', runbook: 'see https://runbooks.example.com/disk for steps' }, generatorURL: 'http://prometheus.example.com/graph?g0.expr=up' },
  { labels: { alertname: 'DiskFull', cluster: 'eu1', instance: 'db2', team: 'db', severity: 'critical' } },
  { labels: { alertname: 'HighLatency', cluster: 'eu1', instance: 'web1', service: 'frontend', severity: 'warning' } },
  { labels: { alertname: 'HighLatency', cluster: 'us1', instance: 'web2', service: 'frontend', severity: 'warning' } },
  { labels: { alertname: 'CPUHigh', cluster: 'us1', instance: 'app1', severity: 'critical' } },
  { labels: { alertname: 'Watchdog', cluster: 'us1', instance: 'mon1', severity: 'none' } },
];

/** Hostile label and annotation values: nothing here may execute or become markup. */
export const XSS_ALERT: SeedAlert = {
  labels: {
    alertname: 'XSS<script>window.__xss=1</script>',
    cluster: 'x<img src=x onerror="window.__xss=2">',
    instance: '"><svg onload=window.__xss=3>',
    severity: 'info',
  },
  annotations: {
    description: '<b>bold?</b> <a href="javascript:window.__xss=4">click</a> javascript:window.__xss=5 https://safe.example.com/ok',
    html: '<iframe src="javascript:window.__xss=6"></iframe>',
  },
  generatorURL: 'javascript:window.__xss=7',
};
