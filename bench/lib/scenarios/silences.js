'use strict';
// Scenario 4: ingest throughput and GET /api/v2/alerts latency for 10k alerts, with 0 and then
// 1000 active silences (half equality, half regex; each silences one alert).
const { postAll, sustainPost, timeGets } = require('../load');
const { firingAlerts, toBodies, silences, configYaml } = require('../workload');
const proc = require('../proc');
const { na, isMissingFeature, sleep, waitFor, FLOOR_ELSEWHERE } = require('./common');

/**
 * The floor's time and CPU for the same silences: its node:http code warmed first by the same alert bodies
 * (posted once, then for at most 3 s), as Tocsin's is by the ingest phase before its silences.
 */
async function floorSilences(ctx, p, bodies, silenceBodies) {
  const floor = await ctx.startFloor();
  await postAll({ url: floor.url, path: '/api/v2/alerts', bodies, connections: 4 });
  await sustainPost({ url: floor.url, path: '/api/v2/alerts', bodies, alertsPerBody: 64, connections: 4, durationMs: Math.min(p.durationMs, 3000) });
  await sleep(500);
  const cpu0 = floor.cpuSeconds();
  const t0 = performance.now();
  await postAll({ url: floor.url, path: '/api/v2/silences', bodies: silenceBodies, connections: 4 });
  const out = { createSilencesFloorS: (performance.now() - t0) / 1000, createSilencesFloorCpuMs: (floor.cpuSeconds() - cpu0) * 1000 };
  await floor.stop();
  return out;
}

module.exports = {
  id: 'silences',
  title: '4. Silences',
  params: (quick) => ({
    alerts: quick ? 2000 : 10000,
    silences: quick ? 200 : 1000,
    durationMs: quick ? 1500 : 10000,
    gets: quick ? 3 : 5,
  }),
  metrics(quick) {
    const p = this.params(quick);
    return [
      { key: 'ingest0', label: 'ingest alerts/s, 0 silences', unit: '/s', better: 'higher' },
      { key: 'ingestS', label: `ingest alerts/s, ${p.silences} silences`, unit: '/s', better: 'higher' },
      { key: 'get0', label: `GET /alerts (${p.alerts / 1000}k) p50, 0 silences`, unit: 'ms', better: 'lower' },
      { key: 'getS', label: `GET /alerts (${p.alerts / 1000}k) p50, ${p.silences} silences`, unit: 'ms', better: 'lower' },
      { key: 'createSilencesS', label: `time to create ${p.silences} silences`, unit: 's', better: 'lower' },
      // steadier than the time on a shared machine; every thread of the server (Go uses several)
      { key: 'createSilencesCpuMs', label: `server CPU to create ${p.silences} silences`, unit: 'ms', better: 'lower' },
      { key: 'createSilencesMainCpuMs', label: '… of which the main thread (event loop)', unit: 'ms', better: 'info' },
      { key: 'genCpuPct', label: 'generator CPU (% of a core)', unit: '%', better: 'info' },
      // the same silences to the Node.js floor (bench/floor-server.js), after the same kind of ingest; Tocsin's column
      { key: 'createSilencesFloorS', label: `time to create ${p.silences} silences: Node.js floor (bare node:http + SQLite)`, unit: 's', better: 'info' },
      { key: 'createSilencesFloorCpuMs', label: '… its CPU', unit: 'ms', better: 'info' },
    ];
  },
  async run(ctx) {
    const p = this.params(ctx.quick);
    const server = await ctx.start(configYaml());
    const bodies = toBodies(firingAlerts(p.alerts), 64);
    await postAll({ url: server.url, path: '/api/v2/alerts', bodies, connections: 4 });
    const sustain = () =>
      sustainPost({
        url: server.url,
        path: '/api/v2/alerts',
        bodies,
        alertsPerBody: 64,
        connections: 4,
        durationMs: p.durationMs,
      });
    // GETs first, after a pause, so that they do not pay for the garbage of the ingest phase.
    const getP50 = async () => {
      await sleep(500);
      return (await timeGets(server.url, '/api/v2/alerts', p.gets, { parseFirst: false })).p50Ms;
    };
    const out = {};
    out.get0 = await getP50();
    const r0 = await sustain();
    out.ingest0 = r0.alertsPerSec;

    const silenceBodies = silences(p.silences).map((s) => JSON.stringify(s));
    server.refreshPids();
    const cpu0 = server.cpuSeconds();
    const main0 = ctx.target === 'tocsin' ? proc.mainThreadCpuSeconds(server.pid) : null;
    const t0 = performance.now();
    try {
      await postAll({ url: server.url, path: '/api/v2/silences', bodies: silenceBodies, connections: 4 });
    } catch (err) {
      if (!isMissingFeature(err.status)) throw err;
      const reason = `POST /api/v2/silences answers ${err.status}`;
      return { ...out, ingestS: na(reason), getS: na(reason), createSilencesS: na(reason), createSilencesCpuMs: na(reason), createSilencesMainCpuMs: na(reason), genCpuPct: r0.genCpuPct };
    }
    out.createSilencesS = (performance.now() - t0) / 1000;
    out.createSilencesCpuMs = (server.cpuSeconds() - cpu0) * 1000;
    out.createSilencesMainCpuMs = main0 === null ? na('Go uses every core: no single event loop') : (proc.mainThreadCpuSeconds(server.pid) - main0) * 1000;
    const expected = p.alerts - p.silences;
    let seen = -1;
    await waitFor(
      async () => {
        const g = await timeGets(server.url, '/api/v2/alerts?silenced=false', 1);
        seen = g.first.length;
        return seen === expected;
      },
      5000,
      200,
    );
    if (seen !== expected) {
      const reason = `silences not in force: silenced=false shows ${seen}, expected ${expected}`;
      return { ...out, ingestS: na(reason), getS: na(reason), genCpuPct: r0.genCpuPct };
    }
    out.getS = await getP50();
    const r1 = await sustain();
    out.ingestS = r1.alertsPerSec;
    out.genCpuPct = Math.max(r0.genCpuPct, r1.genCpuPct);
    await server.stop();
    Object.assign(out, ctx.target === 'tocsin' ? await floorSilences(ctx, p, bodies, silenceBodies) : { createSilencesFloorS: na(FLOOR_ELSEWHERE), createSilencesFloorCpuMs: na(FLOOR_ELSEWHERE) });
    return out;
  },
};
