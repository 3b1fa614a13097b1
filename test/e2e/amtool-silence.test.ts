/**
 * Issue 3 acceptance: the real `amtool` (Debian's /usr/bin/amtool) adds, queries, updates and expires silences
 * on the compiled Tocsin server (bin/tocsin, dist/), and a silenced alert sends nothing to a real webhook
 * receiver on loopback while an unsilenced one is delivered; once the silence is expired, the alert is sent.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Collector } from '../acceptance/support/timeline';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const execFileP = promisify(execFile);
const AMTOOL = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';

interface GettableSilence {
  id: string;
  status: { state: string };
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

describe('real amtool silences on Tocsin, with webhook delivery', () => {
  let dir: string;
  let tocsin: TocsinProcess | undefined;
  const co = new Collector('wh');

  const amtool = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileP(AMTOOL, [`--alertmanager.url=${tocsin!.url}`, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TZ: 'UTC', USER: 'e2e' },
      timeout: 15_000,
    });
    return stdout;
  };
  const received = (name: string) => co.batches.filter((b) => b.alerts.some((a) => a.labels.alertname === name));
  const push = async (...names: string[]) => {
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const r = await fetch(`${tocsin!.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(names.map((n) => ({ labels: { alertname: n, env: 'e2e' }, endsAt }))),
    });
    expect(r.status).toBe(200);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-amsil-'));
    await co.start();
    co.base = Date.now();
    const configFile = path.join(dir, 'tocsin.yml');
    writeFileSync(
      configFile,
      [
        'route:',
        '  receiver: wh',
        '  group_by: [alertname]',
        '  group_wait: 500ms',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: wh',
        '    webhook_configs:',
        `      - url: "${co.url}"`,
        '',
      ].join('\n'),
    );
    tocsin = await startTocsin({ configFile, storagePath: path.join(dir, 'data') });
  }, 120_000);
  afterAll(async () => {
    await tocsin?.stop();
    await co.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let id = '';

  it('amtool silence add creates a silence that amtool silence query lists', async () => {
    id = (await amtool('silence', 'add', 'alertname=Hushed', 'env=~"e2e|x"', '--comment=maintenance', '--author=ops', '--duration=1h')).trim();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await amtool('silence', 'query', '-q')).trim().split('\n')).toEqual([id]);
    const simple = await amtool('silence', 'query');
    expect(simple).toContain(id);
    expect(simple).toContain('alertname="Hushed" env=~"e2e|x"');
    expect(simple).toContain('ops');
    expect(simple).toContain('maintenance');
    const [s] = JSON.parse(await amtool('silence', 'query', '-o', 'json', 'alertname=Hushed')) as GettableSilence[];
    expect(s).toMatchObject({ id, createdBy: 'ops', comment: 'maintenance', status: { state: 'active' } });
    expect(Date.parse(s!.endsAt) - Date.parse(s!.startsAt)).toBeGreaterThan(3600_000 - 5_000);
  });

  it('amtool silence update edits the active silence in place', async () => {
    const out = await amtool('silence', 'update', id, '--duration=2h', '--comment=longer maintenance', '-o', 'json');
    const [u] = JSON.parse(out) as GettableSilence[];
    expect(u!.id).toBe(id);
    expect(u!.comment).toBe('longer maintenance');
    const [s] = JSON.parse(await amtool('silence', 'query', '-o', 'json')) as GettableSilence[];
    expect(s).toMatchObject({ id, comment: 'longer maintenance', status: { state: 'active' } });
    expect(Math.abs(Date.parse(s!.endsAt) - Date.parse(s!.startsAt) - 7200_000)).toBeLessThan(5_000);
  });

  it('a silenced alert sends nothing while an unsilenced one is delivered', async () => {
    await push('Hushed', 'Loud');
    await waitFor(async () => received('Loud').length > 0, { timeoutMs: 10_000, what: 'the unsilenced alert at the webhook' });
    // the Hushed group flushes every group_interval (1s); give it several chances to (wrongly) send
    await sleep(3000);
    expect(received('Hushed')).toEqual([]);
    const loud = received('Loud');
    expect(loud).toHaveLength(1);
    expect(loud[0]!.body).toMatchObject({ version: '4', status: 'firing', receiver: 'wh', groupLabels: { alertname: 'Loud' } });
    // the API and amtool report the alert as silenced by this silence
    const alerts = (await (await fetch(`${tocsin!.url}/api/v2/alerts?filter=alertname%3DHushed`)).json()) as {
      status: { state: string; silencedBy: string[] };
    }[];
    expect(alerts.map((a) => a.status)).toEqual([expect.objectContaining({ state: 'suppressed', silencedBy: [id] })]);
    expect(await amtool('alert', 'query', 'alertname=Hushed')).not.toContain('Hushed'); // silenced: hidden by default
    expect(await amtool('alert', 'query', '--silenced', 'alertname=Hushed')).toContain('Hushed');
  });

  it('amtool silence expire lifts the silence and the alert is delivered', async () => {
    expect(await amtool('silence', 'expire', id)).toBe('');
    expect((await amtool('silence', 'query', '-q')).trim()).toBe('');
    expect((await amtool('silence', 'query', '--expired', '-q')).trim()).toBe(id);
    await waitFor(async () => received('Hushed').length > 0, { timeoutMs: 10_000, what: 'the formerly silenced alert at the webhook' });
    const [b] = received('Hushed');
    expect(b!.alerts.map((a) => a.labels)).toEqual([{ alertname: 'Hushed', env: 'e2e' }]);
    expect(b!.body).toMatchObject({ status: 'firing', groupLabels: { alertname: 'Hushed' } });
    expect(received('Loud')).toHaveLength(1); // repeat_interval 1h: nothing re-sent
  });
});
