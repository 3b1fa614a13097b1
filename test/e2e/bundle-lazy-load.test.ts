/**
 * The server bundle (scripts/bundle-server.mjs) leaves out of an idle server what only some requests need: Express
 * is a bundle of its own (dist/bundle/express.js) required by the first request that is not a lean route; node:zlib
 * by the first compressed body; node:https (and TLS) by a TLS listener; prom-client's Pushgateway (which requires
 * both) never. Checked on a bundle built from this checkout's dist/ into a copy, so that the tests' tsc-only
 * builds (which make bin/tocsin run dist/main.js) do not matter: at idle none of them is loaded, and the requests
 * that need them are answered as before, loading them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt, ROOT } from '../helpers/build';
import { freePort, waitFor } from '../helpers/ports';

/** What the server process has loaded: its CommonJS modules' files and Node's built-in modules. */
interface Loaded {
  files: string[];
  builtins: string[];
}

// written to the file named by LOADED_FILE on SIGUSR2 (preloaded with --require)
const PRELOAD = `process.on('SIGUSR2', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  require('node:fs').writeFileSync(process.env.LOADED_FILE, JSON.stringify({ files: Object.keys(require.cache), builtins }));
});
`;

describe('server bundle: parts loaded on first use', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let url: string;
  let out = '';
  const loadedFile = () => path.join(dir, 'loaded.json');

  async function loaded(): Promise<Loaded> {
    rmSync(loadedFile(), { force: true });
    child!.kill('SIGUSR2');
    return waitFor(async () => (existsSync(loadedFile()) ? (JSON.parse(readFileSync(loadedFile(), 'utf8')) as Loaded) : undefined), { what: 'loaded modules' });
  }

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-bundle-'));
    for (const d of ['bin', 'scripts', 'data']) mkdirSync(path.join(dir, d));
    copyFileSync(path.join(ROOT, 'bin', 'tocsin'), path.join(dir, 'bin', 'tocsin'));
    copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    copyFileSync(path.join(ROOT, 'scripts', 'bundle-server.mjs'), path.join(dir, 'scripts', 'bundle-server.mjs'));
    cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: (src) => !src.startsWith(path.join(ROOT, 'dist', 'bundle')) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    execFileSync(process.execPath, [path.join(dir, 'scripts', 'bundle-server.mjs')], { cwd: dir, stdio: 'pipe' });
    writeFileSync(path.join(dir, 'preload.js'), PRELOAD);
    writeFileSync(path.join(dir, 'alertmanager.yml'), "route:\n  receiver: r\n  group_by: ['alertname']\nreceivers:\n  - name: r\n");
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [path.join(dir, 'bin', 'tocsin'), `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: `--require ${path.join(dir, 'preload.js')}`, LOADED_FILE: loadedFile() } },
    );
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      async () => {
        if (child!.exitCode !== null) throw new Error(`tocsin exited: ${out}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 20_000, what: 'tocsin ready' },
    );
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('an idle server runs the bundle without Express, node:zlib or node:https loaded', async () => {
    const l = await loaded();
    // bin/tocsin compiles the bundle itself (not a cached module); no file of dist/ was required: not dist/main.js
    // (the bundle ran), nor the Express bundle beside it
    expect(existsSync(path.join(dir, 'dist', 'bundle', 'express.js'))).toBe(true);
    expect(l.files.filter((f) => f.startsWith(path.join(dir, 'dist')))).toEqual([]);
    expect(l.builtins.filter((m) => ['https', 'tls', 'zlib', 'fs/promises'].includes(m))).toEqual([]);
  });

  it("the code cache the build made (after a server start there) is one V8 accepts under bin/tocsin's start flags", () => {
    // src/main.ts sets V8's flags back to their defaults once started, and V8 refuses a cache made under other flags
    const flags = /setFlagsFromString\('([^']+)'\)/.exec(readFileSync(path.join(ROOT, 'bin', 'tocsin'), 'utf8'))?.[1];
    expect(flags).toBeDefined();
    const file = path.join(dir, 'dist', 'bundle', 'main.js');
    const check = `require('node:v8').setFlagsFromString(${JSON.stringify(flags)});
const fs = require('node:fs');
const s = new (require('node:vm').Script)(fs.readFileSync(${JSON.stringify(file)}, 'utf8'), { filename: ${JSON.stringify(file)}, cachedData: fs.readFileSync(${JSON.stringify(`${file}.cache`)}) });
process.stdout.write(String(s.cachedDataRejected));`;
    expect(execFileSync(process.execPath, ['-e', check], { encoding: 'utf8' })).toBe('false');
  });

  it('a gzip body and an Express route are answered as before, loading node:zlib and the Express bundle', async () => {
    const body = gzipSync(JSON.stringify([{ labels: { alertname: 'Lazy', team: 'a' } }]));
    const post = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
    expect(post.status).toBe(200);
    const groups = await fetch(`${url}/api/v2/alerts/groups`);
    expect(groups.status).toBe(200);
    const g = (await groups.json()) as { labels: Record<string, string>; alerts: { labels: Record<string, string> }[] }[];
    expect(g.map((x) => [x.labels, x.alerts.map((a) => a.labels.team)])).toEqual([[{ alertname: 'Lazy' }, ['a']]]);
    const l = await loaded();
    expect(l.files.filter((f) => f.startsWith(path.join(dir, 'dist')))).toEqual([path.join(dir, 'dist', 'bundle', 'express.js')]);
    expect(l.builtins).toContain('zlib');
    // Express's dependencies come from its bundle, not from node_modules
    expect(l.files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}express${path.sep}`))).toEqual([]);
  });
});
