'use strict';
// Scenario 7: CLI startup, tocsinctl vs amtool. Against an in-process fake API (answers /status and
// /alerts at once), per run: spawn -> exit of `--version`, spawn -> first request and spawn -> exit of
// `alert query`; median of the runs. `node -e 0` is Node's own floor (tocsinctl's share = the difference).
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

/** One run: ms from spawn to the first request (NaN if none) and to exit. */
function timeRun(cmd, args, state) {
  state.firstAt = 0;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => {
      const exitMs = performance.now() - t0;
      if (code !== 0) reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}`));
      else resolve({ firstMs: state.firstAt ? state.firstAt - t0 : Number.NaN, exitMs });
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
      { key: 'nodeMs', label: 'node -e 0 (floor of a Node CLI)', unit: 'ms', better: 'info' },
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
      const version = [];
      const first = [];
      const query = [];
      const node = [];
      for (let i = 0; i < runs; i++) {
        version.push((await timeRun(cli.cmd, [...cli.pre, '--version'], api.state)).exitMs);
        const q = await timeRun(cli.cmd, [...cli.pre, `--alertmanager.url=${api.url}`, 'alert', 'query'], api.state);
        first.push(q.firstMs);
        query.push(q.exitMs);
        node.push((await timeRun(process.execPath, ['-e', '0'], api.state)).exitMs);
      }
      return { versionMs: median(version), queryFirstRequestMs: median(first), queryMs: median(query), nodeMs: median(node) };
    } finally {
      api.server.close();
    }
  },
};
