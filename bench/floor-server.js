#!/usr/bin/env node
// The Node.js floor (issue 17): the least any Node.js server with durable SQLite storage does on this machine,
// measured in the same bench run as Tocsin and Alertmanager. It is a bare node:http server with better-sqlite3
// (the same versions as Tocsin's) and nothing else: no routing, no validation, no state in memory.
//   GET /-/healthy, /-/ready   200
//   POST /api/v2/alerts        the body parsed as JSON, then 200 (nothing is kept)
//   POST /api/v2/silences      the body parsed as JSON and inserted in its own transaction (WAL, synchronous
//                              NORMAL, as Tocsin's tocsin.db): durable before the answer, {"silenceID":"<uuid>"}
// It takes the flags the bench passes to every target and reads two of them: --web.listen-address and
// --storage.path. The scale scenario reports its idle RSS, the silences scenario its time for the same silences:
// a Tocsin figure that is not below the floor's cannot be closed by Tocsin's own code.
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
const listen = flag('web.listen-address');
const colon = listen.lastIndexOf(':');

const db = new Database(path.join(flag('storage.path'), 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS silences (key INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO silences (id, body) VALUES (?, ?)');

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
    if (req.url === '/api/v2/alerts') return answer(res, 200, '');
    const id = randomUUID();
    insert.run(id, JSON.stringify(doc));
    answer(res, 200, `{"silenceID":"${id}"}`);
  });
});

server.listen(Number(listen.slice(colon + 1)), listen.slice(0, colon));
const stop = () => server.close(() => {
  db.close();
  process.exit(0);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
