'use strict';
// Runs one scenario against one target with its own servers, storage directories and cleanup.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const servers = require('./servers');
const { configYaml } = require('./workload');

/** Above this share of one core the generator, not the server, may be what limits throughput. */
const GENERATOR_SATURATED_PCT = 85;

/** Runs one scenario for one target; returns {values, notes, error}. */
async function runOne(scenario, target, quick) {
  const started = [];
  const dirs = [];
  const deferred = [];
  const notes = [];
  const ctx = {
    target,
    quick,
    note: (n) => notes.push(n),
    defer: (fn) => deferred.push(fn),
    newStorage: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
      dirs.push(d);
      return d;
    },
    start: async (configYaml, opts = {}) => {
      const storageDir = opts.storageDir ?? ctx.newStorage();
      const s = await servers.startServer(target, configYaml, { ...opts, storageDir });
      started.push(s);
      return s;
    },
  };
  try {
    const values = await scenario.run(ctx);
    if (typeof values.genCpuPct === 'number' && values.genCpuPct > GENERATOR_SATURATED_PCT) {
      notes.push(
        `the load generator used ${values.genCpuPct.toFixed(0)}% of a core: throughput may be the generator's limit, not the server's`,
      );
    }
    return { values, notes };
  } catch (err) {
    return { values: null, notes, error: err.message ?? String(err) };
  } finally {
    for (const s of started) await s.stop();
    for (const fn of deferred) await fn();
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

module.exports = { runOne, probeTocsin, GENERATOR_SATURATED_PCT };
