/**
 * Acks on replicas sharing PostgreSQL (bin/tocsin over a random database at 127.0.0.1:5432): an ack made on one
 * replica applies on the other within the refresh period (2 s), and one deleted there ends on the first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

describe('acks on PostgreSQL replicas', () => {
  let dir: string;
  let db: TestDatabase;
  const replicas: TocsinProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ack-ha-'));
    db = await createTestDatabase('tocsin_ack_ha');
    const configFile = path.join(dir, 'alertmanager.yml');
    writeFileSync(configFile, 'route: {receiver: team, group_by: [service], group_wait: 1h}\nreceivers: [{name: team}]\n');
    for (let i = 1; i <= 2; i++) {
      replicas.push(await startTocsin({ configFile, storagePath: path.join(dir, `unused-${i}`), args: [`--tocsin.storage.url=${db.url}`, `--tocsin.ha.replica-name=r${i}`] }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGKILL');
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const acks = async (r: TocsinProcess, q = ''): Promise<{ ackID: string; endReason?: string }[]> => (await fetch(`${r.url}/api/v2/tocsin/acks${q}`)).json() as Promise<{ ackID: string }[]>;

  it('an ack made on replica 1 applies on replica 2; deleted on replica 2, it ends on replica 1', async () => {
    const [r1, r2] = replicas as [TocsinProcess, TocsinProcess];
    for (const r of replicas) {
      const res = await fetch(`${r.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'Disk', service: 'db' } }]) });
      expect(res.status).toBe(200);
    }
    const res = await fetch(`${r1.url}/api/v2/tocsin/acks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ groupKey: '{}:{service="db"}', receiver: 'team', createdBy: 'alice', comment: 'on it' }),
    });
    expect(res.status).toBe(200);
    const { ackID } = (await res.json()) as { ackID: string };
    await waitFor(async () => (await acks(r2)).some((a) => a.ackID === ackID), { timeoutMs: 5000, what: 'the ack on replica 2' });
    const groups = (await (await fetch(`${r2.url}/api/v2/alerts/groups`)).json()) as { tocsinAck?: { ackID: string } }[];
    expect(groups.map((g) => g.tocsinAck?.ackID)).toEqual([ackID]);

    expect((await fetch(`${r2.url}/api/v2/tocsin/acks/${ackID}`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(async () => (await acks(r1)).length === 0, { timeoutMs: 5000, what: 'the ack ended on replica 1' });
    expect((await acks(r1, '?active=false')).map((a) => [a.ackID, a.endReason])).toEqual([[ackID, 'deleted']]);
  }, 30_000);
});
