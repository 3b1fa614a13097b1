/**
 * GET /api/v2/tocsin/history/series (the History chart) on PostgreSQL, end to end: two replicas in-process on a
 * real PostgreSQL database (a random one, dropped after). The same stored story answers the same body as on
 * SQLite (test/history/series-api.test.ts), on either replica; and an alert posted to both replicas at once
 * (as Prometheus sends to every Alertmanager) is one alert firing in the chart, though each replica records it.
 */
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';
import { storyEvents, storyFiringBody, storyWindow, T0 } from './series-story';

interface SeriesBody {
  kind: string;
  by: string;
  since: string;
  until: string;
  stepSeconds: number;
  series: { name: string; values: number[]; failures?: number[] }[];
}

describe('history series API on PostgreSQL', () => {
  let db: TestDatabase;
  const apps: Harness[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = 'route: {receiver: none, group_by: [alertname], group_wait: 1h}\nreceivers: [{name: none}]\n';
    for (const replica of ['r1', 'r2']) {
      apps.push(
        await startApp({
          config,
          options: { ha: { url: db.url, replica, address: '127.0.0.1:0', leaseDuration: 10_000, alertPollInterval: 100 }, history: { enabled: true, retention: 30 * 24 * 3600_000, maxEvents: 0 } },
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db.drop();
  });

  const series = async (h: Harness, q: string): Promise<SeriesBody> => {
    const r = await fetch(`${h.url}/api/v2/tocsin/history/series?${q}`);
    expect(r.status).toBe(200);
    return (await r.json()) as SeriesBody;
  };

  it('answers the stored story as on SQLite, on either replica', async () => {
    await apps[0]!.app.core.history.storage.append(storyEvents());
    const window = storyWindow;
    for (const h of apps) {
      expect(await series(h, `kind=alerts&${window}`)).toEqual(storyFiringBody);
      expect((await series(h, `by=team&${window}`)).series).toEqual([{ name: 'db', values: [0, 1, 1, 1, 0] }]);
      expect((await series(h, `kind=notifications&${window}`)).series).toEqual([{ name: 'pager', values: [0, 2, 0, 0, 0], failures: [0, 1, 0, 0, 0] }]);
      // whole hours (the hourly counts)
      const day = `since=${new Date(T0 - 2 * 3600_000).toISOString()}&until=${new Date(T0 + 3600_000).toISOString()}&step=1h`;
      expect((await series(h, `kind=alerts&${day}`)).series).toEqual([{ name: 'DiskFull', values: [0, 0, 1] }]);
      expect((await series(h, `kind=notifications&${day}`)).series).toEqual([{ name: 'pager', values: [0, 0, 2], failures: [0, 0, 1] }]);
    }
    // a bad parameter is still a 400, not a 501
    const bad = await fetch(`${apps[1]!.url}/api/v2/tocsin/history/series?kind=nope`);
    expect(bad.status).toBe(400);
  });

  it('counts an alert posted to both replicas once, though each records it', async () => {
    const alert = [{ labels: { alertname: 'PgTwice', instance: 'a' } }];
    const [a, b] = await Promise.all(apps.map((h) => postAlerts(h.url, alert)));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const created = async () =>
      ((await (await fetch(`${apps[0]!.url}/api/v2/tocsin/history?kind=alert_created&filter=alertname%3D%22PgTwice%22`)).json()) as { events: unknown[] }).events.length;
    await waitFor(async () => (await created()) >= 1, { what: 'the alert_created event', timeoutMs: 10_000 });
    // both replicas' writers have committed what they recorded (each flushes within 200 ms)
    await new Promise((r) => setTimeout(r, 1000));
    const n = await created();
    expect(n).toBeGreaterThanOrEqual(1);
    for (const h of apps) {
      const body = await series(h, 'kind=alerts&since=10m&step=1m');
      expect(body.series.map((s) => [s.name, s.values.at(-1)])).toEqual([['PgTwice', 1]]);
    }
  }, 30_000);
});
