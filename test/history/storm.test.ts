/**
 * An alert storm through the app in-process (real SQLite, the history's writer thread): 6000 new alerts in one
 * POST record 6000 events (AlertCreated, each with its grouping), a burst (src/history/batch-writer.ts), which is
 * written once it is over. The
 * metric tocsin_history_events_pending shows the history catching up, and when it reads 0 every alert has its
 * alert_created and alert_grouped events, one time for both, in the group its labels route it to.
 */
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

const CONFIG = `
route: {receiver: default, group_by: [group], group_wait: 1h, group_interval: 1h}
receivers: [{name: default}]
`;

const N = 6000;

interface WireEvent {
  time: string;
  kind: string;
  fingerprint?: string;
  groupKey?: string;
  receiver?: string;
}

async function pending(h: Harness): Promise<number | undefined> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const m = /^tocsin_history_events_pending (\S+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('history in an alert storm', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp({ config: CONFIG });
  });
  afterAll(async () => {
    await h.close();
  });

  it('catches up after the storm: every new alert is created and grouped, and nothing is left pending', async () => {
    // the startup event may still wait for its batch
    expect(await pending(h)).toBeGreaterThanOrEqual(0);
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const alerts = Array.from({ length: N }, (_, i) => ({ labels: { alertname: 'Storm', group: `g${i % 10}`, instance: `host-${i}` }, endsAt }));
    const res = await postAlerts(h.url, alerts);
    expect(res.status).toBe(200);

    await waitFor(async () => (await pending(h)) === 0, { timeoutMs: 20_000, intervalMs: 20, what: 'the history to catch up' });
    // the startup event and the storm's two events per alert (created and grouped, stored as one row each)
    expect(await h.app.core.history.storage.count()).toBe(1 + 2 * N);

    for (const i of [0, 1234, N - 1]) {
      const r = await fetch(`${h.url}/api/v2/tocsin/history?filter=${encodeURIComponent(`instance="host-${i}"`)}`);
      const { events } = (await r.json()) as { events: WireEvent[] };
      expect(events.map((e) => e.kind)).toEqual(['alert_grouped', 'alert_created']);
      expect(events[0]!.time).toBe(events[1]!.time);
      expect(events[0]!.groupKey).toBe(`{}:{group="g${i % 10}"}`);
      expect(events[0]!.receiver).toBe('default');
    }
  });
});
