/**
 * Re-created from upstream api_test.go and utf8_test.go (reference §14.5, §14.7): status over HTTP at read
 * time, GET /api/v2/alerts/groups shape and filters, UTF-8 routes.
 */
import { AppAlertmanager } from './support/app-backend';
import { describeScenarios, runScenario } from './support/run';
import { alert, between, Collector } from './support/timeline';

async function withAm<T>(yaml: string, fn: (am: AppAlertmanager, co: Collector) => Promise<T>): Promise<T> {
  const co = new Collector('wh');
  await co.start();
  const am = new AppAlertmanager(yaml, [co]);
  await am.start();
  am.base = Date.now();
  try {
    return await fn(am, co);
  } finally {
    await am.stop();
    await co.stop();
  }
}

const statusConf = `
route: {receiver: default, group_wait: 1s, group_interval: 10m, repeat_interval: 1h}
receivers: [{name: default, webhook_configs: [{url: "{{wh}}"}]}]
inhibit_rules:
  - source_match: {severity: critical}
    target_match: {severity: warning}
    equal: [alertname]
`;

type Gettable = { labels: Record<string, string>; fingerprint: string; receivers: { name: string }[]; status: { state: string; inhibitedBy: string[]; silencedBy: string[]; mutedBy: string[] } };
type Group = { labels: Record<string, string>; receiver: { name: string }; routeLabels: Record<string, string>; alerts: Gettable[] };

describeScenarios('acceptance: api', {
  'TestAlertGetReturnsCurrentAlertStatus (inhibition part) and the groups API': () =>
    withAm(statusConf, async (am) => {
      const now = Date.now();
      const post = (labels: Record<string, string>) =>
        fetch(`${am.url}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([{ labels, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() }]),
        });
      expect((await post({ alertname: 'test1', severity: 'warning' })).status).toBe(200);
      let alerts = (await am.get('/api/v2/alerts')).json as Gettable[];
      expect(alerts.map((a) => a.status.state)).toEqual(['active']);
      expect(alerts[0]!.receivers).toEqual([{ name: 'default' }]);
      expect((await post({ alertname: 'test1', severity: 'critical' })).status).toBe(200);
      alerts = (await am.get('/api/v2/alerts')).json as Gettable[];
      const warning = alerts.find((a) => a.labels.severity === 'warning')!;
      const critical = alerts.find((a) => a.labels.severity === 'critical')!;
      expect(warning.status).toEqual({ state: 'suppressed', inhibitedBy: [critical.fingerprint], silencedBy: [], mutedBy: [] });
      expect(critical.status.state).toBe('active');

      const groups = (await am.get('/api/v2/alerts/groups')).json as Group[];
      expect(groups).toHaveLength(1);
      expect(groups[0]!.labels).toEqual({});
      expect(groups[0]!.receiver).toEqual({ name: 'default' });
      expect(groups[0]!.routeLabels).toEqual({});
      expect(groups[0]!.alerts.map((a) => a.labels.severity).sort()).toEqual(['critical', 'warning']);
      const notInhibited = (await am.get('/api/v2/alerts/groups?inhibited=false')).json as Group[];
      expect(notInhibited[0]!.alerts.map((a) => a.labels.severity)).toEqual(['critical']);
      const filtered = (await am.get('/api/v2/alerts/groups?filter=severity%3D%22warning%22')).json as Group[];
      expect(filtered[0]!.alerts).toHaveLength(1);
      expect((await am.get('/api/v2/alerts/groups?receiver=nope')).json).toEqual([]);
      const bad = await am.get('/api/v2/alerts/groups?receiver=(');
      expect(bad.status).toBe(400);
      expect(String(bad.json)).toMatch(/^failed to parse receiver param: /);
      expect((await am.get('/api/v2/alerts/groups?filter=%7Bfoo')).status).toBe(400);
    }),

  'TestFilterAlertRequest: equal label missing on the source side means no inhibition': () =>
    withAm(statusConf, async (am) => {
      const now = Date.now();
      await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { labels: { alertname: 'test1', severity: 'warning' }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() },
          { labels: { system: 'foo', severity: 'critical' }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() },
        ]),
      });
      const r = (await am.get('/api/v2/alerts?filter=alertname=test1&filter=severity=warning')).json as Gettable[];
      expect(r).toHaveLength(1);
      expect(r[0]!.status.state).toBe('active');
    }),
});

describeScenarios('acceptance: utf8', {
  'TestAddUTF8Alerts: groups API returns and filters UTF-8 labels': () =>
    withAm(`route: {receiver: default, group_wait: 1s, group_interval: 10m, repeat_interval: 1h}\nreceivers: [{name: default}]\n`, async (am) => {
      const labels = { a: 'a', '00': 'b', 'Σ': 'c', '🙂': 'dΘ' };
      const now = Date.now();
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString() }]),
      });
      expect(res.status).toBe(200);
      const groups = (await am.get('/api/v2/alerts/groups')).json as Group[];
      expect(groups).toHaveLength(1);
      expect(groups[0]!.alerts[0]!.labels).toEqual(labels);
      for (const f of ['00=b', 'Σ=c', '"\\xf0\\x9f\\x99\\x82"=dΘ']) {
        const g = (await am.get(`/api/v2/alerts/groups?filter=${encodeURIComponent(f)}`)).json as Group[];
        expect(g).toHaveLength(1);
      }
    }),

  'TestSendAlertsToUTF8Route': () =>
    runScenario({
      config: `
route:
  receiver: default
  routes:
    - receiver: webhook
      matchers: ['foo🙂=bar']
      group_by: ['foo🙂']
      group_wait: 1s
receivers:
  - name: default
  - name: webhook
    webhook_configs:
      - url: "{{wh}}"
`,
      collectors: ['wh'],
      define({ am, tl, co }) {
        tl.at(1, () => am.push(alert('foo🙂', 'bar').active(1)));
        co.wh!.want(between(2, 2.5), alert('foo🙂', 'bar').active(1));
      },
    }),
});
