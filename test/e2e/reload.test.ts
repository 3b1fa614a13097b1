import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const GOOD = 'route:\n  receiver: first\nreceivers:\n  - name: first\n';
const BROKEN = 'route:\n  receiver: missing\nreceivers:\n  - name: first\n    bogus_key: 1\n';

/** Reload of the real process: SIGHUP and POST /-/reload; a broken file keeps the old config running. */
describe('config reload (process)', () => {
  let dir: string;
  let configFile: string;
  let p: TocsinProcess | undefined;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-reload-'));
    configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(configFile, GOOD);
    p = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const receivers = async () => ((await (await fetch(`${p!.url}/api/v2/receivers`)).json()) as { name: string }[]).map((r) => r.name);
  const reloadOk = async () => {
    const m = await (await fetch(`${p!.url}/metrics`)).text();
    return /^alertmanager_config_last_reload_successful (\d)/m.exec(m)?.[1];
  };

  it('SIGHUP with a broken file keeps the old config; a fixed file is picked up', async () => {
    writeFileSync(configFile, BROKEN);
    p!.child.kill('SIGHUP');
    await waitFor(async () => (await reloadOk()) === '0', { what: 'failed reload to be recorded' });
    expect(await receivers()).toEqual(['first']);
    expect(p!.output()).toMatch(/level=error msg="Loading configuration file failed".*missing/);

    writeFileSync(configFile, GOOD.replace(/first/g, 'second'));
    p!.child.kill('SIGHUP');
    await waitFor(async () => (await receivers())[0] === 'second', { what: 'SIGHUP reload' });
    expect(await reloadOk()).toBe('1');
  });

  it('POST /-/reload answers 500 with the errors for a broken file and 200 for a good one', async () => {
    writeFileSync(configFile, BROKEN);
    const bad = await fetch(`${p!.url}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    const text = await bad.text();
    expect(text).toMatch(/^failed to reload config: /);
    expect(text).toContain('bogus_key');
    expect(await receivers()).toEqual(['second']);

    writeFileSync(configFile, GOOD);
    const good = await fetch(`${p!.url}/-/reload`, { method: 'POST' });
    expect(good.status).toBe(200);
    expect(await receivers()).toEqual(['first']);
  });

  it('stops gracefully on SIGTERM', async () => {
    const code = await p!.stop('SIGTERM');
    expect(code).toBe(0);
    expect(p!.output()).toContain('See you next time!');
  });
});
