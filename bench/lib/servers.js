'use strict';
// Starts and stops the servers under test (Alertmanager and Tocsin) on loopback, each with its own
// temporary storage directory, and guarantees they are killed when the harness exits.
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');
const proc = require('./proc');

const ROOT = path.resolve(__dirname, '..', '..');
const AM_BIN = '/usr/bin/prometheus-alertmanager';

const TARGETS = {
  tocsin: { name: 'tocsin', label: 'Tocsin', root: ROOT, bin: path.join(ROOT, 'bin', 'tocsin') },
  alertmanager: { name: 'alertmanager', label: 'Alertmanager', root: ROOT, bin: AM_BIN },
  // not a column of the table: the scale and silences scenarios start it beside Tocsin (see bench/floor-server.js)
  floor: { name: 'floor', label: 'Node.js floor', root: ROOT, bin: path.join(ROOT, 'bench', 'floor-server.js') },
};

/** Runs Tocsin from another tree (e.g. a built snapshot of one commit) instead of this checkout. */
function setTocsinRoot(dir) {
  TARGETS.tocsin.root = path.resolve(dir);
  TARGETS.tocsin.bin = path.join(TARGETS.tocsin.root, 'bin', 'tocsin');
}

/** Every child we started and have not yet seen exit. */
const live = new Set();
/** Storage directories startServer() created itself (removed on abnormal exit too). */
const ownedDirs = new Set();
let hooksInstalled = false;

function killAllSync() {
  for (const dir of ownedDirs) fs.rmSync(dir, { recursive: true, force: true });
  ownedDirs.clear();
  for (const child of live) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // its own process group (spawned detached)
    } catch {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping ${live.size} server(s)\n`);
      killAllSync();
      process.exit(130);
    });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** GET a path with a fresh connection; resolves {status, body} or rejects on network errors. */
function simpleGet(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Installs Debian's Alertmanager with apt-get when it is missing (needs root). */
function ensureAlertmanager(log) {
  if (fs.existsSync(AM_BIN)) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`${AM_BIN} is missing; install it with: sudo apt-get install -y prometheus-alertmanager`);
  }
  log(`${AM_BIN} is missing: running apt-get install -y prometheus-alertmanager`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', 'prometheus-alertmanager'], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', 'prometheus-alertmanager'], { stdio: 'inherit', env });
  }
  if (!fs.existsSync(AM_BIN)) throw new Error(`apt-get did not install ${AM_BIN}`);
}

function alertmanagerVersion() {
  try {
    const out = execFileSync(AM_BIN, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const m = /version (\S+)/.exec(out);
    return m ? m[1] : out.split('\n')[0];
  } catch (err) {
    return `unknown (${err.message})`;
  }
}

/** Why Tocsin cannot be run at all (missing files), or null. Start failures are found later. */
function tocsinMissingReason() {
  if (!fs.existsSync(TARGETS.tocsin.bin)) return 'bin/tocsin is missing';
  if (!fs.existsSync(path.join(TARGETS.tocsin.root, 'dist', 'main.js'))) {
    return 'dist/main.js is missing (run `npm run build`)';
  }
  return null;
}

class Server {
  constructor(target, child, port, storageDir, configPath, ownsStorage) {
    this.target = target;
    this.child = child;
    this.pid = child.pid;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.storageDir = storageDir;
    this.configPath = configPath;
    this.ownsStorage = ownsStorage;
    this.output = '';
    this.exited = null;
    this.pids = [child.pid];
  }

  /** Last lines of the server's stdout+stderr, for error messages. */
  tail(n = 15) {
    return this.output.split('\n').slice(-n).join('\n');
  }

  /** Re-scans the process tree (for servers that fork); call outside timed sections. */
  refreshPids() {
    if (this.exited) return this.pids;
    this.pids = proc.processTree(this.pid);
    return this.pids;
  }

  cpuSeconds() {
    return proc.cpuSeconds(this.pids);
  }

  memory() {
    return proc.memory(this.pids);
  }

  /** SIGTERM (graceful: lets the server write its snapshots), SIGKILL after the grace period. */
  async stop(graceMs = 10000) {
    if (this.exited) return this.exited;
    const done = new Promise((resolve) => this.child.once('exit', () => resolve()));
    try {
      process.kill(-this.pid, 'SIGTERM'); // the whole group, in case bin/tocsin is a wrapper
    } catch {
      // gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, graceMs);
    await done;
    clearTimeout(timer);
    try {
      process.kill(-this.pid, 'SIGKILL'); // leftovers in its group, if any
    } catch {
      // none
    }
    return this.exited;
  }

  removeStorage() {
    fs.rmSync(this.storageDir, { recursive: true, force: true });
    ownedDirs.delete(this.storageDir);
  }
}

/**
 * Starts a target with the given config text. Options: storageDir (reuse, e.g. for restart tests),
 * readyTimeoutMs, extraArgs (more flags, e.g. --tocsin.storage.url). Resolves with a Server once GET /-/ready answers 200; `readyMs` is the time from
 * spawn to that answer, `healthyMs` from spawn to the first 200 on /-/healthy (the server listens). Rejects (after killing the process) if it exits or never becomes ready.
 */
async function startServer(targetName, configYaml, opts = {}) {
  installExitHooks();
  const target = TARGETS[targetName];
  const ownsStorage = !opts.storageDir;
  const storageDir = opts.storageDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-${targetName}-`));
  if (ownsStorage) ownedDirs.add(storageDir);
  const configPath = path.join(storageDir, 'bench-config.yml');
  fs.writeFileSync(configPath, configYaml);
  const port = await freePort();
  const args = [
    `--config.file=${configPath}`,
    `--storage.path=${storageDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    // extra Tocsin flags for A/B runs of one feature, e.g. BENCH_TOCSIN_ARGS=--no-tocsin.history.enabled
    ...(targetName === 'tocsin' && process.env.BENCH_TOCSIN_ARGS ? process.env.BENCH_TOCSIN_ARGS.split(' ').filter(Boolean) : []),
    ...(opts.extraArgs ?? []),
  ];
  const t0 = performance.now();
  const child = spawn(target.bin, args, {
    cwd: target.root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  live.add(child);
  const server = new Server(target, child, port, storageDir, configPath, ownsStorage);
  const onData = (chunk) => {
    server.output += chunk.toString('utf8');
    if (server.output.length > 64 * 1024) server.output = server.output.slice(-32 * 1024);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code, signal) => {
    server.exited = { code, signal };
    live.delete(child);
  });
  child.on('error', (err) => {
    server.exited = { code: -1, signal: null, error: err.message };
    live.delete(child);
  });

  const deadline = t0 + (opts.readyTimeoutMs ?? 30000);
  for (;;) {
    if (server.exited) {
      const why = server.exited.error ?? `exit code ${server.exited.code}, signal ${server.exited.signal}`;
      throw new Error(`${target.label} exited during startup (${why}):\n${server.tail()}`);
    }
    try {
      // first answer of /-/healthy (listening), then /-/ready (Tocsin answers 503 while stored alerts load)
      if (server.healthyMs === undefined && (await simpleGet(`${server.url}/-/healthy`, 1000)).status === 200) {
        server.healthyMs = performance.now() - t0;
      }
      const res = await simpleGet(`${server.url}/-/ready`, 1000);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await server.stop(2000);
      if (ownsStorage) server.removeStorage();
      throw new Error(`${target.label} was not ready after ${opts.readyTimeoutMs ?? 30000} ms:\n${server.tail()}`);
    }
    await sleep(5);
  }
  server.readyMs = performance.now() - t0;
  server.healthyMs ??= server.readyMs;
  server.refreshPids();
  return server;
}

/** Stops a server and removes its storage unless the caller passed its own. */
async function disposeServer(server) {
  if (!server) return;
  await server.stop();
  if (server.ownsStorage) server.removeStorage();
}

module.exports = {
  ROOT,
  TARGETS,
  setTocsinRoot,
  startServer,
  disposeServer,
  ensureAlertmanager,
  alertmanagerVersion,
  tocsinMissingReason,
  simpleGet,
  sleep,
  killAllSync,
};
