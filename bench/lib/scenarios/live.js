'use strict';
// Scenario 9: a screen of 10k alerts kept current. Tocsin's live stream (GET /api/v2/tocsin/alerts/stream,
// Server-Sent Events): latency from a POST to the change reaching a connected client, while the 10k alerts are
// re-sent; and the server CPU the stream costs (the same re-send with and without a client; idle with a client).
// Alertmanager has no stream: a UI polls it, so the cost of one poll (GET /alerts/groups at 10k) is shown for both.
const http = require('node:http');
const { postAll, request, timeGets } = require('../load');
const { firingAlerts, toBodies, configYaml } = require('../workload');
const { na, isMissingFeature, sleep } = require('./common');
const { summarize } = require('../stats');

const STREAM = '/api/v2/tocsin/alerts/stream';

/** Opens the stream; resolves once the headers are in, with {status, seen(marker) -> arrival ms | undefined, close}. */
function openStream(url) {
  return new Promise((resolve, reject) => {
    const arrivals = new Map();
    const wanted = new Set();
    let tail = '';
    const req = http.get(`${url}${STREAM}`, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ status: res.statusCode, close: () => req.destroy() });
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (text) => {
        const now = performance.now();
        const hay = tail + text;
        for (const m of wanted) {
          if (hay.includes(m)) {
            arrivals.set(m, now);
            wanted.delete(m);
          }
        }
        tail = hay.slice(-64);
      });
      res.on('error', () => {});
      resolve({
        status: 200,
        watch: (marker) => wanted.add(marker),
        arrival: (marker) => arrivals.get(marker),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

/** Re-sends `bodies` at `perSecond` bodies a second for `ms`; every `probeEvery` ms calls `probe()`. */
async function resend(server, bodies, perSecond, ms, probe, probeEvery = 250) {
  const end = performance.now() + ms;
  let i = 0;
  let nextProbe = performance.now() + probeEvery;
  const gap = 1000 / perSecond;
  let next = performance.now();
  const inflight = new Set();
  while (performance.now() < end) {
    const p = request(server.url, '/api/v2/alerts', { method: 'POST', body: bodies[i++ % bodies.length] }).catch(() => {});
    inflight.add(p);
    p.finally(() => inflight.delete(p));
    if (probe && performance.now() >= nextProbe) {
      nextProbe += probeEvery;
      probe();
    }
    next += gap;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(inflight);
}

module.exports = {
  id: 'live',
  title: '9. Live updates (10k alerts on screen)',
  params: (quick) => ({ alerts: quick ? 2000 : 10000, phaseMs: quick ? 2000 : 8000, batch: 100, bodiesPerSecond: 20 }),
  metrics(quick) {
    const p = this.params(quick);
    const k = `${p.alerts / 1000}k`;
    return [
      { key: 'pollMs', label: `one poll: GET /alerts/groups at ${k} (p50)`, unit: 'ms', better: 'lower' },
      { key: 'latencyP50', label: 'POST to a stream client, p50 (alerts re-sent)', unit: 'ms', better: 'lower' },
      { key: 'latencyP99', label: 'POST to a stream client, p99', unit: 'ms', better: 'lower' },
      { key: 'cpuNoClient', label: `server CPU, ${p.batch * p.bodiesPerSecond} alerts/s re-sent, no client`, unit: '%', better: 'info' },
      { key: 'cpuClient', label: '… the same with one stream client', unit: '%', better: 'lower' },
      { key: 'cpuIdleClient', label: 'server CPU, no change, one stream client', unit: '%', better: 'lower' },
    ];
  },
  async run(ctx) {
    const p = this.params(ctx.quick);
    const server = await ctx.start(configYaml());
    const alerts = firingAlerts(p.alerts);
    await postAll({ url: server.url, path: '/api/v2/alerts', bodies: toBodies(alerts, 256), connections: 4 });
    await sleep(500);
    const out = {};
    out.pollMs = (await timeGets(server.url, '/api/v2/alerts/groups', 3, { parseFirst: false })).p50Ms;

    const bodies = toBodies(alerts, p.batch);
    const cpuPct = async (fn) => {
      const c0 = server.cpuSeconds();
      const t0 = performance.now();
      await fn();
      return ((server.cpuSeconds() - c0) / ((performance.now() - t0) / 1000)) * 100;
    };
    out.cpuNoClient = await cpuPct(() => resend(server, bodies, p.bodiesPerSecond, p.phaseMs));

    const stream = await openStream(server.url);
    if (stream.status !== 200) {
      stream.close();
      const why = isMissingFeature(stream.status) ? `no live stream (${STREAM} answers ${stream.status})` : `stream answers ${stream.status}`;
      for (const key of ['latencyP50', 'latencyP99', 'cpuClient', 'cpuIdleClient']) out[key] = na(why);
      return out;
    }
    try {
      await sleep(1500); // the hub's first pass over the alerts
      const sent = [];
      let n = 0;
      const probe = () => {
        const marker = `"probe":"p${n}"`;
        stream.watch(marker);
        const t0 = performance.now();
        sent.push({ marker, t0 });
        const body = JSON.stringify([{ labels: { alertname: 'Probe', probe: `p${n++}` }, annotations: { summary: 'probe' } }]);
        request(server.url, '/api/v2/alerts', { method: 'POST', body }).catch(() => {});
      };
      out.cpuClient = await cpuPct(() => resend(server, bodies, p.bodiesPerSecond, p.phaseMs, probe));
      await sleep(1500);
      const lat = [];
      let missing = 0;
      for (const s of sent) {
        const at = stream.arrival(s.marker);
        if (at === undefined) missing++;
        else lat.push(at - s.t0);
      }
      if (missing > 0) ctx.note(`${missing} of ${sent.length} probes never reached the stream client`);
      const s = summarize(lat);
      out.latencyP50 = s.p50;
      out.latencyP99 = s.p99;
      out.cpuIdleClient = await cpuPct(() => sleep(p.phaseMs));
    } finally {
      stream.close();
    }
    return out;
  },
};
