/**
 * History on PostgreSQL, through the app in-process: two replicas on one real PostgreSQL database (a random one,
 * dropped after). An alert posted to one replica is notified through a real webhook; the history API of EITHER
 * replica shows its whole story (created, grouped, notified), because every replica writes to the one table.
 */
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

interface WireEvent {
  kind: string;
  fingerprint?: string;
  receiver?: string;
  data?: Record<string, unknown>;
}

describe('history on PostgreSQL', () => {
  let db: TestDatabase;
  let hook: FakeReceiver;
  const apps: Harness[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    hook = await startFakeReceiver();
    const config = `
route: {receiver: hook, group_by: [alertname], group_wait: 50ms, group_interval: 1h}
receivers:
  - name: hook
    webhook_configs: [{url: '${hook.url}/notify'}]
`;
    for (const replica of ['r1', 'r2']) {
      apps.push(
        await startApp({
          config,
          options: { ha: { url: db.url, replica, address: `127.0.0.1:0`, leaseDuration: 10_000, alertPollInterval: 100 }, history: { enabled: true, retention: 3600_000, maxEvents: 0 } },
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    for (const a of apps) await a.close();
    await hook.close();
    await db.drop();
  });

  const history = async (h: Harness, q: string): Promise<WireEvent[]> => ((await (await fetch(`${h.url}/api/v2/tocsin/history?${q}`)).json()) as { events: WireEvent[] }).events;

  it('a query on any replica sees the events recorded by every replica', async () => {
    expect((await postAlerts(apps[0]!.url, [{ labels: { alertname: 'PgDisk' } }])).status).toBe(200);
    await waitFor(async () => hook.requests.length > 0, { what: 'the notification', timeoutMs: 20_000 });
    for (const h of apps) {
      const notes = await waitFor(async () => {
        const n = await history(h, 'kind=notification&receiver=hook');
        return n.length > 0 && n;
      }, { what: 'the notification event', timeoutMs: 10_000 });
      expect(notes[0]!.data).toMatchObject({ outcome: 'success', status: 200, integration: 'webhook' });
      const story = await history(h, 'filter=alertname%3D%22PgDisk%22');
      expect(story.map((e) => e.kind)).toEqual(expect.arrayContaining(['alert_created', 'alert_grouped']));
    }
    // both replicas started: two startup events in the one table (each replica's writer commits in its own batches)
    await waitFor(async () => (await history(apps[1]!, 'kind=alertmanager_startup')).length === 2, { what: 'both startup events', timeoutMs: 10_000 });
    expect((await history(apps[0]!, 'kind=alertmanager_startup')).length).toBe(2);
  }, 60_000);
});
