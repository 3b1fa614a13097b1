'use strict';
// Scenario 5: 1000 source alerts inhibit 10k targets via equal: [cluster]. Latency of
// GET /api/v2/alerts?inhibited=false, and ingest throughput while the inhibition is in force.
const { postAll, sustainPost, timeGets } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');
const { na, waitFor } = require('./common');

module.exports = {
  id: 'inhibition',
  title: '5. Inhibition (equal: [cluster])',
  params: (quick) => ({
    sources: quick ? 200 : 1000,
    targets: quick ? 2000 : 10000,
    durationMs: quick ? 1500 : 10000,
    gets: quick ? 3 : 5,
  }),
  metrics(quick) {
    const p = this.params(quick);
    return [
      { key: 'getNotInhibited', label: 'GET /alerts?inhibited=false p50', unit: 'ms', better: 'lower' },
      { key: 'getAll', label: `GET /alerts (all ${(p.sources + p.targets) / 1000}k) p50`, unit: 'ms', better: 'lower' },
      { key: 'ingest', label: 'ingest alerts/s while inhibiting', unit: '/s', better: 'higher' },
      { key: 'genCpuPct', label: 'generator CPU (% of a core)', unit: '%', better: 'info' },
    ];
  },
  async run(ctx) {
    const p = this.params(ctx.quick);
    const server = await ctx.start(configYaml({ inhibit: true }));
    const sources = firingAlerts(p.sources, {
      extraLabels: (i) => ({ alertname: 'SourceDown', role: 'source', cluster: `c${i}` }),
    });
    const targets = firingAlerts(p.targets, {
      from: 1_000_000,
      extraLabels: (i) => ({ alertname: 'TargetDown', role: 'target', cluster: `c${i % p.sources}` }),
    });
    const srcBodies = toBodies(sources, 64);
    const tgtBodies = toBodies(targets, 64);
    await postAll({ url: server.url, path: '/api/v2/alerts', bodies: srcBodies, connections: 4 });
    await postAll({ url: server.url, path: '/api/v2/alerts', bodies: tgtBodies, connections: 4 });
    let seen = -1;
    await waitFor(
      async () => {
        const g = await timeGets(server.url, '/api/v2/alerts?inhibited=false', 1);
        seen = g.first.length;
        return seen === p.sources;
      },
      10_000,
      200,
    );
    if (seen !== p.sources) {
      const reason = `inhibition not in force: inhibited=false shows ${seen} alerts, expected ${p.sources}`;
      return { getNotInhibited: na(reason), getAll: na(reason), ingest: na(reason), genCpuPct: na(reason) };
    }
    const out = {};
    out.getNotInhibited = (await timeGets(server.url, '/api/v2/alerts?inhibited=false', p.gets, { parseFirst: false })).p50Ms;
    out.getAll = (await timeGets(server.url, '/api/v2/alerts', p.gets, { parseFirst: false })).p50Ms;
    const r = await sustainPost({
      url: server.url,
      path: '/api/v2/alerts',
      bodies: [...srcBodies, ...tgtBodies],
      alertsPerBody: 64,
      connections: 4,
      durationMs: p.durationMs,
    });
    out.ingest = r.alertsPerSec;
    out.genCpuPct = r.genCpuPct;
    return out;
  },
};
