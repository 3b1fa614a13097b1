'use strict';
// Starts the real Debian Alertmanager (as the harness does) and checks the scenarios' inputs
// against it: `node --test bench/test/`.
const test = require('node:test');
const http = require('node:http');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const servers = require('../lib/servers');
const workload = require('../lib/workload');
const load = require('../lib/load');

/** Running (not gone and not a zombie waiting for a reaper). */
const alive = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

test('configYaml() variants pass amtool check-config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cfg-'));
  try {
    for (const [i, opts] of [{}, { inhibit: true }, { webhookUrl: 'http://127.0.0.1:1/hook', groupWait: '1s' }].entries()) {
      const f = path.join(dir, `c${i}.yml`);
      fs.writeFileSync(f, workload.configYaml(opts));
      execFileSync('/usr/bin/amtool', ['check-config', f], { stdio: 'pipe' });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("startServer('floor'): the Node.js floor stores each silence before it answers, answers alerts, refuses bad JSON, stops", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  const s = await servers.startServer('floor', '', { storageDir: dir });
  try {
    const alerts = workload.toBodies(workload.firingAlerts(100), 64);
    await load.postAll({ url: s.url, path: '/api/v2/alerts', bodies: alerts });
    const sil = workload.silences(10).map((x) => JSON.stringify(x));
    await load.postAll({ url: s.url, path: '/api/v2/silences', bodies: sil });
    const one = await load.request(s.url, '/api/v2/silences', { method: 'POST', body: sil[0] });
    assert.equal(one.status, 200);
    const { silenceID } = JSON.parse(one.text);
    assert.match(silenceID, /^[0-9a-f-]{36}$/);
    // durable when answered: another connection to the file sees every row, the last one with its id and body
    const Database = require('better-sqlite3');
    const db = new Database(path.join(dir, 'floor.db'), { readonly: true });
    try {
      assert.equal(db.prepare('SELECT count(*) AS n FROM silences').get().n, 11);
      const row = db.prepare('SELECT body FROM silences WHERE id = ?').get(silenceID);
      assert.deepEqual(JSON.parse(row.body), JSON.parse(sil[0]));
    } finally {
      db.close();
    }
    assert.equal((await load.request(s.url, '/api/v2/silences', { method: 'POST', body: '{"matchers":' })).status, 400);
    assert.equal((await load.request(s.url, '/api/v2/status')).status, 404);
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(!alive(s.pid), 'floor process is gone');
  assert.deepEqual(s.exited, { code: 0, signal: null }, 'it stopped on SIGTERM');
});

test("startServer('floor') with a webhook in its config: one message per new group, group_wait (1 s) after its first alert, with the group's alerts", async () => {
  const got = [];
  const sink = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ at: performance.now(), msg: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.end('ok');
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${sink.address().port}/hook`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  const s = await servers.startServer('floor', workload.configYaml({ groupWait: '1s', webhookUrl: url }), { storageDir: dir });
  try {
    // 3 alerts in 2 groups (g0: alerts 0 and 2, g1: alert 1)
    const t0 = performance.now();
    const sent = await load.request(s.url, '/api/v2/alerts', { method: 'POST', body: JSON.stringify(workload.firingAlerts(3, { groups: 2 })) });
    assert.equal(sent.status, 200);
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300)); // no third message
    assert.equal(got.length, 2);
    const byGroup = Object.fromEntries(got.map((g) => [g.msg.groupLabels.group, g]));
    assert.deepEqual(byGroup.g0.msg.alerts.map((a) => a.labels.instance), workload.firingAlerts(3, { groups: 2 }).filter((a) => a.labels.group === 'g0').map((a) => a.labels.instance));
    assert.equal(byGroup.g1.msg.alerts.length, 1);
    assert.equal(byGroup.g0.msg.status, 'firing');
    for (const g of got) assert.ok(g.at - t0 >= 990 && g.at - t0 < 3000, `after ${g.at - t0} ms`);
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    sink.close();
  }
});

test('startServer() runs Alertmanager until ready; silence k mutes exactly alert k; stop() ends it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-srv-'));
  const s = await servers.startServer('alertmanager', workload.configYaml(), { storageDir: dir });
  try {
    assert.ok(s.readyMs > 0 && s.readyMs < 30000);
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const bodies = workload.toBodies(workload.firingAlerts(300), 64);
    await load.postAll({ url: s.url, path: '/api/v2/alerts', bodies });
    const sil = workload.silences(20).map((x) => JSON.stringify(x));
    await load.postAll({ url: s.url, path: '/api/v2/silences', bodies: sil });
    const all = (await load.timeGets(s.url, '/api/v2/alerts', 1)).first;
    assert.equal(all.length, 300);
    const silenced = all.filter((a) => a.status.silencedBy.length > 0).map((a) => a.labels.instance);
    assert.deepEqual(silenced.sort(), Array.from({ length: 20 }, (_, k) => `host-${k}`).sort());
    assert.ok(all.every((a) => a.status.silencedBy.length <= 1));
    assert.ok(s.cpuSeconds() > 0);
    assert.ok(s.memory().peakRssMiB > 5);
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(!alive(s.pid), 'server process is gone');
});

test('startServer() rejects with the server output when the config is invalid', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bad-'));
  try {
    await assert.rejects(servers.startServer('alertmanager', 'route: [', { storageDir: dir }), /exited during startup/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a harness interrupted with SIGINT kills the servers it started and removes their storage', async () => {
  const script = `
    const s = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'servers.js'))});
    const w = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'workload.js'))});
    s.startServer('alertmanager', w.configYaml()).then((srv) => {
      console.log(JSON.stringify({ pid: srv.pid, dir: srv.storageDir }));
      setInterval(() => {}, 1000);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { pid, dir } = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(String(d))));
    child.once('exit', () => reject(new Error('harness exited early')));
  });
  assert.ok(alive(pid));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(!alive(pid), 'Alertmanager was killed with the harness');
  assert.ok(!fs.existsSync(dir), 'its temporary storage was removed');
});
