import { type FakeReceiver, startFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, notifyContext, templatedDeps } from '../testing/fixtures';
import { WebhookNotifier } from './notifier';

let rx: FakeReceiver;
beforeAll(async () => {
  rx = await startFakeReceiver();
});
afterAll(() => rx.close());

test('webhook payload: rendered leaves decode as YAML 1.1, as upstream (go-yaml v2)', async () => {
  const payload = {
    yes: '{{ "yes" }}',
    on: '{{ "on" }}',
    no: '{{ "no" }}',
    tilde: '{{ "~" }}',
    octal: '{{ "0777" }}',
    int: '{{ len .Alerts }}',
    float: '{{ "1e3" }}',
    date: '{{ "2024-01-01" }}',
    text: '{{ .Receiver }}',
  };
  const render = templatedDeps().render;
  const n = new WebhookNotifier(integrationConfig('webhook', { url: `${rx.url}/hook`, payload }), {
    externalURL: '',
    userAgent: 'Alertmanager/test',
    renderUrl: (text, ctx, alerts) => render(ctx, alerts).text(text),
  });
  await n.notify(notifyContext(), FIRING);
  expect(rx.requests[0]!.body).toBe(
    `{"date":"2024-01-01","float":1000,"int":${FIRING.length},"no":false,"octal":511,"on":true,"text":"team-a","tilde":null,"yes":true}\n`,
  );
});
