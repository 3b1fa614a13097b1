#!/usr/bin/env node
// The Node.js floor (issue 17): the least any Node.js server with durable SQLite storage does on this machine,
// measured in the same bench run as Tocsin and Alertmanager. It is a bare node:http server with better-sqlite3
// (the same versions as Tocsin's) and nothing else: no routing, no validation, no state in memory.
//   GET /-/healthy, /-/ready   200
//   POST /api/v2/alerts        the body parsed as JSON, then 200; with a webhook in the config, an alert whose
//                              `group` label is new opens a group that, 1 s later (the notify scenario's
//                              group_wait), POSTs an Alertmanager-shaped webhook message with its alerts
//                              (node:http, kept-alive connections, at most 64: Tocsin's limit per origin).
//                              Nothing else is kept: no routing, no notification log, no retries.
//   POST /api/v2/silences      the body parsed as JSON and inserted in its own transaction (WAL, synchronous
//                              NORMAL, as Tocsin's tocsin.db): durable before the answer, {"silenceID":"<uuid>"}
// It takes the flags the bench passes to every target and reads two of them: --web.listen-address and
// --storage.path, and a third if given: --config.file, for the first `url: '...'` in it (the notify scenario's
// webhook). The scale scenario reports its idle RSS, the silences scenario its time for the same silences, the
// notify scenario its latency: a Tocsin figure that is not below the floor's cannot be closed by Tocsin's own code.
'use strict';
const http = require('node:http');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const Database = require('better-sqlite3');

const flag = (name) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) throw new Error(`floor-server: --${name} is required`);
  return arg.slice(name.length + 3);
};
const optionalFlag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const listen = flag('web.listen-address');
const colon = listen.lastIndexOf(':');

const db = new Database(path.join(flag('storage.path'), 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS silences (key INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO silences (id, body) VALUES (?, ?)');

const configFile = optionalFlag('config.file');
const webhook = configFile ? /url:\s*'([^']+)'/.exec(require('node:fs').readFileSync(configFile, 'utf8'))?.[1] : undefined;
const GROUP_WAIT_MS = 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** open groups by their `group` label: the alerts they will send */
const groups = new Map();

function notify(key, alerts) {
  groups.delete(key);
  const body = JSON.stringify({
    receiver: 'bench',
    status: 'firing',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: a.startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL ?? '',
      fingerprint: '',
    })),
    groupLabels: { group: key },
    commonLabels: alerts[0].labels,
    commonAnnotations: alerts[0].annotations ?? {},
    externalURL: 'http://floor',
    version: '4',
    groupKey: `{}:{group="${key}"}`,
    truncatedAlerts: 0,
  });
  const req = http.request(webhook, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => res.resume());
  req.on('error', () => {});
  req.end(body);
}

function receive(alerts) {
  if (!webhook || !Array.isArray(alerts)) return;
  for (const a of alerts) {
    const key = a?.labels?.group;
    if (key === undefined) continue;
    const open = groups.get(key);
    if (open) open.push(a);
    else {
      const list = [a];
      groups.set(key, list);
      setTimeout(notify, GROUP_WAIT_MS, key, list);
    }
  }
}

function answer(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && (req.url === '/-/healthy' || req.url === '/-/ready')) return answer(res, 200, 'OK');
  if (req.method !== 'POST' || (req.url !== '/api/v2/alerts' && req.url !== '/api/v2/silences')) {
    return answer(res, 404, '"not found"');
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    let doc;
    try {
      doc = JSON.parse(body);
    } catch {
      return answer(res, 400, '"bad JSON"');
    }
    if (req.url === '/api/v2/alerts') {
      receive(doc);
      return answer(res, 200, '');
    }
    const id = randomUUID();
    insert.run(id, JSON.stringify(doc));
    answer(res, 200, `{"silenceID":"${id}"}`);
  });
});

server.listen(Number(listen.slice(colon + 1)), listen.slice(0, colon));
const stop = () => server.close(() => {
  agent.destroy();
  db.close();
  process.exit(0);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
