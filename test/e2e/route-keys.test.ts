import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

/**
 * A `match_re` route's key in what the receivers get, against what the real Alertmanager 0.25 sent for this config
 * and alert (captured with a loopback server): upstream builds the matcher from the compiled regexp's String(),
 * `^(?:.*)$`, so a team moving from Alertmanager keeps its webhook groupKey, PagerDuty dedup_key and Opsgenie alias
 * (and can resolve the incidents Alertmanager opened).
 */
describe('match_re route keys in notifications (as Alertmanager 0.25 sent them)', () => {
  const GROUP_KEY = '{}/{alertname=~"^(?:.*)$",team="z"}:{alertname="X"}';
  const SHA = 'e3ce32543e902b1323e3e469c852e4744e2d4f96d4399f98b7db26e4d4b4d96b';
  let srv: FakeReceiver;
  let h: Harness;

  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = () => ({ status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    h = await startApp({
      config: `route:
  receiver: default
  group_by: [alertname]
  routes:
    - receiver: hook
      match_re:
        alertname: '.*'
      match:
        team: z
      group_wait: 0s
receivers:
  - name: default
  - name: hook
    webhook_configs:
      - url: ${srv.url}/webhook
    pagerduty_configs:
      - routing_key: rk
        url: ${srv.url}/pd
    opsgenie_configs:
      - api_key: k
        api_url: ${srv.url}/og/
`,
    });
  });
  afterAll(async () => {
    await h?.close();
    await srv?.close();
  });

  test('webhook groupKey, PagerDuty dedup_key and Opsgenie alias', async () => {
    expect((await postAlerts(h.url, [{ labels: { alertname: 'X', team: 'z' } }])).status).toBe(200);
    await waitFor(async () => srv.requests.length >= 3, { what: 'three notifications' });
    const body = (path: string) => JSON.parse(srv.requests.find((r) => r.url === path)!.body) as Record<string, unknown>;
    expect(body('/webhook').groupKey).toBe(GROUP_KEY);
    expect(body('/pd').dedup_key).toBe(SHA);
    expect(body('/og/v2/alerts').alias).toBe(SHA);
  });
});
