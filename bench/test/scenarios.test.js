'use strict';
// Runs real scenarios (quick sizes) against Debian's Alertmanager: `node --test bench/test/`.
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { runOne } = require('../lib/runner');

test('notify scenario: every alert reaches the sink about group_wait after the push', async () => {
  const r = await runOne(require('../lib/scenarios/notify'), 'alertmanager', true);
  assert.equal(r.error, undefined);
  assert.equal(r.values.delivered, 300);
  assert.equal(r.values.webhookPosts, 300, 'one webhook per group');
  assert.equal(r.values.duplicates, 0);
  assert.ok(r.values.p50Ms > -50 && r.values.p50Ms < 1000, `p50 ${r.values.p50Ms}`);
  assert.ok(r.values.p50Ms <= r.values.p99Ms && r.values.p99Ms <= r.values.maxMs);
  assert.ok(r.values.flushCpuMs >= 0 && r.values.flushMainCpuMs >= 0 && r.values.flushMainCpuMs <= r.values.flushCpuMs, `${r.values.flushMainCpuMs} of ${r.values.flushCpuMs}`);
  // the third burst: new groups on the same server, each delivered (a number here, not n/a)
  assert.ok(r.values.warmP50Ms > -50 && r.values.warmP50Ms <= r.values.warmP99Ms && r.values.warmP99Ms < 1000, `third burst ${r.values.warmP50Ms}/${r.values.warmP99Ms}`);
  assert.ok(r.values.warmCpuMs >= 0);
  // the Node.js floor runs once, in Tocsin's column
  assert.match(r.values.floorP99Ms.na, /measured once per run, in Tocsin's column/);
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'main.js'))) return;
  const t = await runOne(require('../lib/scenarios/notify'), 'tocsin', true);
  assert.equal(t.error, undefined);
  assert.equal(t.values.delivered, 300);
  assert.equal(t.values.duplicates, 0);
  for (const k of ['floorP50Ms', 'floorP99Ms', 'floorWarmP50Ms', 'floorWarmP99Ms']) assert.ok(t.values[k] > -50 && t.values[k] < 1000, `${k} ${JSON.stringify(t.values[k])}`);
  assert.ok(t.values.floorP50Ms <= t.values.floorP99Ms && t.values.floorWarmP50Ms <= t.values.floorWarmP99Ms);
  assert.ok(t.values.floorCpuMs >= 0);
});

test('inhibition scenario: the inhibition is verified in force before timing', async () => {
  const scenario = { ...require('../lib/scenarios/inhibition'), params: () => ({ sources: 50, targets: 500, durationMs: 300, gets: 2 }) };
  const r = await runOne(scenario, 'alertmanager', true);
  assert.equal(r.error, undefined);
  for (const k of ['getNotInhibited', 'getAll', 'ingest']) assert.equal(typeof r.values[k], 'number', k);
  assert.ok(r.values.ingest > 0);
});

test('live scenario: Alertmanager has no stream (n/a), Tocsin delivers every probe to its stream client', async () => {
  const scenario = { ...require('../lib/scenarios/live'), params: () => ({ alerts: 500, phaseMs: 1000, batch: 50, bodiesPerSecond: 10 }) };
  const am = await runOne(scenario, 'alertmanager', true);
  assert.equal(am.error, undefined);
  assert.equal(typeof am.values.pollMs, 'number');
  assert.match(am.values.latencyP50.na, /no live stream/);
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'main.js'))) return;
  const t = await runOne(scenario, 'tocsin', true);
  assert.equal(t.error, undefined);
  assert.deepEqual(t.notes, []);
  for (const k of ['pollMs', 'latencyP50', 'latencyP99', 'cpuClient', 'cpuIdleClient']) assert.equal(typeof t.values[k], 'number', k);
  assert.ok(t.values.latencyP50 > 0 && t.values.latencyP50 <= t.values.latencyP99, `p50 ${t.values.latencyP50}`);
});

test('runOne() turns a failing scenario into an error and still stops its servers', async () => {
  let pid;
  const scenario = {
    async run(ctx) {
      const s = await ctx.start(require('../lib/workload').configYaml());
      pid = s.pid;
      throw new Error('scenario failed');
    },
  };
  const r = await runOne(scenario, 'alertmanager', true);
  assert.equal(r.error, 'scenario failed');
  assert.throws(() => process.kill(pid, 0));
});
