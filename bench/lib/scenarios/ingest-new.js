'use strict';
// Scenario 1b: an alert storm. Alerts seen for the first time (distinct fingerprints, each body sent once, in
// batches of 64 as Prometheus sends them), then the same alerts re-sent, as Prometheus repeats firing alerts
// every evaluation. For Tocsin the same load runs a second time with --no-tocsin.history.enabled in the same
// repetition (the order alternates between repetitions), so the cost of recording history (issue 14: at most
// 10 % of ingest throughput; two events per new alert, none for an unchanged re-send) is an A/B on one machine
// state. Tocsin writes a storm's history once the storm is over (src/history/batch-writer.ts): before the
// re-sends, the run waits until its metric tocsin_history_events_pending is 0, and reports that wait and the
// server CPU up to then, so the history's whole cost is in the numbers and not in the re-sent phase.
const { sustainPost } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');
const proc = require('../proc');
const { na, waitFor } = require('./common');
const { simpleGet } = require('../servers');

/** Tocsin's history events not committed yet, from /metrics (null: no such metric, e.g. history off or an older build). */
async function historyPending(server) {
  const res = await simpleGet(`${server.url}/metrics`, 5000);
  const m = /^tocsin_history_events_pending (\S+)$/m.exec(res.body);
  return m ? Number(m[1]) : null;
}

/** Waits until the history has committed what the storm recorded; ms waited (null: nothing to wait for). */
async function historyCaughtUp(server) {
  const t0 = performance.now();
  let n = null;
  const done = await waitFor(async () => {
    n = await historyPending(server);
    return n === null || n === 0;
  }, 120_000, 50);
  if (!done) throw new Error(`history still ${n} events behind after 120 s`);
  return n === null ? null : performance.now() - t0;
}

const BATCH = 64;
let repetition = 0;

/** Posts the first-seen alerts, then re-sends them; returns the measures of both phases. */
async function storm(server, p, bodies) {
  const cpu0 = server.cpuSeconds();
  const main0 = proc.mainThreadCpuSeconds(server.pid);
  const first = await sustainPost({ url: server.url, path: '/api/v2/alerts', bodies, alertsPerBody: BATCH, connections: p.connections, durationMs: 600_000, once: true });
  const cpu = server.cpuSeconds() - cpu0;
  const main = main0 === null ? null : proc.mainThreadCpuSeconds(server.pid) - main0;
  if (first.errors) throw new Error(`${first.errors} failed requests, first: ${first.firstError}`);
  const lagMs = server.target.name === 'tocsin' ? await historyCaughtUp(server) : null;
  const cpuAll = server.cpuSeconds() - cpu0;
  const resent = await sustainPost({ url: server.url, path: '/api/v2/alerts', bodies, alertsPerBody: BATCH, connections: p.connections, durationMs: p.resendMs });
  if (resent.errors) throw new Error(`${resent.errors} failed re-sends, first: ${resent.firstError}`);
  return { first, resent, lagMs, cpuPerK: (cpu * 1e6) / p.alerts, cpuAllPerK: (cpuAll * 1e6) / p.alerts, mainPerK: main === null ? null : (main * 1e6) / p.alerts };
}

module.exports = {
  id: 'ingest-new',
  title: '1b. Alert storm: first-seen alerts, batches of 64',
  params: (quick) => ({ alerts: quick ? 8000 : 100000, resendMs: quick ? 1500 : 10000, connections: 8 }),
  metrics(quick) {
    const n = `${this.params(quick).alerts / 1000}k`;
    return [
      { key: 'firstPerSec', label: `first-seen alerts/s (${n} distinct, each once)`, unit: '/s', better: 'higher' },
      { key: 'firstP50Ms', label: 'first-seen request p50', unit: 'ms', better: 'lower' },
      { key: 'firstP99Ms', label: 'first-seen request p99', unit: 'ms', better: 'lower' },
      { key: 'cpuPerKAlerts', label: 'server CPU per 1k first-seen alerts', unit: 'ms', better: 'lower' },
      { key: 'mainCpuPerKAlerts', label: '… of which the main thread (event loop)', unit: 'ms', better: 'info' },
      { key: 'historyLagMs', label: 'history committed, after the last first-seen POST answered', unit: 'ms', better: 'lower' },
      { key: 'cpuAllPerKAlerts', label: 'server CPU per 1k first-seen alerts, up to the history committed', unit: 'ms', better: 'lower' },
      { key: 'resentPerSec', label: `re-sent alerts/s (the ${n} again)`, unit: '/s', better: 'higher' },
      { key: 'peakRssMiB', label: 'server peak RSS', unit: 'MiB', better: 'lower' },
      { key: 'firstPerSecNoHistory', label: 'A/B: first-seen alerts/s, history off', unit: '/s', better: 'info' },
      { key: 'historyCostFirstPct', label: 'A/B: history cost, first-seen throughput', unit: '%', better: 'info' },
      { key: 'historyCostMainCpuPct', label: 'A/B: main-thread CPU per alert added by history', unit: '%', better: 'info' },
      { key: 'cpuPerKAlertsNoHistory', label: 'A/B: server CPU per 1k first-seen alerts, history off', unit: 'ms', better: 'info' },
      { key: 'historyCostCpuPct', label: 'A/B: server CPU (all threads, up to the history committed) per first-seen alert added by history', unit: '%', better: 'info' },
      { key: 'resentPerSecNoHistory', label: 'A/B: re-sent alerts/s, history off', unit: '/s', better: 'info' },
      { key: 'historyCostResentPct', label: 'A/B: history cost, re-sent throughput', unit: '%', better: 'info' },
      { key: 'genCpuPct', label: 'generator CPU (% of a core)', unit: '%', better: 'info' },
    ];
  },
  async run(ctx) {
    const p = this.params(ctx.quick);
    const bodies = toBodies(firingAlerts(p.alerts), BATCH);
    const tocsin = ctx.target === 'tocsin';
    const noHistory = na('no history to switch off');
    const runs = {};
    // history on and off in alternating order (Tocsin), each on a fresh server with empty storage
    const variants = !tocsin ? ['on'] : repetition++ % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    for (const v of variants) {
      const server = await ctx.start(configYaml(), v === 'off' ? { extraArgs: ['--no-tocsin.history.enabled'] } : {});
      runs[v] = await storm(server, p, bodies);
      runs[v].peakRssMiB = server.memory().peakRssMiB;
      await server.stop();
    }
    const on = runs.on;
    const off = runs.off;
    const cost = (a, b) => (1 - a / b) * 100;
    return {
      firstPerSec: on.first.alertsPerSec,
      firstP50Ms: on.first.p50Ms,
      firstP99Ms: on.first.p99Ms,
      cpuPerKAlerts: on.cpuPerK,
      mainCpuPerKAlerts: tocsin && on.mainPerK !== null ? on.mainPerK : na('Go uses every core: no single event loop'),
      historyLagMs: tocsin ? (on.lagMs ?? na('no tocsin_history_events_pending metric in this build')) : noHistory,
      cpuAllPerKAlerts: on.cpuAllPerK,
      resentPerSec: on.resent.alertsPerSec,
      peakRssMiB: on.peakRssMiB,
      firstPerSecNoHistory: off ? off.first.alertsPerSec : noHistory,
      historyCostFirstPct: off ? cost(on.first.alertsPerSec, off.first.alertsPerSec) : noHistory,
      historyCostMainCpuPct: off && on.mainPerK !== null && off.mainPerK !== null ? (on.mainPerK / off.mainPerK - 1) * 100 : noHistory,
      cpuPerKAlertsNoHistory: off ? off.cpuPerK : noHistory,
      historyCostCpuPct: off ? (on.cpuAllPerK / off.cpuAllPerK - 1) * 100 : noHistory,
      resentPerSecNoHistory: off ? off.resent.alertsPerSec : noHistory,
      historyCostResentPct: off ? cost(on.resent.alertsPerSec, off.resent.alertsPerSec) : noHistory,
      genCpuPct: on.first.genCpuPct,
    };
  },
};
