import { join, resolve } from 'node:path';
import { runNotifierContract, standardGoldens } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, recordingLogger, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { MattermostNotifier } from './notifier';
import { buildMattermostRequest, MAX_TEXT_RUNES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/mattermost');
const SECRET = 'hooks/xx1mattermost0secret';

function mattermost(item: Record<string, unknown>, o: TestDepsOptions = {}, global: Record<string, unknown> = {}) {
  return new MattermostNotifier(integrationConfig('mattermost', item, global), templatedDeps(o));
}
const everyField = (url: string) => ({
  webhook_url: `${url}/${SECRET}`,
  channel: 'town-{{ .CommonLabels.job }}',
  username: 'bot',
  icon_url: 'https://img/i.png',
  icon_emoji: ':fire:',
  type: 'custom_alert',
  text: 'text {{ .Status }}',
  fallback: 'fb',
  color: '#FF0000',
  pretext: 'pre',
  author_name: 'am',
  author_link: 'https://am',
  author_icon: 'https://am/i.png',
  title: 'title <{{ len .Alerts }}>',
  title_link: 'https://am/#/alerts',
  fields: [
    { title: 'job', value: '{{ .CommonLabels.job }}', short: true },
    { title: 'sev', value: '{{ .CommonLabels.severity }}', short: false },
    { title: 'n', value: 'x' },
  ],
  thumb_url: 'https://img/t.png',
  footer: 'foot',
  footer_icon: 'https://img/f.png',
  image_url: 'https://img/x.png',
  props: { card: '**card** {{ .GroupLabels.alertname }}' },
  priority: { priority: 'Urgent', requested_ack: true, persistent_notifications: true },
});
const withAttachments = (url: string) => ({
  webhook_url: `${url}/${SECRET}`,
  text: 'top {{ .Status }}',
  attachments: [
    { title: 'first {{ .Status }}', text: 'a1', color: 'good', fields: [{ title: 't', value: 'v', short: false }] },
    { title: 'second', footer: 'f2' },
  ],
  priority: { priority: 'bogus', requested_ack: true, persistent_notifications: true },
});

runNotifierContract({
  name: 'mattermost',
  create: ({ url, userAgent, timeout, logger }) => mattermost({ webhook_url: `${url}/${SECRET}` }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  expectRequest: (r) => expect(r.url).toBe(`/${SECRET}`),
  goldens: [
    ...standardGoldens(GOLDEN, ({ url, userAgent, logger }) => mattermost(everyField(url), { userAgent, logger })),
    { name: 'attachments list, mixed', file: join(GOLDEN, 'attachments-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => mattermost(withAttachments(url), { userAgent, logger }) },
  ],
});

describe('MattermostNotifier', () => {
  const srv = useFakeReceiver();
  test('notify() uses global.mattermost_webhook_url; errors name the channel', async () => {
    srv.respond = () => ({ status: 400, body: 'bad' });
    const e = await mattermost({ channel: 'c1' }, {}, { mattermost_webhook_url: `${srv.url}/g` })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x as Error);
    expect(srv.requests[0]!.url).toBe('/g');
    expect((e as Error).message).toBe('channel "c1": unexpected status code 400: bad');
  });
  test('notify() logs the priority corrections', async () => {
    const rec = recordingLogger();
    await mattermost(withAttachments(srv.url), { logger: rec.logger }).notify(notifyContext(), FIRING);
    const log = rec.lines.join('');
    expect(log).toContain('Priority is set to standard due to invalid value');
    expect(log).toContain('RequestedAck is set to false due to priority is standard');
    expect(log).toContain('PersistentNotifications is set to false due to priority is not urgent');
    expect(JSON.parse(srv.requests[0]!.body).priority).toEqual({ priority: 'standard' });
  });
});

describe('buildMattermostRequest', () => {
  const r = { text: (s: string) => s };
  test('top-level text (attachments configured) is cut at 16383 runes', () => {
    const ok = buildMattermostRequest({ text: 'é'.repeat(MAX_TEXT_RUNES), attachments: [{}] }, r);
    expect(ok.warnings).toEqual([]);
    const cut = buildMattermostRequest({ text: 'é'.repeat(MAX_TEXT_RUNES + 1), attachments: [{}] }, r);
    expect(cut.warnings).toEqual(['Truncated text']);
    expect(cut.request.text).toBe(`${'é'.repeat(MAX_TEXT_RUNES - 1)}…`);
  });
  test('without attachments the text stays in the single attachment, uncut', () => {
    const b = buildMattermostRequest({ text: 'x'.repeat(MAX_TEXT_RUNES + 5) }, r);
    expect(b.request.text).toBeUndefined();
    expect((b.request.attachments as { text: string }[])[0]!.text).toHaveLength(MAX_TEXT_RUNES + 5);
  });
  test('priority and props only when configured; important keeps requested_ack but not persistent', () => {
    expect(buildMattermostRequest({}, r).request).toEqual({ attachments: [{}] });
    const b = buildMattermostRequest({ priority: { priority: 'IMPORTANT', requested_ack: true, persistent_notifications: true }, props: { card: 'c' } }, r);
    expect(b.request.priority).toEqual({ priority: 'important', requested_ack: true });
    expect(b.request.props).toEqual({ card: 'c' });
  });
});
