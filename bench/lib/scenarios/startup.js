'use strict';
// Scenario 6: time from spawn to 200 on /-/ready with empty storage, with 10k silences and with
// 100k stored alerts (written by a previous run on the same --storage.path, stopped with SIGTERM), and with
// those the time to the first answer of /-/healthy (Tocsin listens before it loads the stored alerts).
const { postAll, request } = require('../load');
const { firingAlerts, toBodies, silences, configYaml } = require('../workload');
const { na, isMissingFeature } = require('./common');

async function countOf(url, path) {
  const r = await request(url, path);
  if (r.status !== 200) throw new Error(`GET ${path} -> ${r.status}`);
  return JSON.parse(r.text).length;
}

module.exports = {
  id: 'startup',
  title: '6. Startup and recovery (spawn to /-/ready)',
  params: (quick) => ({ silences: quick ? 1000 : 10000, alerts: quick ? 10000 : 100000 }),
  metrics(quick) {
    const p = this.params(quick);
    return [
      { key: 'emptyMs', label: 'ready, empty storage', unit: 'ms', better: 'lower' },
      { key: 'silencesMs', label: `ready, ${p.silences / 1000}k silences`, unit: 'ms', better: 'lower' },
      { key: 'silencesRestored', label: 'silences restored', unit: '', better: 'higher' },
      { key: 'alertsHealthyMs', label: `healthy (listening), ${p.alerts / 1000}k stored alerts`, unit: 'ms', better: 'lower' },
      { key: 'alertsMs', label: `ready, ${p.alerts / 1000}k stored alerts`, unit: 'ms', better: 'lower' },
      { key: 'alertsRestored', label: 'alerts restored', unit: '', better: 'info' },
    ];
  },
  async run(ctx) {
    const p = this.params(ctx.quick);
    const cfg = configYaml();
    const out = {};

    const empty = await ctx.start(cfg);
    out.emptyMs = empty.readyMs;
    await empty.stop();

    // Silences survive a restart (snapshot at shutdown).
    const silDir = ctx.newStorage();
    const s1 = await ctx.start(cfg, { storageDir: silDir });
    let silencesOk = true;
    try {
      const bodies = silences(p.silences).map((s) => JSON.stringify(s));
      await postAll({ url: s1.url, path: '/api/v2/silences', bodies, connections: 8 });
    } catch (err) {
      if (!isMissingFeature(err.status)) throw err;
      silencesOk = false;
      out.silencesMs = na(`POST /api/v2/silences answers ${err.status}`);
      out.silencesRestored = out.silencesMs;
    }
    await s1.stop();
    if (silencesOk) {
      const s2 = await ctx.start(cfg, { storageDir: silDir, readyTimeoutMs: 120_000 });
      out.silencesMs = s2.readyMs;
      out.silencesRestored = await countOf(s2.url, '/api/v2/silences');
      await s2.stop();
    }

    // Alerts: Alertmanager keeps them in memory only, so it restarts empty.
    const alDir = ctx.newStorage();
    const a1 = await ctx.start(cfg, { storageDir: alDir });
    await postAll({ url: a1.url, path: '/api/v2/alerts', bodies: toBodies(firingAlerts(p.alerts), 256), connections: 4 });
    await a1.stop();
    const a2 = await ctx.start(cfg, { storageDir: alDir, readyTimeoutMs: 120_000 });
    out.alertsHealthyMs = a2.healthyMs;
    out.alertsMs = a2.readyMs;
    out.alertsRestored = await countOf(a2.url, '/api/v2/alerts');
    if (ctx.target === 'alertmanager' && out.alertsRestored === 0) {
      ctx.note('Alertmanager does not persist alerts: it restarts with 0 of them');
    }
    await a2.stop();
    return out;
  },
};
