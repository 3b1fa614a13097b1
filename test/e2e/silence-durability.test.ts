import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

/**
 * Silences created by concurrent POSTs share a group commit (src/silence/group-commit.ts): every one acknowledged
 * with 200 survives `kill -9` and a restart, unchanged.
 */
describe('silence durability with group commit', () => {
  let dir: string;
  let p: TocsinProcess | undefined;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-kill-sil-'));
    writeFileSync(path.join(dir, 'tocsin.yml'), 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
  }, 120_000);
  afterAll(async () => {
    await p?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged silence of concurrent POSTs across SIGKILL', async () => {
    const opts = { configFile: path.join(dir, 'tocsin.yml'), storagePath: path.join(dir, 'data') };
    p = await startTocsin(opts);
    const acked = new Map<string, string>(); // silenceID -> comment
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    let stop = false;
    let n = 0;
    // 16 clients posting at once, so that POSTs arrive together and share commits; kill -9 with POSTs in flight
    const client = async () => {
      while (!stop) {
        const comment = `c-${n++}`;
        const body = { matchers: [{ name: 'instance', value: comment, isRegex: false }], startsAt: new Date().toISOString(), endsAt, createdBy: 't', comment };
        try {
          const r = await fetch(`${p!.url}/api/v2/silences`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          if (r.status === 200) acked.set(((await r.json()) as { silenceID: string }).silenceID, comment);
          else throw new Error(`POST answered ${r.status}`);
        } catch (e) {
          if (!stop && (e as Error).message.startsWith('POST answered')) throw e;
          return; // the server is gone
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    while (acked.size < 1500) await new Promise((r) => setTimeout(r, 10));
    const code = await p.stop('SIGKILL');
    stop = true;
    await Promise.all(clients);
    expect(code).toBeNull(); // killed by the signal, no graceful shutdown

    p = await startTocsin(opts);
    const r = await fetch(`${p.url}/api/v2/silences`);
    const got = new Map(((await r.json()) as { id: string; comment: string }[]).map((s) => [s.id, s.comment]));
    const missing = [...acked].filter(([id, comment]) => got.get(id) !== comment);
    expect(missing).toEqual([]);
  }, 120_000);
});
