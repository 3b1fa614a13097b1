import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../helpers/build';
import { startTocsin } from '../helpers/tocsin-process';

const run = promisify(execFile);

async function tocsin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'tocsin'), ...args], { cwd: ROOT, timeout: 15_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('bin/tocsin startup', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-start-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an unknown flag and exits 1', async () => {
    const r = await tocsin(['--nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tocsin: error: unknown long flag '--nope', try --help\n");
  });

  it('prints help and version', async () => {
    expect((await tocsin(['--help'])).stdout).toContain('--web.config.file');
    expect((await tocsin(['--version'])).stdout).toMatch(/^tocsin, version \S+ \(compatible with alertmanager 0\.34\.0\)/);
  });

  it('exits 1 with the located config errors when the config is bad: one record per problem, no escaped newline', async () => {
    const file = path.join(dir, 'bad.yml');
    writeFileSync(file, 'route:\n  receiver: nope\n  group_wait: 5x\nreceivers:\n  - name: default\n');
    const args = [`--config.file=${file}`, `--storage.path=${path.join(dir, 'd1')}`, '--web.listen-address=127.0.0.1:0'];
    const r = await tocsin(args);
    expect(r.code).toBe(1);
    const failed = r.stderr.split('\n').filter((l) => l.includes('msg="Loading configuration file failed"'));
    expect(failed).toEqual([
      expect.stringMatching(/level=error msg="Loading configuration file failed" file=\S+bad\.yml err="\S+bad\.yml:2:13: undefined receiver \\"nope\\" used in route \(at route\.receiver\)" hint="defined receivers: \\"default\\""$/),
      expect.stringMatching(/level=error msg="Loading configuration file failed" file=\S+bad\.yml err="\S+bad\.yml:3:15: not a valid duration string: \\"5x\\" \(at route\.group_wait\)"$/),
    ]);
    expect(r.stderr).not.toContain('\\n');
    const json = await tocsin([...args, '--log.format=json']);
    expect(json.code).toBe(1);
    const records = json.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string; err?: string; hint?: string });
    const problems = records.filter((l) => l.msg === 'Loading configuration file failed');
    expect(problems.map((l) => [l.level, l.err?.replace(/^\S+bad\.yml/, 'bad.yml'), l.hint])).toEqual([
      ['error', 'bad.yml:2:13: undefined receiver "nope" used in route (at route.receiver)', 'defined receivers: "default"'],
      ['error', 'bad.yml:3:15: not a valid duration string: "5x" (at route.group_wait)', undefined],
    ]);
    expect(problems.every((l) => !`${l.err}${l.hint}`.includes('\n'))).toBe(true);
  });

  it('a plain start (default --cluster.listen-address, no --cluster.peer) logs no gossip warning', async () => {
    const file = path.join(dir, 'ok.yml');
    writeFileSync(file, 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
    // startTocsin sets --cluster.listen-address= ; the later flag restores upstream's default 0.0.0.0:9094
    const p = await startTocsin({ configFile: file, storagePath: path.join(dir, 'd3'), args: ['--cluster.listen-address=0.0.0.0:9094', '--cluster.label=x'] });
    try {
      expect(p.output()).toContain('msg="Starting Tocsin"');
      expect(p.output()).not.toContain('gossip');
      expect(p.output()).not.toContain('level=warn');
    } finally {
      await p.stop();
    }
  });

  it("logs the config's non-fatal findings as warnings, as upstream", async () => {
    const file = path.join(dir, 'warn.yml');
    writeFileSync(file, 'route:\n  receiver: default\n  routes:\n    - receiver: default\n      group_interval: 10m\n      repeat_interval: 5m\nreceivers:\n  - name: default\n');
    const p = await startTocsin({ configFile: file, storagePath: path.join(dir, 'd4') });
    try {
      expect(p.output()).toMatch(/level=warn msg="route\.routes\[0\]: repeat_interval is less than group_interval\. [^"]*" file=\S+warn\.yml\n/);
    } finally {
      await p.stop();
    }
  });

  it('accepts cluster flags, says gossip is not used, and logs JSON with --log.format=json', async () => {
    const file = path.join(dir, 'ok.yml');
    writeFileSync(file, 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
    const p = await startTocsin({
      configFile: file,
      storagePath: path.join(dir, 'd2'),
      args: ['--cluster.peer=other:9094', '--cluster.label=x', '--log.format=json', '--web.external-url=http://am.example/alertmanager/'],
    });
    try {
      const lines = p
        .output()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: string; msg: string });
      expect(lines.some((l) => l.level === 'warn' && l.msg.includes('does not use gossip'))).toBe(true);
      // the external URL's path is the route prefix
      expect((await fetch(`${p.url}/alertmanager/api/v2/status`)).status).toBe(200);
      expect((await fetch(`${p.url}/api/v2/status`)).status).toBe(404);
    } finally {
      await p.stop();
    }
  });
});
