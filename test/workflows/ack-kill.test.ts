/**
 * An ack answered 200 survives kill -9 of the real process: after a restart it is listed with its author and
 * comment, still applies to the group (tocsinAck on GET /api/v2/alerts/groups), and a delete is audited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

describe('ack durability', () => {
  let dir: string;
  let p: TocsinProcess | undefined;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-kill-ack-'));
    writeFileSync(path.join(dir, 'alertmanager.yml'), 'route: {receiver: default, group_by: [service], group_wait: 1h}\nreceivers:\n  - name: default\n');
  }, 120_000);
  afterAll(async () => {
    await p?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an acknowledged ack across SIGKILL', async () => {
    const opts = { configFile: path.join(dir, 'alertmanager.yml'), storagePath: path.join(dir, 'data') };
    p = await startTocsin(opts);
    const post = await fetch(`${p.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'Disk', service: 'db' } }]) });
    expect(post.status).toBe(200);
    const groupKey = '{}:{service="db"}';
    const r = await fetch(`${p.url}/api/v2/tocsin/acks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ groupKey, receiver: 'default', createdBy: 'alice', comment: 'disk swap under way' }),
    });
    expect(r.status).toBe(200);
    const { ackID } = (await r.json()) as { ackID: string };
    expect(await p.stop('SIGKILL')).toBeNull();

    p = await startTocsin(opts);
    const got = (await (await fetch(`${p.url}/api/v2/tocsin/acks/${ackID}`)).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ ackID, groupKey, receiver: 'default', createdBy: 'alice', comment: 'disk swap under way' });
    expect(got.endedAt).toBeUndefined();
    const groups = (await (await fetch(`${p.url}/api/v2/alerts/groups`)).json()) as { tocsinAck?: { ackID: string } }[];
    expect(groups.map((g) => g.tocsinAck?.ackID)).toEqual([ackID]);
    const del = await fetch(`${p.url}/api/v2/tocsin/acks/${ackID}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await p.stop('SIGKILL')).toBeNull();

    p = await startTocsin(opts);
    expect(await (await fetch(`${p.url}/api/v2/tocsin/acks`)).json()).toEqual([]);
    const all = (await (await fetch(`${p.url}/api/v2/tocsin/acks?active=false`)).json()) as Record<string, unknown>[];
    expect(all).toEqual([expect.objectContaining({ ackID, createdBy: 'alice', endReason: 'deleted' })]);
  }, 120_000);
});
