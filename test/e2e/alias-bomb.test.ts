import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const GOOD = 'route:\n  receiver: first\nreceivers:\n  - name: first\n';
/** 400 bytes that stand for 262,144 routes (4 aliases per level, 9 levels); it took /-/reload 19 s and +860 MB */
function routeBomb(): string {
  let text = 'receivers:\n  - name: first\nroute:\n  receiver: first\n  routes:\n  - &r0 {receiver: first}\n';
  for (let i = 1; i <= 9; i++) text += `  - &r${i} {routes: [${Array(4).fill(`*r${i - 1}`).join(',')}]}\n`;
  return text;
}

/** Issue 11 item 6: a YAML alias bomb is refused at once by the server's reload and by tocsinctl check-config. */
describe('YAML alias bomb (process)', () => {
  let dir: string;
  let configFile: string;
  let p: TocsinProcess | undefined;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-bomb-'));
    configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, GOOD);
    writeFileSync(path.join(dir, 'bomb.yml'), routeBomb());
    p = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST /-/reload answers 500 with file:line:column in under 2 s and keeps the old config; the server stays responsive', async () => {
    writeFileSync(configFile, routeBomb());
    const t0 = performance.now();
    const [res, health] = await Promise.all([
      fetch(`${p!.url}/-/reload`, { method: 'POST' }),
      fetch(`${p!.url}/-/healthy`).then((r) => ({ status: r.status, ms: performance.now() - t0 })),
    ]);
    const text = await res.text();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(res.status).toBe(500);
    expect(text).toContain(`${configFile}:11:27: yaml: document contains excessive aliasing`);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(2000);
    const receivers = (await (await fetch(`${p!.url}/api/v2/receivers`)).json()) as { name: string }[];
    expect(receivers.map((r) => r.name)).toEqual(['first']);
    writeFileSync(configFile, GOOD);
  });

  it('tocsinctl check-config refuses it in under 2 s (beyond its own start-up) with the location', async () => {
    const run = (file: string) =>
      new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
        const t0 = performance.now();
        execFile(process.execPath, [path.join(ROOT, 'bin', 'tocsinctl'), 'check-config', file], { cwd: ROOT }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr, ms: performance.now() - t0 }),
        );
      });
    const good = path.join(dir, 'good.yml');
    writeFileSync(good, GOOD);
    const base = await run(good);
    expect(base.code).toBe(0);
    const file = path.join(dir, 'bomb.yml');
    const r = await run(file);
    // the process start (about 0.3 s idle, more on a loaded machine) is not the check's cost
    expect(r.ms - base.ms).toBeLessThan(2000);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}:11:27: yaml: document contains excessive aliasing`);
  });
});
