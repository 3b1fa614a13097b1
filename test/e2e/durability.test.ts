import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

/** Every alert acknowledged with 200 survives `kill -9` and a restart. */
describe('alert durability', () => {
  let dir: string;
  let p: TocsinProcess | undefined;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-kill-'));
    writeFileSync(path.join(dir, 'tocsin.yml'), 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
  }, 120_000);
  afterAll(async () => {
    await p?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged alert across SIGKILL', async () => {
    const opts = { configFile: path.join(dir, 'tocsin.yml'), storagePath: path.join(dir, 'data') };
    p = await startTocsin(opts);
    const acked = new Set<string>();
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    // a stream of batches; kill -9 while requests are still in flight
    let stop = false;
    const sender = (async () => {
      for (let b = 0; !stop; b++) {
        const batch = Array.from({ length: 50 }, (_, i) => ({ labels: { alertname: 'Durable', instance: `i-${b}-${i}` }, endsAt }));
        try {
          const r = await fetch(`${p!.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch) });
          if (r.status === 200) for (const a of batch) acked.add(a.labels.instance);
        } catch {
          return; // the server is gone
        }
      }
    })();
    while (acked.size < 2000) await new Promise((r) => setTimeout(r, 20));
    const code = await p.stop('SIGKILL');
    stop = true;
    await sender;
    expect(code).toBeNull(); // killed by the signal, no graceful shutdown

    p = await startTocsin(opts);
    const r = await fetch(`${p.url}/api/v2/alerts?filter=alertname%3DDurable`);
    const got = new Set(((await r.json()) as { labels: { instance: string } }[]).map((a) => a.labels.instance));
    const missing = [...acked].filter((i) => !got.has(i));
    expect(missing).toEqual([]);
    expect(got.size).toBeGreaterThanOrEqual(acked.size);
  });
});
