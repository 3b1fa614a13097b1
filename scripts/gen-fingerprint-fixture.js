#!/usr/bin/env node
/*
 * Regenerates src/types/testdata/fingerprints.json from the real Alertmanager (Debian 0.25):
 * starts /usr/bin/prometheus-alertmanager on a free loopback port, POSTs one alert per label set, reads the
 * `fingerprint` back from GET /api/v2/alerts, writes the fixture, and stops the process.
 *   node scripts/gen-fingerprint-fixture.js
 */
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Label names must be classic for 0.25; empty values are dropped by the API, so they are not used here.
const LABEL_SETS = [
  { alertname: 'A', instance: 'i1', severity: 'critical', team: 'x' },
  { alertname: 'A', severity: 'warning', team: 'x' },
  { alertname: 'a' },
  { alertname: 'b' },
  { alertname: 'HighLatency', job: 'api', instance: '10.0.0.1:9090' },
  { alertname: 'unicode', value: 'héllo wörld' },
  { alertname: 'emoji', face: '🙂', flag: '🇩🇪' },
  { alertname: 'cjk', msg: '日本語のテキスト' },
  { alertname: 'quotes', v: 'say "hi"' },
  { alertname: 'backslash', v: 'C:\\path\\to' },
  { alertname: 'newline', v: 'line1\nline2' },
  { alertname: 'tab', v: 'a\tb' },
  { alertname: 'spaces', v: '   ' },
  { alertname: 'long', v: 'x'.repeat(1000) },
  { alertname: 'prefix', a: '1', a0: '2', a_b: '3' },
  { alertname: 'order', z: '1', y: '2', x: '3', _: '4', A: '5', Z: '6' },
  { alertname: 'digits', l1: '1', l10: '10', l2: '2' },
  { alertname: 'colon', 'a': 'b:c' },
  { alertname: 'sep', v: '\u00ff\u00fe' },
  { alertname: 'latin1', v: '\u00e9\u00e8\u00ea' },
  { alertname: 'private-use', v: '\ue000\uffff' },
  { alertname: 'astral', v: '𝄞𐍈' },
  { alertname: 'mixed', v: 'a🙂b\u00e9c' },
  { alertname: 'nul-ish', v: '\u0001\u0002' },
  { alertname: 'many', a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7', h: '8', i: '9', j: '10' },
  { alertname: 'X', severity: 'critical' },
  { alertname: 'X', severity: 'Critical' },
  { alertname: 'json', payload: '{"k":[1,2,3]}' },
  { alertname: 'url', generator: 'http://example.com/graph?g0.expr=up%3D%3D0&g0.tab=1' },
  { alertname: 'zwj', v: '👩‍👩‍👧' },
  { alertname: 'rtl', v: 'مرحبا' },
  { __name__: 'up', alertname: 'dunder' },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(base, proc) {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`alertmanager exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${base}/-/ready`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alertmanager did not become ready');
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-fp-'));
  const cfg = join(dir, 'am.yml');
  writeFileSync(cfg, 'route:\n  receiver: "blackhole"\nreceivers:\n  - name: "blackhole"\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(
    '/usr/bin/prometheus-alertmanager',
    [`--config.file=${cfg}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  try {
    await waitReady(base, proc);
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const body = LABEL_SETS.map((labels) => ({ labels, endsAt }));
    const post = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!post.ok) throw new Error(`POST failed: ${post.status} ${await post.text()}`);
    const got = await (await fetch(`${base}/api/v2/alerts`)).json();
    const byKey = new Map(got.map((a) => [JSON.stringify(Object.entries(a.labels).sort()), a.fingerprint]));
    const cases = LABEL_SETS.map((labels) => {
      const fp = byKey.get(JSON.stringify(Object.entries(labels).sort()));
      if (!fp) throw new Error(`no fingerprint for ${JSON.stringify(labels)}`);
      return { labels, fingerprint: fp };
    });
    const out = join(__dirname, '..', 'src', 'types', 'testdata', 'fingerprints.json');
    writeFileSync(out, `${JSON.stringify({ source: 'prometheus-alertmanager 0.25 (Debian), GET /api/v2/alerts', cases }, null, 2)}\n`);
    console.log(`wrote ${cases.length} cases to ${out}`);
  } catch (e) {
    console.error(stderr);
    throw e;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
