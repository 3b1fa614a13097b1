import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNotifierContract, standardGoldens } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { VictorOpsNotifier } from './notifier';
import { buildVictorOpsMessage, goEscapePath, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/victorops');
const SECRET = 'vo-api-key-0c7e5a';

function victorops(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new VictorOpsNotifier(integrationConfig('victorops', { api_key: SECRET, routing_key: 'team-{{ .CommonLabels.job }}', ...item }), templatedDeps(o));
}
const everyField = (url: string) => ({
  api_url: `${url}/integrations/generic/20131114/alert`,
  message_type: '{{ .CommonLabels.severity | toUpper }}',
  state_message: 'state {{ .Status }} <{{ len .Alerts }}>',
  entity_display_name: 'display {{ .GroupLabels.alertname }}',
  monitoring_tool: 'tocsin',
  custom_fields: { zeta: '{{ .CommonLabels.job }}', alpha: 'a', entity_display_name_x: 'x' },
});

runNotifierContract({
  name: 'victorops',
  create: ({ url, userAgent, timeout, logger }) => victorops({ api_url: `${url}/rest/` }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  expectRequest: (r) => expect(r.url).toBe(`/rest/${SECRET}/team-api`),
  goldens: standardGoldens(GOLDEN, ({ url, userAgent, logger }) => victorops(everyField(url), { userAgent, logger })),
});

describe('VictorOpsNotifier', () => {
  const srv = useFakeReceiver();
  test('notify() takes the global key and URL; api_key_file is read at send time and trimmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vo-'));
    try {
      const f = join(dir, 'key');
      writeFileSync(f, ' file-key \n');
      const n = new VictorOpsNotifier(integrationConfig('victorops', { routing_key: 'rk' }, { victorops_api_key_file: f, victorops_api_url: `${srv.url}/g` }), templatedDeps({ userAgent: 'ua' }));
      await n.notify(notifyContext(), FIRING);
      expect(srv.requests[0]!.url).toBe('/g/file-key/rk');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildVictorOpsMessage', () => {
  const r = { text: (s: string) => s };
  const at = (alerts: typeof FIRING) => ({ groupKey: 'k', alerts, now: notifyContext().now });
  test.each([
    ['INFO', FIRING, 'INFO'],
    ['WARNING', FIRING, 'WARNING'],
    ['bogus', FIRING, 'CRITICAL'],
    ['', MIXED, 'CRITICAL'],
    ['INFO', RESOLVED, 'RECOVERY'],
  ] as const)('message_type %j for %#: %s', (mt, alerts, want) => {
    expect(JSON.parse(buildVictorOpsMessage({ message_type: mt }, r, at(alerts)).body).message_type).toBe(want);
  });
  test('state_message is cut at 20480 runes', () => {
    expect(buildVictorOpsMessage({ state_message: 'é'.repeat(MAX_STATE_MESSAGE_RUNES) }, r, at(FIRING)).truncated).toBe(false);
    const b = buildVictorOpsMessage({ state_message: 'é'.repeat(MAX_STATE_MESSAGE_RUNES + 1) }, r, at(FIRING));
    expect(b.truncated).toBe(true);
    expect(JSON.parse(b.body).state_message).toBe(`${'é'.repeat(MAX_STATE_MESSAGE_RUNES - 1)}…`);
  });
  test('a flat Go map: keys sorted, custom fields included', () => {
    expect(buildVictorOpsMessage({ custom_fields: { b: '2', a: '1' } }, r, at(FIRING)).body).toBe(
      '{"a":"1","b":"2","entity_display_name":"","entity_id":"8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a","message_type":"CRITICAL","monitoring_tool":"","state_message":""}\n',
    );
  });
  test('URL: api_url + key + / + routing key, path-escaped like Go', () => {
    expect(victorOpsUrl('https://alert.victorops.com/integrations/generic/20131114/alert/', 'k', 'team a/b?c')).toBe(
      'https://alert.victorops.com/integrations/generic/20131114/alert/k/team%20a/b%3Fc',
    );
    expect(goEscapePath('/a:b@c$&+,;=~é!')).toBe('/a:b@c$&+,;=~%C3%A9%21');
  });
});
