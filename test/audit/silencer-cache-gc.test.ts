import { postAlerts, startApp } from '../helpers/app-harness';

test('alerts removed by the alert GC leave the silencer cache', async () => {
  const h = await startApp();
  try {
    const past = new Date(Date.now() - 60_000).toISOString();
    const r = await postAlerts(h.url, [
      { labels: { alertname: 'Gone', n: '1' }, startsAt: past, endsAt: past },
      { labels: { alertname: 'Gone', n: '2' }, startsAt: past, endsAt: past },
      { labels: { alertname: 'Stays' } },
    ]);
    expect(r.status).toBe(200);
    const { alerts, silencer } = h.app.core;
    for (const a of alerts.all()) silencer.silencedBy(a.labels, a.fingerprint);
    expect(silencer.cacheSize).toBe(3);
    expect(alerts.gc()).toHaveLength(2);
    expect(silencer.cacheSize).toBe(1);
  } finally {
    await h.close();
  }
});
