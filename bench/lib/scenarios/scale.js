'use strict';
// Scenario 2: RSS at 10k/50k/100k active alerts (10 labels, 2 annotations, 1000 groups) and the
// latency of GET /api/v2/alerts and GET /api/v2/alerts/groups at 100k.
const { postAll, timeGets } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');
const { na, isMissingFeature, sleep, FLOOR_ELSEWHERE } = require('./common');

const kfmt = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));

module.exports = {
  id: 'scale',
  title: '2. Scale (1000 groups)',
  params: (quick) => ({ levels: quick ? [2000, 5000, 10000] : [10000, 50000, 100000], gets: quick ? 2 : 3 }),
  metrics(quick) {
    const { levels } = this.params(quick);
    const top = kfmt(levels[levels.length - 1]);
    return [
      { key: 'rssIdle', label: 'RSS, no alerts', unit: 'MiB', better: 'lower' },
      // the rest of the RSS is the program's file (RssFile): for Tocsin, the pages of the node binary it touched
      { key: 'rssIdleAnon', label: '… of which its own memory (RssAnon)', unit: 'MiB', better: 'lower' },
      // the least a Node.js server with SQLite takes (bench/floor-server.js), in Tocsin's column
      { key: 'rssIdleFloor', label: 'RSS, no alerts: Node.js floor (bare node:http + better-sqlite3)', unit: 'MiB', better: 'info' },
      { key: 'rssIdleFloorAnon', label: '… of which its own memory (RssAnon)', unit: 'MiB', better: 'info' },
      ...levels.map((l) => ({ key: `rss${l}`, label: `RSS at ${kfmt(l)} alerts`, unit: 'MiB', better: 'lower' })),
      { key: 'loadS', label: `time to POST ${top} alerts (256/req)`, unit: 's', better: 'lower' },
      { key: 'getAlertsMs', label: `GET /alerts at ${top} (p50)`, unit: 'ms', better: 'lower' },
      { key: 'getAlertsMiB', label: `GET /alerts body at ${top}`, unit: 'MiB', better: 'info' },
      { key: 'getGroupsMs', label: `GET /alerts/groups at ${top} (p50)`, unit: 'ms', better: 'lower' },
      { key: 'peakRssMiB', label: 'server peak RSS', unit: 'MiB', better: 'lower' },
    ];
  },
  async run(ctx) {
    const { levels, gets } = this.params(ctx.quick);
    const top = levels[levels.length - 1];
    const out = {};
    if (ctx.target === 'tocsin') {
      const floor = await ctx.startFloor();
      await sleep(300);
      const m = floor.memory();
      out.rssIdleFloor = m.rssMiB;
      out.rssIdleFloorAnon = m.anonMiB;
      await floor.stop();
    } else {
      out.rssIdleFloor = out.rssIdleFloorAnon = na(FLOOR_ELSEWHERE);
    }
    const server = await ctx.start(configYaml());
    await sleep(300);
    const idle = server.memory();
    out.rssIdle = idle.rssMiB;
    out.rssIdleAnon = idle.anonMiB;
    let loaded = 0;
    let loadMs = 0;
    for (const level of levels) {
      const bodies = toBodies(firingAlerts(level - loaded, { from: loaded }), 256);
      const t0 = performance.now();
      await postAll({ url: server.url, path: '/api/v2/alerts', bodies, connections: 4 });
      loadMs += performance.now() - t0;
      loaded = level;
      await sleep(ctx.quick ? 300 : 1000); // let allocation settle before sampling
      out[`rss${level}`] = server.memory().rssMiB;
    }
    out.loadS = loadMs / 1000;

    const alerts = await timeGets(server.url, '/api/v2/alerts', gets);
    if (!Array.isArray(alerts.first) || alerts.first.length !== top) {
      ctx.note(`GET /api/v2/alerts returned ${alerts.first?.length} alerts, expected ${top}`);
    }
    out.getAlertsMs = alerts.p50Ms;
    out.getAlertsMiB = alerts.bytes / 1048576;
    try {
      const groups = await timeGets(server.url, '/api/v2/alerts/groups', gets);
      const n = Array.isArray(groups.first) ? groups.first.length : -1;
      if (n !== 1000) ctx.note(`GET /api/v2/alerts/groups returned ${n} groups, expected 1000`);
      out.getGroupsMs = groups.p50Ms;
    } catch (err) {
      if (!isMissingFeature(err.status)) throw err;
      out.getGroupsMs = na(`GET /api/v2/alerts/groups answers ${err.status}`);
    }
    out.peakRssMiB = server.memory().peakRssMiB;
    return out;
  },
};
