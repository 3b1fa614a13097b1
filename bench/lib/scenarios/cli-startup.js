'use strict';
// Scenario 7: CLI startup, tocsinctl vs amtool. Against an in-process fake API (answers /status and
// /alerts at once), per run: spawn -> exit of `--version`, spawn -> first request and spawn -> exit of
// `alert query`, and the CPU time (user+sys) each run used; median of the runs. `node -e 0` is Node's own
// floor (tocsinctl's share = the difference). CPU time is the steadier number on a loaded machine.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { TARGETS } = require('../servers');
const { median } = require('../stats');

const AMTOOL = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';

function fakeApi() {
  const state = { firstAt: 0 };
  const server = http.createServer((req, res) => {
    if (state.firstAt === 0) state.firstAt = performance.now();
    res.setHeader('content-type', 'application/json');
    if (req.url.startsWith('/api/v2/status')) {
      res.end(JSON.stringify({ cluster: { status: 'disabled', peers: [] }, config: { original: '' }, versionInfo: { version: '0.34.0' } }));
    } else {
      res.end('[]');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}` })));
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU ms (user+sys) of this process's children that have exited and been waited for (/proc/self/stat cutime+cstime). */
function childrenCpuMs() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * TICK_MS; // fields 16 and 17 of proc(5), counted from field 3
}

/** One run: ms from spawn to the first request (NaN if none) and to exit, and the CPU ms the child used. */
function timeRun(cmd, args, state) {
  state.firstAt = 0;
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => {
      const exitMs = performance.now() - t0;
      if (code !== 0) reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}`));
      else resolve({ firstMs: state.firstAt ? state.firstAt - t0 : Number.NaN, exitMs, cpuMs: childrenCpuMs() - cpu0 });
    });
  });
}

module.exports = {
  id: 'cli-startup',
  title: '7. CLI startup: tocsinctl vs amtool (median of runs)',
  params: (quick) => ({ runs: quick ? 5 : 15 }),
  metrics() {
    return [
      { key: 'versionMs', label: '--version, spawn to exit', unit: 'ms', better: 'lower' },
      { key: 'queryFirstRequestMs', label: 'alert query, spawn to first request', unit: 'ms', better: 'lower' },
      { key: 'queryMs', label: 'alert query, spawn to exit', unit: 'ms', better: 'lower' },
      { key: 'versionCpuMs', label: '--version, CPU user+sys', unit: 'ms', better: 'lower' },
      { key: 'queryCpuMs', label: 'alert query, CPU user+sys', unit: 'ms', better: 'lower' },
      { key: 'nodeMs', label: 'node -e 0 (floor of a Node CLI)', unit: 'ms', better: 'info' },
      { key: 'nodeCpuMs', label: 'node -e 0, CPU user+sys', unit: 'ms', better: 'info' },
    ];
  },
  async run(ctx) {
    const { runs } = this.params(ctx.quick);
    const cli =
      ctx.target === 'tocsin'
        ? { cmd: process.execPath, pre: [path.join(TARGETS.tocsin.root, 'bin', 'tocsinctl')] }
        : { cmd: AMTOOL, pre: [] };
    const api = await fakeApi();
    try {
      const runsOf = { version: [], query: [], node: [] };
      for (let i = 0; i < runs; i++) {
        runsOf.version.push(await timeRun(cli.cmd, [...cli.pre, '--version'], api.state));
        runsOf.query.push(await timeRun(cli.cmd, [...cli.pre, `--alertmanager.url=${api.url}`, 'alert', 'query'], api.state));
        runsOf.node.push(await timeRun(process.execPath, ['-e', '0'], api.state));
      }
      const med = (list, key) => median(list.map((r) => r[key]));
      return {
        versionMs: med(runsOf.version, 'exitMs'),
        queryFirstRequestMs: med(runsOf.query, 'firstMs'),
        queryMs: med(runsOf.query, 'exitMs'),
        versionCpuMs: med(runsOf.version, 'cpuMs'),
        queryCpuMs: med(runsOf.query, 'cpuMs'),
        nodeMs: med(runsOf.node, 'exitMs'),
        nodeCpuMs: med(runsOf.node, 'cpuMs'),
      };
    } finally {
      api.server.close();
    }
  },
};
