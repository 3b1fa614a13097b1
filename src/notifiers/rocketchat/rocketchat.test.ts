import { resolve } from 'node:path';
import type { NotifyError } from '../../types/errors';
import { runNotifierContract, standardGoldens } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, notifyContext, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { RocketchatNotifier } from './notifier';
import { buildRocketchatMessage, MAX_TITLE_RUNES, postMessageUrl } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/rocketchat');
const TOKEN = 'rc-token-2f9d8c';
const TOKEN_ID = 'rc-user-77ab';
const OK = { body: '{"success":true}', headers: { 'content-type': 'application/json' } };

function rocketchat(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new RocketchatNotifier(integrationConfig('rocketchat', { token: TOKEN, token_id: TOKEN_ID, send_resolved: true, ...item }), templatedDeps(o));
}
const everyField = (url: string) => ({
  api_url: `${url}/chat/`,
  channel: '#alerts-{{ .CommonLabels.job }}',
  color: '{{ if eq .Status "firing" }}#f00{{ else }}#0f0{{ end }}',
  title: '{{ .Status | toUpper }} <{{ .GroupLabels.alertname }}>',
  title_link: 'https://am/x',
  text: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}',
  fields: [{ title: 'job', value: '{{ .CommonLabels.job }}' }, { title: 'sev', value: '{{ .CommonLabels.severity }}', short: false }],
  short_fields: true,
  emoji: ':fire:',
  icon_url: 'https://img/a.png',
  image_url: 'https://img/i.png',
  thumb_url: 'https://img/t.png',
  actions: [{ text: 'Runbook', url: 'https://rb/{{ .CommonLabels.job }}' }, { text: 'Ack', msg: 'ack {{ .GroupLabels.alertname }}' }],
});

runNotifierContract({
  name: 'rocketchat',
  create: ({ url, userAgent, timeout, logger }) => rocketchat({ api_url: url }, { userAgent, logger, timeout }),
  secrets: [TOKEN, TOKEN_ID],
  okResponse: OK,
  expectRequest: (r) => {
    expect(r.url).toBe('/api/v1/chat.postMessage');
    expect(r.headers['x-auth-token']).toBe(TOKEN);
    expect(r.headers['x-user-id']).toBe(TOKEN_ID);
  },
  goldens: standardGoldens(GOLDEN, ({ url, userAgent, logger }) => rocketchat(everyField(url), { userAgent, logger })),
});

describe('RocketchatNotifier', () => {
  const srv = useFakeReceiver();
  test('notify() fails (not retried) on {"success":false} and on a non-JSON 200', async () => {
    srv.respond = () => ({ status: 200, body: `{"success":false,"error":"error-invalid-channel ${TOKEN}"}` });
    const e = (await rocketchat({ api_url: srv.url, channel: 'c' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('channel "c": error response from Rocketchat: error-invalid-channel <secret>');
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('clientError');
    srv.respond = () => ({ status: 200, body: 'ok' });
    const e2 = (await rocketchat({ api_url: srv.url }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e2.message).toMatch(/^channel "": could not unmarshal JSON response "ok"/);
  });
});

describe('buildRocketchatMessage', () => {
  const r = { text: (s: string) => s };
  test('title is cut at 1024 runes', () => {
    expect(buildRocketchatMessage({ title: 'é'.repeat(MAX_TITLE_RUNES) }, r).titleTruncated).toBe(false);
    const b = buildRocketchatMessage({ title: 'é'.repeat(MAX_TITLE_RUNES + 1) }, r);
    expect(b.titleTruncated).toBe(true);
    expect((b.message.attachments as { title: string }[])[0]!.title).toBe(`${'é'.repeat(MAX_TITLE_RUNES - 1)}…`);
  });
  test('an empty config still sends one (empty) attachment', () => {
    expect(JSON.stringify(buildRocketchatMessage({}, r).message)).toBe('{"attachments":[{}]}');
  });
  test('URL: api_url joined with api/v1/chat.postMessage', () => {
    expect(postMessageUrl('https://open.rocket.chat/')).toBe('https://open.rocket.chat/api/v1/chat.postMessage');
    expect(postMessageUrl('https://x/sub')).toBe('https://x/sub/api/v1/chat.postMessage');
  });
});
