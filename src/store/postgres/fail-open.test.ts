import { NOW, testAlert, testSilence } from '../storage-contract';
import { PgStorage } from './pg-storage';
import type { SilenceChange } from './silences';
import { startPrivateServer, type PrivateServer } from './testing/private-server';

async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('PostgreSQL stopped and started again (own server)', () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivateServer();
  }, 120_000);
  afterAll(() => server?.destroy());

  test('no crash while it is down: queries reject, the listener retries; afterwards everything works and nothing stored is lost', async () => {
    const o = { url: server.url, connectTimeout: 1000, queryTimeout: 5000, max: 3 };
    const r1 = await PgStorage.open({ ...o, replica: 'r1' });
    const r2 = await PgStorage.open({ ...o, replica: 'r2' });
    const seen: SilenceChange[] = [];
    let resyncs = 0;
    const listener = r1.watchSilences((c) => seen.push(c), () => resyncs++, { heartbeat: 200, reconnectMax: 300 });
    try {
      expect(await listener.start()).toBe(true);
      await r1.alerts.merge([testAlert('0000000000000001')], NOW);
      await r2.silences.put([{ silence: testSilence('before'), expiresAt: NOW }]);
      await waitFor(() => seen.length === 1, 2000, 'the first notification');

      server.stop();
      await waitFor(() => !listener.connected, 3000, 'the listener noticing');
      await expect(r1.alerts.merge([testAlert('0000000000000002')], NOW)).rejects.toThrow();
      await expect(r2.silences.put([{ silence: testSilence('lost'), expiresAt: NOW }])).rejects.toThrow();
      // a while down: the listener keeps retrying, the pools drop their dead connections, nothing throws
      await new Promise((r) => setTimeout(r, 1000));
      expect(resyncs).toBe(0);

      server.start();
      await waitFor(() => listener.connected && resyncs === 1, 10_000, 'the listener reconnecting with a resync');
      expect((await r1.alerts.loadAll()).map((a) => a.fingerprint)).toEqual(['0000000000000001']);
      await r2.silences.put([{ silence: testSilence('after'), expiresAt: NOW }]);
      await waitFor(() => seen.some((c) => c.ids !== 'all' && c.ids.includes('after')), 2000, 'a notification after the restart');
      expect((await r1.silences.loadAll()).map((s) => s.silence.id).sort()).toEqual(['after', 'before']);
    } finally {
      await listener.stop();
      await r1.close();
      await r2.close();
    }
  }, 60_000);
});
