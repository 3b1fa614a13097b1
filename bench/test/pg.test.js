'use strict';
// The PostgreSQL (HA) rows against the machine's PostgreSQL (127.0.0.1:5432) and real bin/tocsin replicas:
// `node --test bench/test/`. Skipped when PostgreSQL or dist/ is missing (CI has both: .ci/run starts PostgreSQL).
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const pg = require('../lib/pg');
const load = require('../lib/load');
const { runOne } = require('../lib/runner');
const workload = require('../lib/workload');

const ROOT = path.join(__dirname, '..', '..');
const built = fs.existsSync(path.join(ROOT, 'dist', 'main.js'));

test('pgUnreachableReason() names the address when PostgreSQL does not answer', async () => {
  const why = await pg.pgUnreachableReason('postgres://postgres@127.0.0.1:1/postgres');
  assert.match(why, /^PostgreSQL is not reachable at 127\.0\.0\.1:1 /);
});

test('ctx.startReplicas() on tocsin-pg3: 3 replicas on one new database, each received every batch, database dropped after', async (t) => {
  const why = await pg.pgUnreachableReason();
  if (why || !built) return t.skip(why ?? 'dist/ not built');
  const seen = {};
  const scenario = {
    async run(ctx) {
      const replicas = await ctx.startReplicas(workload.configYaml());
      const bodies = workload.toBodies(workload.firingAlerts(200), 50);
      await load.postAll({ urls: replicas.map((s) => s.url), path: '/api/v2/alerts', bodies });
      // each replica received every alert itself (not through the shared database)
      for (const s of replicas) {
        const { text } = await load.request(s.url, '/metrics');
        const received = text.split('\n').filter((l) => l.startsWith('alertmanager_alerts_received_total{'));
        seen[s.port] = received.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      }
      return { replicas: replicas.length };
    },
  };
  const r = await runOne(scenario, 'tocsin-pg3', true);
  assert.equal(r.error, undefined);
  assert.equal(r.values.replicas, 3);
  assert.deepEqual(Object.values(seen), [200, 200, 200]);
  assert.equal(r.databases.length, 1);
  assert.equal(await pg.databaseExists(r.databases[0]), false, 'the database is dropped after the run');
});

test('notify-pg on 3 replicas: every alert delivered exactly once', async (t) => {
  const why = await pg.pgUnreachableReason();
  if (why || !built) return t.skip(why ?? 'dist/ not built');
  const { notifyPg } = require('../lib/scenarios/notify');
  const r = await runOne({ ...notifyPg, params: () => ({ alerts: 100 }) }, 'tocsin-pg3', true);
  assert.equal(r.error, undefined);
  assert.equal(r.values.delivered, 100);
  assert.equal(r.values.duplicates, 0);
  assert.equal(r.values.webhookPosts, 100);
});

test('bench run.js skips the PostgreSQL rows with a note when PostgreSQL is unreachable', async () => {
  const out = await new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bench', 'run.js'), '--quick', '--only', 'ingest-pg', '--targets', 'alertmanager,tocsin-pg1', '--json', '/dev/null'],
      { env: { ...process.env, TOCSIN_BENCH_PG_URL: 'postgres://postgres@127.0.0.1:1/postgres' }, timeout: 120_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout + stderr)),
    );
  });
  assert.match(out, /PostgreSQL rows skipped: PostgreSQL is not reachable at 127\.0\.0\.1:1/);
  assert.match(out, /Tocsin PG ×1 skipped in every scenario: PostgreSQL is not reachable/);
  assert.match(out, /distinct alerts\/s accepted by all replicas ↑ +\/s +.*skipped +skipped +skipped +[\d,]+/);
});
