import { join, resolve } from 'node:path';
import { runNotifierContract } from '../contract';
import { type RecordedRequest, useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, recordingLogger, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { PushoverNotifier } from './notifier';
import { goEncodeQuery, goQueryEscape } from '../../go/url';
import { buildPushoverQuery, MAX_MESSAGE_RUNES, MAX_TITLE_RUNES, MAX_URL_RUNES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/pushover');
const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

function pushover(apiUrl: string, item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new PushoverNotifier(integrationConfig('pushover', { token: TOKEN, user_key: USER, ...item }), { ...templatedDeps(o), apiUrl: `${apiUrl}/1/messages.json` });
}
const everyField = {
  title: '{{ .Status | toUpper }} {{ .GroupLabels.alertname }} (¡ünïcode! * ~)',
  message: '  {{ range .Alerts }}<{{ .Labels.instance }}>&{{ end }}  ',
  url: 'https://grafana/d/x?var-job={{ .CommonLabels.job }}&a=b c',
  url_title: 'Dashboard {{ .CommonLabels.job }}',
  device: 'phone,tablet',
  sound: 'siren',
  priority: '{{ if eq .Status "firing" }}1{{ else }}-1{{ end }}',
  retry: '30s',
  expire: '2h',
  ttl: '1h30m',
  monospace: true,
};

/** the golden of a Pushover request is its query string, one parameter per line (the body is empty) */
const queryLines = (r: RecordedRequest) => {
  expect(r.body).toBe('');
  return `${r.url.slice(r.url.indexOf('?') + 1).split('&').join('\n')}\n`;
};

runNotifierContract({
  name: 'pushover',
  create: ({ url, userAgent, timeout, logger }) => pushover(url, {}, { userAgent, logger, timeout }),
  secrets: [TOKEN, USER],
  contentType: 'text/plain',
  expectRequest: (r) => {
    expect(r.url.startsWith('/1/messages.json?')).toBe(true);
    expect(r.body).toBe('');
    expect(r.headers['content-length']).toBe('0');
  },
});

describe('PushoverNotifier goldens (query string)', () => {
  const { expectGolden } = jest.requireActual<typeof import('../testing/fixtures')>('../testing/fixtures');
  const srv = useFakeReceiver();
  test.each([
    ['default-firing', {}, FIRING],
    ['default-resolved', {}, RESOLVED],
    ['default-mixed', {}, MIXED],
    ['every-field-mixed', everyField, MIXED],
    ['every-field-resolved', everyField, RESOLVED],
    ['html-mixed', { html: true, message: '<b>{{ .Status }}</b> {{ "<i>&" }}' }, MIXED],
  ] as const)('%s', async (name, item, alerts) => {
    await pushover(srv.url, item).notify(notifyContext(), alerts);
    expect(srv.requests).toHaveLength(1);
    expectGolden(join(GOLDEN, `${name}.golden.txt`), queryLines(srv.requests[0]!));
  });
  test('truncations are logged', async () => {
    const rec = recordingLogger();
    await pushover(srv.url, { title: 't'.repeat(300), message: 'm'.repeat(2000), url: 'u'.repeat(600) }, { logger: rec.logger }).notify(notifyContext(), FIRING);
    const q = new URLSearchParams(srv.requests[0]!.url.split('?')[1]);
    expect(q.get('title')).toBe(`${'t'.repeat(249)}…`);
    expect(q.get('message')).toBe(`${'m'.repeat(1023)}…`);
    expect(q.get('url')).toBe(`${'u'.repeat(511)}…`);
    const log = rec.lines.join('');
    for (const w of ['Truncated title', 'Truncated message', 'Truncated URL']) expect(log).toContain(w);
  });
});

describe('buildPushoverQuery', () => {
  const r = { text: (s: string) => s, html: (s: string) => `H:${s}` };
  const keys = { token: 't', user: 'u' };
  const q = (s: Parameters<typeof buildPushoverQuery>[0]) => new URLSearchParams(buildPushoverQuery(s, r, keys).query);
  test.each([
    ['title', MAX_TITLE_RUNES],
    ['message', MAX_MESSAGE_RUNES],
    ['url', MAX_URL_RUNES],
  ] as const)('%s: %i runes kept, one more cut to the limit with …', (field, max) => {
    expect(q({ [field]: 'é'.repeat(max) }).get(field)).toBe('é'.repeat(max));
    expect(q({ [field]: 'é'.repeat(max + 1) }).get(field)).toBe(`${'é'.repeat(max - 1)}…`);
  });
  test('message: truncated first, then trimmed; empty becomes (no details)', () => {
    expect(q({ message: '   ' }).get('message')).toBe('(no details)');
    expect(q({ message: '  x  ' }).get('message')).toBe('x');
  });
  test('html=1 uses the HTML engine; monospace=1; retry/expire in seconds; ttl only when > 0 s', () => {
    const p = q({ html: true, message: 'm', retry: 90_500, expire: 3_600_000, ttl: 999 });
    expect(p.get('html')).toBe('1');
    expect(p.get('message')).toBe('H:m');
    expect(p.get('retry')).toBe('90');
    expect(p.get('expire')).toBe('3600');
    expect(p.has('ttl')).toBe(false);
    expect(q({ monospace: true, ttl: 60_000 }).get('ttl')).toBe('60');
  });
  test('Go url.Values.Encode: keys sorted, QueryEscape', () => {
    expect(goQueryEscape("a b!'()*~-_.é/?&=+")).toBe('a+b%21%27%28%29%2A~-_.%C3%A9%2F%3F%26%3D%2B');
    expect(goEncodeQuery([['b', '1'], ['a', '2'], ['c', '']])).toBe('a=2&b=1&c=');
    expect(buildPushoverQuery({}, r, keys).query).toBe('device=&expire=0&message=%28no+details%29&priority=&retry=0&sound=&title=&token=t&url=&url_title=&user=u');
  });
});
