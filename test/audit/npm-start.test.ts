/**
 * Issue 2 acceptance: "`npm ci && npm start` on a fresh clone serves the UI-less API with the default config,
 * and the README says so". Runs the exact command of package.json's `start` script (only the port 9093 is
 * swapped for a free one) from a directory holding what a fresh clone has: the committed config/tocsin.yml and no
 * data/. The compiled server is the one `npm ci` builds (its `prepare` script runs `npm run build`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/build';
import { freePort, waitFor } from '../helpers/ports';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
/** CI may run on an exported tree without .git: the clone checks then read the files on disk instead. */
const inGit = existsSync(path.join(ROOT, '.git'));

describe('npm start on a fresh clone', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the start script runs bin/tocsin on 127.0.0.1:9093 with ./data and the bundled config; npm ci builds dist/', () => {
    expect(pkg.scripts.start).toBe('node bin/tocsin --web.listen-address=127.0.0.1:9093 --storage.path=./data --config.file=config/tocsin.yml');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.bin).toEqual({ tocsin: 'bin/tocsin', tocsinctl: 'bin/tocsinctl' });
    // what a clone has: the launcher and the default config are committed; the build output and state are not
    if (!inGit) return;
    expect(git('ls-files', 'bin/tocsin', 'bin/tocsinctl', 'config/tocsin.yml', 'package-lock.json').trim().split('\n')).toHaveLength(4);
    expect(git('check-ignore', 'dist/main.js', 'data/tocsin.db').trim().split('\n')).toHaveLength(2);
  });

  test('the README documents npm ci && npm start and the address', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^npm ci\b/m);
    expect(readme).toMatch(/^npm start\s+#.*config\/tocsin\.yml.*127\.0\.0\.1:9093.*\.\/data/m);
  });

  test('serves the API with the default config and keeps its state in ./data', async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-npmstart-'));
    mkdirSync(path.join(dir, 'config'));
    const committedConfig = inGit ? git('show', 'HEAD:config/tocsin.yml') : readFileSync(path.join(ROOT, 'config', 'tocsin.yml'), 'utf8');
    writeFileSync(path.join(dir, 'config', 'tocsin.yml'), committedConfig);
    const port = await freePort();
    const [node, script, ...args] = pkg.scripts.start!.replace('127.0.0.1:9093', `127.0.0.1:${port}`).split(/\s+/);
    expect([node, script]).toEqual(['node', 'bin/tocsin']);
    let out = '';
    // as `npm start` in the clone does, with cwd = the clone; bin/tocsin is this checkout's launcher
    child = spawn(process.execPath, [path.join(ROOT, script!), ...args, '--cluster.listen-address='], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (child!.exitCode !== null) throw new Error(`exited ${child!.exitCode}: ${out}`);
        return (await fetch(`${url}/-/ready`)).status === 200;
      },
      { timeoutMs: 20_000, what: 'npm start to be ready' },
    );
    expect((await fetch(`${url}/-/healthy`)).status).toBe(200);
    const status = (await (await fetch(`${url}/api/v2/status`)).json()) as { config: { original: string }; versionInfo: { version: string } };
    expect(status.versionInfo.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(status.config.original).toContain('receiver: default');
    expect(((await (await fetch(`${url}/api/v2/receivers`)).json()) as { name: string }[]).map((r) => r.name)).toEqual(['default']);
    const post = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'NpmStart' } }]),
    });
    expect(post.status).toBe(200);
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; receivers: { name: string }[] }[];
    expect(alerts.map((a) => [a.labels, a.receivers.map((r) => r.name)])).toEqual([[{ alertname: 'NpmStart' }, ['default']]]);
    // state under ./data of the working directory
    expect(existsSync(path.join(dir, 'data'))).toBe(true);
    expect(readdirSync(path.join(dir, 'data')).some((f) => f.endsWith('.db') || f.endsWith('.sqlite'))).toBe(true);
  }, 60_000);
});
