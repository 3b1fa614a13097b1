import { notifierFactories } from '../notifiers/registry';
import { type FakeReceiver, startFakeReceiver } from '../notifiers/testing/fake-receiver';
import { EXTERNAL_URL, FIRING, integrationConfig, notifyContext } from '../notifiers/testing/fixtures';
import { TemplateSet } from '../templates/template-set';
import { silentLogger } from '../types/logger';
import { notifierRendering } from './notifier-rendering';

let rx: FakeReceiver;
beforeAll(async () => {
  rx = await startFakeReceiver();
});
afterAll(() => rx.close());
beforeEach(() => rx.reset());

/** A real template set whose renderText/renderHtml record the data object each call got. */
function recordingTemplates(): { templates: TemplateSet; data: unknown[] } {
  const templates = TemplateSet.fromSources([]);
  const data: unknown[] = [];
  const text = templates.renderText.bind(templates);
  const html = templates.renderHtml.bind(templates);
  jest.spyOn(templates, 'renderText').mockImplementation((t, d) => {
    data.push(d);
    return text(t, d);
  });
  jest.spyOn(templates, 'renderHtml').mockImplementation((t, d) => {
    data.push(d);
    return html(t, d);
  });
  return { templates, data };
}

describe('notifierRendering()', () => {
  test('builds the template data once per notification, however many fields are templated', async () => {
    const { templates, data } = recordingTemplates();
    const deps = { externalURL: EXTERNAL_URL, userAgent: 'Alertmanager/test', logger: silentLogger(), ...notifierRendering(templates, EXTERNAL_URL) };
    const payload: Record<string, string> = {};
    for (let i = 0; i < 20; i++) payload[`field${i}`] = `{{ .Receiver }}-${i}`;
    const webhook = notifierFactories.webhook!(integrationConfig('webhook', { url: `${rx.url}/hook`, payload }), deps);
    const slack = notifierFactories.slack!(integrationConfig('slack', { api_url: `${rx.url}/slack`, channel: '#{{ .CommonLabels.job }}' }), deps);

    const ctx = notifyContext();
    await webhook.notify(ctx, FIRING);
    expect(JSON.parse(rx.requests[0]!.body).field19).toBe('team-a-19');
    expect(data.length).toBeGreaterThan(20);
    expect(new Set(data).size).toBe(1);

    // another notification (its own context): its own data, again built once for all the Slack fields
    data.length = 0;
    rx.respond = () => ({ status: 200, body: 'ok' });
    await slack.notify(notifyContext(), FIRING);
    expect(JSON.parse(rx.requests[1]!.body).channel).toBe('#api');
    expect(data.length).toBeGreaterThan(5);
    expect(new Set(data).size).toBe(1);
  });

  test('a different alert list in the same context gets its own data', () => {
    const { templates, data } = recordingTemplates();
    const r = notifierRendering(templates, EXTERNAL_URL);
    const ctx = notifyContext();
    expect(r.renderText('{{ len .Alerts }}', ctx, FIRING)).toBe(String(FIRING.length));
    expect(r.renderText('{{ len .Alerts }}', ctx, FIRING.slice(1))).toBe(String(FIRING.length - 1));
    expect(r.renderHtml('{{ len .Alerts }}', ctx, FIRING.slice(1))).toBe(String(FIRING.length - 1));
    expect(new Set(data).size).toBe(3);
  });
});
