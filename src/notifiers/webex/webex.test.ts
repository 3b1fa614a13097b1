import { join, resolve } from 'node:path';
import { runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { WebexNotifier } from './notifier';
import { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/webex');
const SECRET = 'webex-bot-token-9f8e7d';

function webex(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new WebexNotifier(integrationConfig('webex', { http_config: { authorization: { credentials: SECRET } }, ...item }), templatedDeps(o));
}
const everyField = (url: string) => ({ api_url: `${url}/v1/messages`, room_id: 'room-{{ .CommonLabels.job }}', message: '**{{ .Status }}** {{ .GroupLabels.alertname }} <&>' });

runNotifierContract({
  name: 'webex',
  create: ({ url, userAgent, timeout, logger }) => webex({ api_url: `${url}/v1/messages`, room_id: 'r1' }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  expectRequest: (r) => {
    expect(r.url).toBe('/v1/messages');
    expect(r.headers.authorization).toBe(`Bearer ${SECRET}`);
  },
  goldens: [
    { name: 'defaults, firing', file: join(GOLDEN, 'default-firing.golden.json'), alerts: FIRING, create: ({ url, userAgent, logger }) => webex({ api_url: `${url}/v1/messages`, room_id: 'r1' }, { userAgent, logger }) },
    { name: 'defaults, resolved', file: join(GOLDEN, 'default-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => webex({ api_url: `${url}/v1/messages`, room_id: 'r1' }, { userAgent, logger }) },
    { name: 'defaults, mixed', file: join(GOLDEN, 'default-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => webex({ api_url: `${url}/v1/messages`, room_id: 'r1' }, { userAgent, logger }) },
    { name: 'every field, mixed', file: join(GOLDEN, 'every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => webex(everyField(url), { userAgent, logger }) },
    { name: 'every field, resolved', file: join(GOLDEN, 'every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => webex(everyField(url), { userAgent, logger }) },
  ],
});

describe('WebexNotifier', () => {
  const srv = useFakeReceiver();
  test('notify() takes global.webex_api_url', async () => {
    const n = new WebexNotifier(integrationConfig('webex', { room_id: 'r', http_config: { authorization: { credentials: SECRET } } }, { webex_api_url: `${srv.url}/g` }), templatedDeps({ userAgent: 'ua' }));
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.url).toBe('/g');
  });
});

describe('buildWebexMessage', () => {
  const r = { text: (s: string) => s };
  test('markdown is cut to 7439 bytes without splitting a code point, ending in …', () => {
    expect(buildWebexMessage({ message: 'a'.repeat(MAX_MESSAGE_BYTES) }, r).truncated).toBe(false);
    const b = buildWebexMessage({ message: `${'a'.repeat(MAX_MESSAGE_BYTES - 4)}€€` }, r);
    expect(b.truncated).toBe(true);
    expect(Buffer.byteLength(b.message.markdown)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(b.message.markdown).toBe(`${'a'.repeat(MAX_MESSAGE_BYTES - 4)}…`);
  });
  test('roomId is omitted when it renders empty', () => {
    expect(JSON.stringify(buildWebexMessage({ message: 'm' }, r).message)).toBe('{"markdown":"m"}');
  });
});
