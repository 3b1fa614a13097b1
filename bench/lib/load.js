'use strict';
// Load generation with undici keep-alive pools, from the harness process. Every loop is bounded in
// time and in count; only 127.0.0.1 is ever contacted.
const { Pool } = require('undici');
const { summarize } = require('./stats');

const JSON_HEADERS = { 'content-type': 'application/json' };

function assertLoopback(url) {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') throw new Error(`refusing to load a non-loopback host: ${u.hostname}`);
  return u.origin;
}

function makePool(url, connections) {
  return new Pool(assertLoopback(url), {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  });
}

/** Generator CPU use over a window, as a percentage of one core. */
function cpuMeter() {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    return { cpuSeconds: (c.user + c.system) / 1e6, pctOfCore: wall > 0 ? ((c.user + c.system) / 1e6 / wall) * 100 : 0 };
  };
}

/**
 * Sends `bodies` (pre-serialised JSON strings) round-robin as POSTs to `path` for `durationMs` over
 * `connections` keep-alive connections, one request in flight per connection. Each body carries
 * `alertsPerBody` alerts. With several `urls` (replicas) each body goes to all of them at once, as Prometheus
 * sends to every Alertmanager, and counts when all accepted it (its latency is the slowest answer).
 * With `once`, each body is sent exactly once (then it ends, or at `durationMs`): e.g. alerts never seen before.
 * Returns throughput, latency percentiles (ms), errors and generator CPU.
 */
async function sustainPost({ url, urls = [url], path, bodies, alertsPerBody, connections, durationMs, maxRequests = 10_000_000, once = false }) {
  const pools = urls.map((u) => makePool(u, connections));
  const latencies = [];
  let next = 0;
  let errors = 0;
  let firstError = null;
  const meter = cpuMeter();
  const t0 = performance.now();
  const end = t0 + durationMs;
  const post = async (pool, body) => {
    const res = await pool.request({ path, method: 'POST', headers: JSON_HEADERS, body });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    }
    await res.body.dump();
  };
  const loop = async () => {
    while (performance.now() < end && latencies.length + errors < maxRequests && (!once || next < bodies.length)) {
      const body = bodies[next++ % bodies.length];
      const s = performance.now();
      const outcomes = await Promise.allSettled(pools.map((pool) => post(pool, body)));
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) {
        errors++;
        firstError ??= failed.reason.message;
        if (errors > 100 && latencies.length === 0) break;
        continue;
      }
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedS = (performance.now() - t0) / 1000;
  const gen = meter();
  await Promise.all(pools.map((p) => p.close()));
  const lat = summarize(latencies);
  return {
    requests: latencies.length,
    errors,
    firstError,
    elapsedS,
    alertsPerSec: (latencies.length * alertsPerBody) / elapsedS,
    requestsPerSec: latencies.length / elapsedS,
    p50Ms: lat.p50,
    p99Ms: lat.p99,
    genCpuPct: gen.pctOfCore,
  };
}

/**
 * Sends every body once (bounded concurrency) to `url`, or to all `urls` at once (replicas), and fails on any
 * non-2xx answer. Returns per-body send times.
 */
async function postAll({ url, urls = [url], path, bodies, connections = 4 }) {
  const pools = urls.map((u) => makePool(u, connections));
  const sentAt = new Array(bodies.length);
  let next = 0;
  const post = async (pool, body) => {
    const res = await pool.request({ path, method: 'POST', headers: JSON_HEADERS, body });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const err = new Error(`POST ${path} -> HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
      err.status = res.statusCode;
      throw err;
    }
  };
  const loop = async () => {
    while (next < bodies.length) {
      const i = next++;
      sentAt[i] = performance.now();
      await Promise.all(pools.map((pool) => post(pool, bodies[i])));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(connections, bodies.length) }, loop));
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  return sentAt;
}

/** One request; resolves {status, text, ms}. */
async function request(url, path, { method = 'GET', body } = {}) {
  const pool = makePool(url, 1);
  try {
    const s = performance.now();
    const res = await pool.request({ path, method, headers: body ? JSON_HEADERS : {}, body });
    const text = await res.body.text();
    return { status: res.statusCode, text, ms: performance.now() - s };
  } finally {
    await pool.close();
  }
}

/**
 * Times `count` sequential GETs of `path` over one keep-alive connection (full body read).
 * Returns p50/min/max in ms, body size and the parsed first body (when `parseFirst`).
 */
async function timeGets(url, path, count, { parseFirst = true } = {}) {
  const pool = makePool(url, 1);
  const times = [];
  let first = null;
  let bytes = 0;
  try {
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      const res = await pool.request({ path, method: 'GET' });
      const buf = Buffer.from(await res.body.arrayBuffer());
      times.push(performance.now() - s);
      if (res.statusCode !== 200) {
        const err = new Error(`GET ${path} -> HTTP ${res.statusCode}: ${buf.toString('utf8').slice(0, 300)}`);
        err.status = res.statusCode;
        throw err;
      }
      bytes = buf.length;
      if (i === 0 && parseFirst) first = JSON.parse(buf.toString('utf8'));
    }
  } finally {
    await pool.close();
  }
  const s = summarize(times);
  return { p50Ms: s.p50, minMs: s.min, maxMs: s.max, bytes, first };
}

module.exports = { sustainPost, postAll, request, timeGets, cpuMeter };
