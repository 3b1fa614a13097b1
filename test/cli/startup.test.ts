/**
 * tocsinctl starts fast: what the built CLI (bin/tocsinctl -> dist/) loads before its first request, for
 * `--version` and a plain `alert query`. tocsinctl's own startup time is mostly module loading, so the test
 * asserts on the modules loaded (robust on a loaded machine); the time itself is measured by
 * `npm run bench` (bench/cli-startup.js).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/build';

let dir: string;
let hook: string;
let server: http.Server;
let url: string;

// a preload that writes the loaded module files when the first connection opens (or at exit)
const HOOK = `
const fs = require('node:fs');
const net = require('node:net');
let written = false;
const dump = (when) => {
  if (written) return;
  written = true;
  fs.writeFileSync(process.env.TOCSINCTL_MODULES_OUT, JSON.stringify({ when, modules: Object.keys(require.cache) }));
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { dump('connect'); return connect.apply(this, args); };
process.on('exit', () => dump('exit'));
`;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'tocsinctl-startup-'));
  hook = join(dir, 'hook.js');
  writeFileSync(hook, HOOK);
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/api/v2/status')) {
      res.end(JSON.stringify({ cluster: { status: 'disabled', peers: [] }, config: { original: '' }, versionInfo: { version: '0.34.0' } }));
    } else {
      res.end('[]');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs bin/tocsinctl with the hook; returns the module files loaded before its first connection. */
async function loadedBeforeFirstRequest(args: string[]): Promise<{ when: string; modules: string[]; stdout: string }> {
  const out = join(dir, `modules-${Math.random().toString(36).slice(2)}.json`);
  let stdout = '';
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, ['-r', hook, join(ROOT, 'bin/tocsinctl'), ...args], {
      // no config file of the user's
      env: { ...process.env, HOME: dir, TOCSINCTL_MODULES_OUT: out },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.on('exit', resolve);
  });
  expect(code).toBe(0);
  const r = JSON.parse(readFileSync(out, 'utf8')) as { when: string; modules: string[] };
  return { ...r, modules: r.modules.map((m) => m.slice(ROOT.length + 1)), stdout };
}

// Before: `alert query` loaded 224 modules (undici, yaml, re2js, every command) and spent ~0.15 s of its own
// before the first request. Bounds with room for growth, far below that.
// (a system-wide amtool config file is read as YAML by design; HOME is a temp dir, so the user's is not)
const SYSTEM_CONFIG = ['/etc/amtool/config.yml', '/etc/prometheus/amtool.yml'].some((f) => existsSync(f));
const MAX_MODULES = SYSTEM_CONFIG ? 150 : 60;
const HEAVY = [/node_modules\/undici\//, ...(SYSTEM_CONFIG ? [] : [/node_modules\/yaml\//]), /node_modules\/re2js\//, /^dist\/templates\//, /^dist\/config\//, /^dist\/notifiers\//, /^dist\/cli\/commands\/(silence|status)/];

test('tocsinctl --version loads commander and the CLI core only', async () => {
  const r = await loadedBeforeFirstRequest(['--version']);
  expect(r.stdout).toMatch(/^tocsinctl, version /);
  expect(r.modules.filter((m) => HEAVY.some((h) => h.test(m)))).toEqual([]);
  expect(r.modules.length).toBeLessThan(MAX_MODULES);
});

test('tocsinctl alert query loads no YAML, template, config, notifier or regex module before its first request', async () => {
  const r = await loadedBeforeFirstRequest([`--alertmanager.url=${url}`, 'alert', 'query']);
  expect(r.when).toBe('connect');
  expect(r.modules.filter((m) => HEAVY.some((h) => h.test(m)))).toEqual([]);
  expect(r.modules).toContain('dist/cli/commands/alert.js');
  expect(r.modules.length).toBeLessThan(MAX_MODULES);
  expect(r.stdout).toBe('Alertname  Starts At  Summary  State  \n');
});
