'use strict';
// Scenario 1: sustained POST /api/v2/alerts in batches, 20k distinct alerts re-sent for 20 s.
// `ingest-pg` (issue 13) is the same load on Tocsin over SQLite, on PostgreSQL with 1 and 3 replicas
// (every batch sent to all replicas, as Prometheus does) and on Alertmanager, side by side.
const { sustainPost } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');
const proc = require('../proc');
const pg = require('../pg');
const { na } = require('./common');

/** The targets and ratios of the HA rows (report.js renders scenarios that declare `targets` in their own table). */
const HA_TARGETS = ['tocsin', 'tocsin-pg1', 'tocsin-pg3', 'alertmanager'];
const HA_RATIOS = [
  { num: 'tocsin-pg1', den: 'alertmanager', label: 'PG1/AM' },
  { num: 'tocsin-pg3', den: 'tocsin-pg1', label: 'PG3/PG1' },
];

/** CPU seconds of the PostgreSQL server's process tree so far, or null when it cannot be read. */
function pgCpuReader(pid) {
  if (!pid) return () => null;
  const pids = proc.processTree(pid);
  return () => proc.cpuSeconds(pids);
}

function ingestScenario(batch, { id = `ingest-${batch}`, title = `1. Ingest, batches of ${batch}`, ha = false } = {}) {
  return {
    id,
    title,
    ...(ha ? { targets: HA_TARGETS, ratios: HA_RATIOS } : {}),
    metrics: () => [
      { key: 'alertsPerSec', label: ha ? 'distinct alerts/s accepted by all replicas' : 'alerts/s', unit: '/s', better: 'higher' },
      { key: 'p50Ms', label: 'request p50', unit: 'ms', better: 'lower' },
      { key: 'p99Ms', label: 'request p99', unit: 'ms', better: 'lower' },
      { key: 'serverCpuS', label: ha ? 'server CPU (all replicas)' : 'server CPU', unit: 's', better: 'lower' },
      { key: 'cpuPerKAlerts', label: 'server CPU per 1k alerts', unit: 'ms', better: 'lower' },
      { key: 'peakRssMiB', label: ha ? 'server peak RSS (largest replica)' : 'server peak RSS', unit: 'MiB', better: 'lower' },
      ...(ha ? [{ key: 'pgCpuS', label: 'PostgreSQL server CPU (shared machine)', unit: 's', better: 'info' }] : []),
      { key: 'errors', label: 'failed requests', unit: '', better: 'lower' },
      { key: 'genCpuPct', label: 'generator CPU (% of a core)', unit: '%', better: 'info' },
    ],
    params: (quick) => ({
      alerts: quick ? 4000 : 20000,
      durationMs: quick ? 2500 : 20000,
      connections: batch >= 256 ? 4 : 8,
    }),
    async run(ctx) {
      const p = this.params(ctx.quick);
      const bodies = toBodies(firingAlerts(p.alerts), batch);
      const replicas = await ctx.startReplicas(configYaml());
      const onPg = ha && ctx.target.startsWith('tocsin-pg');
      const pgCpu = pgCpuReader(onPg ? await pg.serverPid() : null);
      const cpuAll = () => replicas.reduce((sum, s) => sum + s.cpuSeconds(), 0);
      const cpu0 = cpuAll();
      const pg0 = pgCpu();
      const r = await sustainPost({
        urls: replicas.map((s) => s.url),
        path: '/api/v2/alerts',
        bodies,
        alertsPerBody: batch,
        connections: p.connections,
        durationMs: p.durationMs,
      });
      const cpu = cpuAll() - cpu0;
      const pg1 = pgCpu();
      if (r.requests === 0) throw new Error(`no request succeeded: ${r.firstError}`);
      if (r.errors) ctx.note(`${r.errors} failed requests, first: ${r.firstError}`);
      const sent = r.requests * batch;
      return {
        alertsPerSec: r.alertsPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        serverCpuS: cpu,
        cpuPerKAlerts: (cpu * 1000 * 1000) / sent,
        peakRssMiB: Math.max(...replicas.map((s) => s.memory().peakRssMiB)),
        ...(ha ? { pgCpuS: pg0 === null ? na('no PostgreSQL') : pg1 - pg0 } : {}),
        errors: r.errors,
        genCpuPct: r.genCpuPct,
      };
    },
  };
}

module.exports = {
  ingest64: ingestScenario(64),
  ingest256: ingestScenario(256),
  ingestPg: ingestScenario(64, { id: 'ingest-pg', title: '9. HA on PostgreSQL: ingest, batches of 64', ha: true }),
  HA_TARGETS,
  HA_RATIOS,
};
