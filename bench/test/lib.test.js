'use strict';
// Unit tests of the harness helpers: `node --test bench/test/`.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { spawn } = require('node:child_process');
const stats = require('../lib/stats');
const proc = require('../lib/proc');
const report = require('../lib/report');
const load = require('../lib/load');

test('percentileSorted() uses nearest rank', () => {
  const s = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(stats.percentileSorted(s, 50), 5);
  assert.equal(stats.percentileSorted(s, 99), 10);
  assert.equal(stats.percentileSorted(s, 10), 1);
  assert.ok(Number.isNaN(stats.percentileSorted(new Float64Array(0), 50)));
});

test('summarize() sorts numerically, not as strings', () => {
  const s = stats.summarize([10, 9, 100, 1]);
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  assert.equal(s.p50, 9);
  assert.equal(s.count, 4);
});

test('spread() ignores non-numbers and gives median of even lists', () => {
  assert.deepEqual(stats.spread([4, { na: 'x' }, 1, 3, 2]), { median: 2.5, min: 1, max: 4, n: 4 });
  assert.equal(stats.spread([{ na: 'x' }]), null);
});

test('parseStat() counts fields after the last parenthesis', () => {
  const line = '1234 (my (odd) name) S 77 1234 1234 0 -1 4194304 100 0 0 0 250 30 0 0 20 0 1 0 100 1000 10';
  assert.deepEqual(proc.parseStat(line), { ppid: 77, utime: 250, stime: 30 });
});

test('parseStatus() reads VmRSS, VmHWM and RssAnon in KiB', () => {
  const text = 'Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nRssAnon:\t   300 kB\nRssFile:\t   724 kB\n';
  assert.deepEqual(proc.parseStatus(text), { rssKiB: 1024, hwmKiB: 2048, anonKiB: 300 });
});

test('cpuSeconds() and memory() measure a real process and processTree() finds its child', async () => {
  // The child burns 0.3 s of CPU time (not wall time: the machine may be busy), then idles.
  const burn = 'let x=0; while (process.cpuUsage().user < 300000) x++; console.log("done"); setTimeout(()=>{}, 10000)';
  const child = spawn(process.execPath, ['-e', burn], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((r) => child.stdout.once('data', r));
    const tree = proc.processTree(process.pid);
    assert.ok(tree.includes(child.pid));
    assert.ok(proc.cpuSeconds([child.pid]) >= 0.29, 'the child spent 0.3 s on a CPU');
    const mem = proc.memory([child.pid]);
    assert.ok(mem.rssMiB > 5 && mem.peakRssMiB >= mem.rssMiB);
    assert.ok(mem.anonMiB > 0 && mem.anonMiB < mem.rssMiB, 'node: part of its RSS is its binary file');
  } finally {
    child.kill('SIGKILL');
  }
});

function results(tocsinRuns, amRuns, skip) {
  return {
    targets: { tocsin: { skipReason: skip ?? null }, alertmanager: { skipReason: null } },
    scenarios: [
      {
        id: 's',
        title: 'S',
        metrics: [
          { key: 'a', label: 'A', unit: '/s', better: 'higher' },
          { key: 'b', label: 'B', unit: 'ms', better: 'lower' },
        ],
        runs: { tocsin: tocsinRuns, alertmanager: amRuns },
      },
    ],
    machine: { nproc: 2, cpuModel: 'x', memGiB: '1', loadavg: '0', node: 'v20', alertmanager: '0.25.0', commit: 'abc' },
    date: 'd',
    command: 'npm run bench',
    reps: 3,
    quick: false,
  };
}

test('buildRows() gives medians, n/a reasons and the Tocsin/Alertmanager ratio', () => {
  const r = results(
    [{ values: { a: 200, b: { na: 'no silences' } } }, { values: { a: 100, b: { na: 'no silences' } } }, { values: { a: 300 } }],
    [{ values: { a: 100, b: 4 } }, { values: { a: 50, b: 2 } }, { error: 'boom\nmore' }],
  );
  const rows = report.buildRows(r);
  assert.equal(rows[0].cells.tocsin.median, 200);
  assert.equal(rows[0].cells.alertmanager.median, 75);
  assert.ok(Math.abs(rows[0].ratio - 200 / 75) < 1e-9);
  assert.deepEqual(rows[1].cells.tocsin, { kind: 'na', text: 'n/a (no silences)' });
  assert.equal(rows[1].ratio, null);
  const table = report.renderConsole(r);
  assert.match(table, /n\/a \(Tocsin: no silences\)/);
  assert.match(table, /200 \(100–300\)/);
  assert.match(table, /2\.67/);
  assert.ok(report.notesOf(r).some((n) => n.includes('Alertmanager: error: boom')));
});

test('renderMarkdown() labels Alertmanager-only results when Tocsin was skipped', () => {
  const md = report.renderMarkdown(results([], [{ values: { a: 1, b: 2 } }], 'bin/tocsin is missing'));
  assert.match(md, /Alertmanager-only numbers: Tocsin was not measured \(bin\/tocsin is missing\)/);
  assert.match(md, /\| S \| A ↑ \| \/s \| skipped \| 1 \|/);
});

test('sustainPost() keeps N connections busy for the duration and counts failures', async () => {
  let n = 0;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(n % 10 === 0 ? 500 : 200);
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${server.address().port}`;
    const r = await load.sustainPost({ url, path: '/x', bodies: ['[1]', '[2]'], alertsPerBody: 2, connections: 3, durationMs: 300 });
    assert.ok(r.requests > 10, `${r.requests} requests`);
    assert.ok(r.errors >= 1 && r.firstError.startsWith('HTTP 500'));
    assert.equal(r.requests + r.errors, n);
    assert.ok(Math.abs(r.alertsPerSec - (r.requests * 2) / r.elapsedS) < 1e-6);
    assert.ok(r.elapsedS >= 0.3 && r.elapsedS < 3);
    assert.equal(sockets.size, 3, 'keep-alive: one socket per connection');
    assert.ok(r.p50Ms <= r.p99Ms);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('load helpers refuse hosts other than 127.0.0.1', async () => {
  await assert.rejects(load.request('http://example.com:80', '/'), /non-loopback/);
});

test('requireTs() loads a .ts module that imports another .ts module', () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ts-'));
  try {
    fs.writeFileSync(path.join(dir, 'dep.ts'), 'export const twice = (n: number): number => n * 2;\n');
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      "import { twice } from './dep';\ninterface Row { name: string; usPerOp: number }\nexport function runTemplateBench(): Row[] { return [{ name: 'x', usPerOp: twice(21) }]; }\n",
    );
    const mod = require('../lib/ts-require').requireTs(path.join(dir, 'main.ts'));
    assert.deepEqual(mod.runTemplateBench(), [{ name: 'x', usPerOp: 42 }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('HA scenarios get their own table: four columns and the ratios the targets need', () => {
  const r = results([{ values: { a: 10, b: 1 } }], [{ values: { a: 5, b: 2 } }]);
  const ha = ['tocsin', 'tocsin-pg1', 'tocsin-pg3', 'alertmanager'];
  r.targets['tocsin-pg1'] = { skipReason: null };
  r.targets['tocsin-pg3'] = { skipReason: null };
  r.scenarios.push({
    id: 'h',
    title: 'H',
    targets: ha,
    ratios: [
      { num: 'tocsin-pg1', den: 'alertmanager', label: 'PG1/AM' },
      { num: 'tocsin-pg3', den: 'tocsin-pg1', label: 'PG3/PG1' },
    ],
    metrics: [
      { key: 'a', label: 'A', unit: '/s', better: 'higher' },
      { key: 'g', label: 'G', unit: '%', better: 'info' },
    ],
    runs: {
      tocsin: [{ values: { a: 400, g: 1 } }],
      'tocsin-pg1': [{ values: { a: 300, g: 1 } }, { values: { a: 100, g: 1 } }],
      'tocsin-pg3': [{ values: { a: 150, g: 1 } }],
      alertmanager: [{ values: { a: 250, g: 1 } }],
    },
  });
  assert.equal(report.buildRows(r).length, 2, 'the main table keeps only the two-target scenario');
  const rows = report.buildHaRows(r);
  assert.equal(rows.length, 2);
  assert.deepEqual(
    rows[0].ratios.map((x) => [x.label, x.value]),
    [
      ['PG1/AM', 200 / 250],
      ['PG3/PG1', 150 / 200],
    ],
  );
  assert.deepEqual(rows[1].ratios.map((x) => x.value), [null, null], 'no ratio for info metrics');
  const table = report.renderHaConsole(r);
  assert.match(table, /Tocsin SQLite +Tocsin PG ×1 +Tocsin PG ×3 +Alertmanager +PG1\/AM +PG3\/PG1/);
  assert.match(table, /400 +200 \(100–300\) +150 +250 +0\.80 +0\.75/);
  assert.match(report.renderMarkdown(r), /## 9\. HA on PostgreSQL[\s\S]*\| H \| A ↑ \| \/s \| 400 \| 200 \(100–300\) \| 150 \| 250 \| 0\.80 \| 0\.75 \|/);
  assert.equal(report.renderHaConsole(results([], [])), '', 'no HA scenario, no HA table');
});

test('sustainPost() and postAll() with several urls send every body to all of them', async () => {
  const got = [[], []];
  const servers = got.map(
    (list, i) =>
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          list.push(body);
          // the second replica answers slower: a request counts when all answered
          setTimeout(() => res.end(), i === 1 ? 5 : 0);
        });
      }),
  );
  await Promise.all(servers.map((s) => new Promise((r) => s.listen(0, '127.0.0.1', r))));
  try {
    const urls = servers.map((s) => `http://127.0.0.1:${s.address().port}`);
    await load.postAll({ urls, path: '/x', bodies: ['a', 'b', 'c'], connections: 2 });
    assert.deepEqual(got.map((l) => [...l].sort()), [['a', 'b', 'c'], ['a', 'b', 'c']]);
    got[0].length = 0;
    got[1].length = 0;
    const r = await load.sustainPost({ urls, path: '/x', bodies: ['p', 'q'], alertsPerBody: 1, connections: 2, durationMs: 200 });
    assert.ok(r.requests > 2);
    assert.equal(got[0].length, r.requests);
    assert.equal(got[1].length, r.requests);
    assert.ok(r.p50Ms >= 4, `latency is the slower replica's: ${r.p50Ms}`);
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  }
});
