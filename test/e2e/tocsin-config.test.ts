import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tocsinctlProcess } from '../cli/harness';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const AM = 'route:\n  receiver: pager\nreceivers:\n  - name: pager\n  - name: boss\n';
const GOOD = 'receivers:\n  pager:\n    resolved_after_mute: true\n    escalation: [{after: 15m, receiver: boss}]\n';
const BAD = 'receivers:\n  pager:\n    rate_limit: {max: 10, window: often}\n  pagr: {}\n';

type Status = { tocsin: { config?: { file: string; original: string }; lastReload: { success: boolean; error?: string } } };

/** --tocsin.config.file on the real process: shown in /api/v2/status, reloaded with alertmanager.yml, checked by tocsinctl. */
describe('--tocsin.config.file (process)', () => {
  let dir: string;
  let configFile: string;
  let tocsinFile: string;
  let p: TocsinProcess | undefined;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-settings-'));
    configFile = path.join(dir, 'alertmanager.yml');
    tocsinFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, AM);
    writeFileSync(tocsinFile, GOOD);
    p = await startTocsin({ configFile, storagePath: path.join(dir, 'data'), args: [`--tocsin.config.file=${tocsinFile}`] });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const status = async () => (await (await fetch(`${p!.url}/api/v2/status`)).json()) as Status;

  it('GET /api/v2/status shows the loaded settings in its tocsin block; upstream fields are untouched', async () => {
    const s = await status();
    expect(s.tocsin.config?.file).toBe(tocsinFile);
    expect(s.tocsin.config?.original).toContain('resolved_after_mute: true');
    expect(s.tocsin.config?.original).toContain('after: 15m');
    expect((s as unknown as { config: { original: string } }).config.original).not.toContain('resolved_after_mute');
  });

  it('a broken tocsin.yml fails the reload with file:line:column and keeps both old files; a fixed one is taken', async () => {
    writeFileSync(tocsinFile, BAD);
    const bad = await fetch(`${p!.url}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    const text = await bad.text();
    expect(text).toContain(`${tocsinFile}:3:35: not a valid duration string: "often"`);
    expect(text).toContain(`${tocsinFile}:4:3: receiver "pagr" is not defined in alertmanager.yml`);
    const kept = await status();
    expect(kept.tocsin.lastReload.success).toBe(false);
    expect(kept.tocsin.config?.original).toContain('resolved_after_mute: true');

    // a receiver removed from alertmanager.yml that tocsin.yml still names fails the pair too
    writeFileSync(tocsinFile, GOOD);
    writeFileSync(configFile, 'route:\n  receiver: pager\nreceivers:\n  - name: pager\n');
    const dangling = await fetch(`${p!.url}/-/reload`, { method: 'POST' });
    expect(dangling.status).toBe(500);
    expect(await dangling.text()).toContain('escalation receiver "boss" is not defined in alertmanager.yml');

    writeFileSync(configFile, AM);
    writeFileSync(tocsinFile, GOOD.replace('15m', '20m'));
    const good = await fetch(`${p!.url}/-/reload`, { method: 'POST' });
    expect(good.status).toBe(200);
    expect((await status()).tocsin.config?.original).toContain('after: 20m');
  });

  it('tocsinctl check-config --tocsin.config.file checks both files', async () => {
    writeFileSync(path.join(dir, 'bad.yml'), BAD);
    const ok = await tocsinctlProcess(['check-config', `--tocsin.config.file=${tocsinFile}`, configFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Checking '${tocsinFile}'  SUCCESS`);
    const ko = await tocsinctlProcess(['check-config', '--tocsin.config.file', path.join(dir, 'bad.yml'), configFile]);
    expect(ko.code).not.toBe(0);
    expect(ko.stdout).toContain(`Checking '${configFile}'  SUCCESS`);
    expect(ko.stdout).toMatch(/bad\.yml'  FAILED: not a valid duration string: "often" \(and 1 more problem\)/);
    expect(ko.stderr).toContain('failed to validate 1 file(s)');
  });

  it('a broken tocsin.yml at start exits 1 naming file:line:column', async () => {
    writeFileSync(path.join(dir, 'bad.yml'), BAD);
    const q = await startTocsin({ configFile, storagePath: path.join(dir, 'data2'), args: [`--tocsin.config.file=${path.join(dir, 'bad.yml')}`] }).catch((e: unknown) => e as Error);
    expect(q).toBeInstanceOf(Error);
    expect(String((q as Error).message)).toContain('bad.yml:3:35');
  });
});
