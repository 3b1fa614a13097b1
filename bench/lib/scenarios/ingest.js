'use strict';
// Scenario 1: sustained POST /api/v2/alerts in batches, 20k distinct alerts re-sent for 20 s.
const { sustainPost } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');

function ingestScenario(batch) {
  return {
    id: `ingest-${batch}`,
    title: `1. Ingest, batches of ${batch}`,
    metrics: () => [
      { key: 'alertsPerSec', label: 'alerts/s', unit: '/s', better: 'higher' },
      { key: 'p50Ms', label: 'request p50', unit: 'ms', better: 'lower' },
      { key: 'p99Ms', label: 'request p99', unit: 'ms', better: 'lower' },
      { key: 'serverCpuS', label: 'server CPU', unit: 's', better: 'lower' },
      { key: 'cpuPerKAlerts', label: 'server CPU per 1k alerts', unit: 'ms', better: 'lower' },
      { key: 'peakRssMiB', label: 'server peak RSS', unit: 'MiB', better: 'lower' },
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
      const server = await ctx.start(configYaml());
      const cpu0 = server.cpuSeconds();
      const r = await sustainPost({
        url: server.url,
        path: '/api/v2/alerts',
        bodies,
        alertsPerBody: batch,
        connections: p.connections,
        durationMs: p.durationMs,
      });
      const cpu = server.cpuSeconds() - cpu0;
      if (r.requests === 0) throw new Error(`no request succeeded: ${r.firstError}`);
      if (r.errors) ctx.note(`${r.errors} failed requests, first: ${r.firstError}`);
      const sent = r.requests * batch;
      return {
        alertsPerSec: r.alertsPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        serverCpuS: cpu,
        cpuPerKAlerts: (cpu * 1000 * 1000) / sent,
        peakRssMiB: server.memory().peakRssMiB,
        errors: r.errors,
        genCpuPct: r.genCpuPct,
      };
    },
  };
}

module.exports = { ingest64: ingestScenario(64), ingest256: ingestScenario(256) };
