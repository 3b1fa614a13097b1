import { type FakeReceiver, startFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, notifyContext, templatedDeps } from '../testing/fixtures';
import { PagerDutyNotifier } from './notifier';

let rx: FakeReceiver;
beforeAll(async () => {
  rx = await startFakeReceiver();
});
afterAll(() => rx.close());

test('pagerduty details: rendered values decode as YAML 1.1, as upstream (go-yaml v2)', async () => {
  rx.respond = () => ({ status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success"}' });
  const details = {
    yes: '{{ "yes" }}',
    off: '{{ "off" }}',
    tilde: '{{ "~" }}',
    hex: '{{ "0x1F" }}',
    nested: { '{{ "k" }}': '[{{ "y" }}, {{ len .Alerts }}]' },
    text: '{{ .Receiver }}',
  };
  const n = new PagerDutyNotifier(integrationConfig('pagerduty', { routing_key: 'k', url: `${rx.url}/v2/enqueue`, details }), templatedDeps());
  await n.notify(notifyContext(), FIRING);
  const sent = JSON.parse(rx.requests[0]!.body).payload.custom_details;
  expect(sent).toMatchObject({ yes: true, off: false, tilde: null, hex: 31, nested: { k: [true, FIRING.length] }, text: 'team-a' });
});
