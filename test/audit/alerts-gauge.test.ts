/**
 * Issue 11 item 5: `alertmanager_alerts{state}` agrees with GET /api/v2/alerts before the groups flush. It read
 * the marker, which only the pipeline wrote at a group's flush, so 15,000 of 20,000 fresh alerts showed as
 * unprocessed while the API (which computes the state per request) listed them active or suppressed.
 */
import { HELD_GROUPS_INHIBIT_CONFIG, postAlerts, startApp } from '../helpers/app-harness';

interface ApiAlert {
  status: { state: string };
}

async function gauge(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^alertmanager_alerts\{state="(\w+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function apiStates(url: string): Promise<Record<string, number>> {
  const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as ApiAlert[];
  const out: Record<string, number> = { active: 0, suppressed: 0, unprocessed: 0 };
  for (const a of alerts) out[a.status.state] = (out[a.status.state] ?? 0) + 1;
  return out;
}

test('alertmanager_alerts{state} matches GET /api/v2/alerts while every group waits for its first flush', async () => {
  const h = await startApp({ config: HELD_GROUPS_INHIBIT_CONFIG });
  try {
    const now = Date.now();
    h.app.core.silences.set({
      matcherSets: [[{ type: '=~', name: 'instance', value: 'w-[0-4]' }]],
      startsAt: 0,
      endsAt: now + 3600_000,
      createdBy: 'test',
      comment: 'silence five warnings',
    });
    const endsAt = new Date(now + 3600_000).toISOString();
    const alerts = [
      // c0's source inhibits the warnings of c0; c1 has no source
      { labels: { alertname: 'Source', severity: 'critical', cluster: 'c0', instance: 'src' }, endsAt },
      ...Array.from({ length: 20 }, (_, i) => ({ labels: { alertname: 'Target', severity: 'warning', cluster: `c${i % 2}`, instance: `w-${i}` }, endsAt })),
      // resolved: counted by neither
      { labels: { alertname: 'Old', instance: 'old' }, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now - 1000).toISOString() },
    ];
    expect((await postAlerts(h.url, alerts)).status).toBe(200);
    const api = await apiStates(h.url);
    // suppressed: w-0..w-4 silenced, and w-6, w-8, ..., w-18 inhibited; active: the source and w-5, w-7, ..., w-19
    expect(api).toEqual({ active: 1 + 8, suppressed: 5 + 7, unprocessed: 0 });
    expect(await gauge(h.url)).toEqual(api);
  } finally {
    await h.close();
  }
});
