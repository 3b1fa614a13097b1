'use strict';
// Runs one scenario against one target with its own servers, storage directories and cleanup.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const servers = require('./servers');
const pg = require('./pg');
const { configYaml } = require('./workload');
const { waitFor } = require('./scenarios/common');

/**
 * Tocsin on PostgreSQL (issue 13): bench targets that run Tocsin as `replicas` processes sharing one fresh
 * database (--tocsin.storage.url). Scenarios that declare them (`targets`) reach all replicas through
 * ctx.startReplicas(); the others run on `tocsin` and `alertmanager` only.
 */
const PG_VARIANTS = {
  'tocsin-pg1': { base: 'tocsin', replicas: 1 },
  'tocsin-pg3': { base: 'tocsin', replicas: 3 },
};

/** The server kind a target runs (a PostgreSQL variant runs Tocsin). */
const baseTarget = (target) => PG_VARIANTS[target]?.base ?? target;

/** Waits until every replica lists all of them as cluster peers (GET /api/v2/status), so groups are spread. */
async function waitForCluster(replicas, timeoutMs = 20000) {
  const formed = await waitFor(
    async () => {
      for (const s of replicas) {
        const res = await servers.simpleGet(`${s.url}/api/v2/status`, 2000).catch(() => null);
        if (res?.status !== 200) return false;
        const peers = JSON.parse(res.body).cluster?.peers ?? [];
        if (peers.length < replicas.length) return false;
      }
      return true;
    },
    timeoutMs,
    100,
  );
  if (!formed) throw new Error(`the ${replicas.length} replicas did not all list each other as peers within ${timeoutMs / 1000} s`);
}

/** Above this share of one core the generator, not the server, may be what limits throughput. */
const GENERATOR_SATURATED_PCT = 85;

/** Runs one scenario for one target; returns {values, notes, error}. */
async function runOne(scenario, target, quick) {
  const started = [];
  const dirs = [];
  const deferred = [];
  const notes = [];
  const variant = PG_VARIANTS[target];
  const databases = [];
  const ctx = {
    target,
    quick,
    /** how many server processes ctx.startReplicas() starts */
    replicas: variant?.replicas ?? 1,
    note: (n) => notes.push(n),
    defer: (fn) => deferred.push(fn),
    newStorage: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
      dirs.push(d);
      return d;
    },
    start: async (configYaml, opts = {}) => {
      const storageDir = opts.storageDir ?? ctx.newStorage();
      const s = await servers.startServer(baseTarget(target), configYaml, { ...opts, storageDir });
      started.push(s);
      return s;
    },
    /**
     * the Node.js floor (bench/floor-server.js: bare node:http and SQLite), stopped with the target's servers;
     * `configYaml`: its webhook, for the notify scenario
     */
    startFloor: async (configYaml = '') => {
      const s = await servers.startServer('floor', configYaml, { storageDir: ctx.newStorage() });
      started.push(s);
      return s;
    },
    /**
     * The target's server(s) for this config: one for tocsin/alertmanager; for a PostgreSQL variant a new
     * database (dropped after the servers stopped) and `replicas` Tocsin processes on it, started at once
     * and waited for until they see each other.
     */
    startReplicas: async (configYaml) => {
      if (!variant) return [await ctx.start(configYaml)];
      const db = await pg.createDatabase();
      databases.push(db.name);
      ctx.defer(() => db.drop());
      // allSettled: a replica that fails to start must not leave the others starting after the cleanup
      const outcomes = await Promise.allSettled(
        Array.from({ length: variant.replicas }, (_, i) =>
          ctx.start(configYaml, { extraArgs: [`--tocsin.storage.url=${db.url}`, `--tocsin.ha.replica-name=r${i + 1}`] }),
        ),
      );
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
      const list = outcomes.map((o) => o.value);
      await waitForCluster(list);
      return list;
    },
  };
  try {
    const values = await scenario.run(ctx);
    if (typeof values.genCpuPct === 'number' && values.genCpuPct > GENERATOR_SATURATED_PCT) {
      notes.push(
        `the load generator used ${values.genCpuPct.toFixed(0)}% of a core: throughput may be the generator's limit, not the server's`,
      );
    }
    return { values, notes, databases };
  } catch (err) {
    return { values: null, notes, databases, error: err.message ?? String(err) };
  } finally {
    for (const s of started) await s.stop();
    for (const fn of deferred) {
      try {
        await fn();
      } catch (err) {
        notes.push(`cleanup failed: ${err.message}`);
      }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Checks that Tocsin exists and starts; returns a reason to skip it, or null. */
async function probeTocsin() {
  const missing = servers.tocsinMissingReason();
  if (missing) return missing;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-probe-'));
  try {
    const s = await servers.startServer('tocsin', configYaml(), {
      storageDir: dir,
      readyTimeoutMs: 20000,
    });
    await s.stop();
    return null;
  } catch (err) {
    return `bin/tocsin failed to start: ${err.message.split('\n').slice(0, 4).join(' | ')}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runOne, probeTocsin, GENERATOR_SATURATED_PCT, PG_VARIANTS, baseTarget };
