#!/usr/bin/env node
/**
 * Records what the real Alertmanager (Debian's /usr/bin/prometheus-alertmanager, 0.25) sends to Slack,
 * PagerDuty (Events v2) and webhook receivers, for test/fixtures/notifiers/am-captured/*.json.
 *
 * It starts a capture server on a free loopback port, runs Alertmanager on another free port
 * (`--cluster.listen-address=`, temp storage) with a config whose api URLs point at the capture server (and
 * whose email smarthost is a local smtp-server), posts
 * one group of alerts with fixed times (2 firing + 1 already resolved), waits for the first flush, then resolves
 * the firing ones and waits for the resolved flush. Each request is written with its path, headers and raw
 * body; input.json holds the config and the alerts so tests can rebuild the same notification.
 *
 *   node scripts/capture-am-notifiers.js            # writes test/fixtures/notifiers/am-captured/
 *
 * Takes about 10 s. Nothing is left running.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');

const AM = process.env.ALERTMANAGER_BIN || '/usr/bin/prometheus-alertmanager';
const OUT = path.resolve(__dirname, '../test/fixtures/notifiers/am-captured');
const EXTERNAL_URL = 'http://am.example:9093';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The receiver config; CAPTURE is replaced by the capture server's base URL. */
const CONFIG = `global:
  resolve_timeout: 5m
route:
  receiver: team-a
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 4h
receivers:
- name: team-a
  email_configs:
  - to: 'ops@example.org, "Team, On-Call" <oncall@example.org>'
    from: 'Alertmanager <am@example.org>'
    smarthost: SMTPHOST
    require_tls: false
    send_resolved: true
    text: "Firing: {{ len .Alerts.Firing }} — {{ .CommonAnnotations.summary }}\\n{{ range .Alerts }}{{ .Labels.instance }} {{ .Annotations.runbook }}\\n{{ end }}"
    headers:
      X-Team: 'Ops ünïcode {{ .GroupLabels.alertname }}'
  webhook_configs:
  - url: CAPTURE/webhook
    send_resolved: true
  slack_configs:
  - api_url: CAPTURE/slack/0
    send_resolved: true
  - api_url: CAPTURE/slack/1
    send_resolved: true
    channel: '#alerts-{{ .CommonLabels.job }}'
    username: 'am-{{ .Receiver }}'
    color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'
    title: '{{ .Status | toUpper }} {{ .GroupLabels.alertname }} <{{ len .Alerts }}>'
    title_link: 'https://grafana/d/x?var-job={{ .CommonLabels.job }}&a=b'
    pretext: 'pre {{ len .Alerts.Firing }}'
    text: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}'
    fields:
    - title: job
      value: '{{ .CommonLabels.job }}'
    - title: sev
      value: '{{ .CommonLabels.severity }}'
      short: false
    short_fields: true
    footer: 'footer {{ .ExternalURL }}'
    fallback: 'fb {{ .Status }}'
    callback_id: 'cb-{{ .GroupLabels.alertname }}'
    icon_emoji: ':fire:'
    icon_url: https://img/icon.png
    image_url: 'https://img/{{ .CommonLabels.job }}.png'
    thumb_url: https://img/thumb.png
    link_names: true
    mrkdwn_in: [text, title]
    actions:
    - type: button
      text: 'Runbook {{ .CommonLabels.job }}'
      url: 'https://runbook/{{ .CommonLabels.job }}'
      style: primary
    - type: button
      text: Ack
      name: ack
      value: '{{ .GroupLabels.alertname }}'
      confirm:
        text: Sure?
        title: 'Ack {{ .Status }}'
        ok_text: 'Yes'
        dismiss_text: 'No'
  pagerduty_configs:
  - routing_key: R0UT1NGK3Y
    url: CAPTURE/pd/0
    client: 'Tocsin {{ .Receiver }}'
    client_url: '{{ .ExternalURL }}/#/alerts'
    description: '{{ .CommonAnnotations.summary }} on {{ len .Alerts }} hosts'
    severity: '{{ .CommonLabels.severity }}'
    source: 'prometheus-{{ .CommonLabels.job }}'
    class: latency
    component: '{{ .CommonLabels.job }}'
    group: prod
    details:
      firing: '{{ range .Alerts.Firing }}{{ .Labels.instance }} {{ end }}'
      resolved: '{{ range .Alerts.Resolved }}{{ .Labels.instance }} {{ end }}'
      num_firing: 'n={{ .Alerts.Firing | len }}'
      num_resolved: 'n={{ .Alerts.Resolved | len }}'
      team: 'team {{ .CommonLabels.job }}'
    images:
    - src: 'https://img/{{ .CommonLabels.job }}.png'
      alt: graph
      href: https://grafana
    links:
    - href: 'https://runbook/{{ .CommonLabels.job }}'
      text: Runbook
  - routing_key: R0UT1NGK3Y-2
    url: CAPTURE/pd/1
`;

const T = (s) => `2026-01-01T00:${s}Z`;
const base = [
  { labels: { alertname: 'HighLatency', instance: 'a:9100', job: 'api', severity: 'critical' }, annotations: { summary: 'p99 above 2s', runbook: 'https://runbook/?a=1&b=<2>' }, startsAt: T('00:00.5'), generatorURL: 'http://prom:9090/graph?g0.expr=up&g0.tab=1' },
  { labels: { alertname: 'HighLatency', instance: 'b:9100', job: 'api', severity: 'critical' }, annotations: { summary: 'p99 above 2s' }, startsAt: T('00:01') },
  { labels: { alertname: 'HighLatency', instance: 'c:9100', job: 'api', severity: 'critical' }, annotations: { summary: 'p99 above 2s' }, startsAt: T('00:00'), endsAt: T('05:00') },
];
const PHASES = [
  { name: 'mixed', alerts: base },
  { name: 'resolved', alerts: base.slice(0, 2).map((a) => ({ ...a, endsAt: T('10:00') })) },
];

async function main() {
  const requests = [];
  const capture = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] }, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((r) => capture.listen(0, '127.0.0.1', r));
  const smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    hideSTARTTLS: true,
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        requests.push({
          method: 'SMTP',
          path: '/email',
          envelope: { from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((x) => x.address), hello: session.hostNameAppearsAs },
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpHost = `127.0.0.1:${smtp.server.address().port}`;
  const captureUrl = `http://127.0.0.1:${capture.address().port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-capture-am-'));
  fs.writeFileSync(path.join(dir, 'am.yml'), CONFIG.replaceAll('CAPTURE', captureUrl).replaceAll('SMTPHOST', smtpHost));
  const port = await freePort();
  const am = spawn(
    AM,
    [`--config.file=${path.join(dir, 'am.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--web.external-url=${EXTERNAL_URL}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let amLog = '';
  am.stderr.on('data', (d) => (amLog += d));
  const api = `http://127.0.0.1:${port}/api/v2`;
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) break;
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    const byPhase = {};
    for (const phase of PHASES) {
      const before = requests.length;
      const r = await fetch(`${api}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(phase.alerts) });
      if (!r.ok) throw new Error(`POST alerts: ${r.status} ${await r.text()}`);
      // 6 integrations answer each flush
      for (let i = 0; i < 100 && requests.length < before + 6; i++) await sleep(100);
      byPhase[phase.name] = requests.slice(before);
      if (byPhase[phase.name].length !== 6) throw new Error(`phase ${phase.name}: got ${byPhase[phase.name].length} requests\n${amLog}`);
    }
    const version = (await (await fetch(`${api}/status`)).json()).versionInfo.version;
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(
      path.join(OUT, 'input.json'),
      `${JSON.stringify({ alertmanager: version, externalURL: EXTERNAL_URL, receiver: 'team-a', config: CONFIG, phases: PHASES }, null, 2)}\n`,
    );
    for (const [phase, reqs] of Object.entries(byPhase)) {
      for (const q of reqs) {
        const name = `${phase}-${q.path.slice(1).replaceAll('/', '-')}.json`;
        fs.writeFileSync(path.join(OUT, name), `${JSON.stringify({ phase, ...q, path: q.path }, null, 2)}\n`);
      }
    }
    console.log(`captured ${Object.values(byPhase).flat().length} requests from Alertmanager ${version} into ${OUT}`);
  } finally {
    am.kill('SIGTERM');
    await new Promise((r) => (am.exitCode !== null ? r() : am.once('exit', r)));
    await new Promise((r) => capture.close(r));
    await new Promise((r) => smtp.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
