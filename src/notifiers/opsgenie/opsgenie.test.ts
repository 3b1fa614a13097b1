import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NotifyError } from '../../types/errors';
import { runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { expectGolden, FIRING, integrationConfig, MIXED, notifyContext, recordingLogger, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { opsgenie as definition } from './index';
import { OpsGenieNotifier } from './notifier';
import { buildOpsGenieRequests, groupKeyHash, MAX_MESSAGE_RUNES, safeSplit } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/opsgenie');
const SECRET = 'og-key-5b1d9e';
const ALIAS = groupKeyHash('{}:{alertname="HighLatency"}');

function opsgenie(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new OpsGenieNotifier(integrationConfig('opsgenie', item), templatedDeps(o));
}

const everyField = (url: string) => ({
  api_url: `${url}/`,
  api_key: SECRET,
  message: '{{ .CommonLabels.alertname }} on {{ .CommonLabels.job }}',
  description: 'desc {{ len .Alerts }}',
  source: 'src-{{ .Receiver }}',
  details: { runbook: 'https://rb/{{ .CommonLabels.job }}', severity: 'overridden-{{ .CommonLabels.severity }}', a: '1' },
  responders: [
    { id: '4513b7ea', type: 'team' },
    { name: 'ops, sre,,dev', type: 'teams' },
    { username: 'jane@example.com', type: 'user' },
    { name: '{{ .CommonLabels.missing }}', type: '{{ .CommonLabels.missing }}' },
    { name: 'esc-{{ .CommonLabels.job }}', type: '{{ if true }}escalation{{ end }}' },
  ],
  tags: ' {{ .CommonLabels.job }},prod,, x y ',
  note: 'note <&>',
  priority: 'P{{ if eq .Status "firing" }}1{{ else }}5{{ end }}',
  entity: '{{ .GroupLabels.alertname }}',
  actions: 'restart,page',
});

runNotifierContract({
  name: 'opsgenie',
  create: ({ url, userAgent, timeout, logger }) => opsgenie({ api_url: `${url}/`, api_key: SECRET }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  retryCodes: definition.retryCodes(integrationConfig('opsgenie', { api_url: 'http://x/', api_key: SECRET }).settings),
  expectRequest: (r) => {
    expect(r.url).toBe('/v2/alerts');
    expect(r.headers.authorization).toBe(`GenieKey ${SECRET}`);
  },
  goldens: [
    { name: 'defaults, firing', file: join(GOLDEN, 'default-firing.golden.json'), alerts: FIRING },
    { name: 'defaults, mixed', file: join(GOLDEN, 'default-mixed.golden.json'), alerts: MIXED },
    { name: 'defaults, resolved (close)', file: join(GOLDEN, 'default-resolved.golden.json'), alerts: RESOLVED },
    { name: 'every field, mixed', file: join(GOLDEN, 'every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => opsgenie(everyField(url), { userAgent, logger }) },
    { name: 'every field, resolved', file: join(GOLDEN, 'every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => opsgenie(everyField(url), { userAgent, logger }) },
  ],
});

describe('OpsGenieNotifier', () => {
  const srv = useFakeReceiver();

  test('notify() closes a resolved group by alias with the source only', async () => {
    await opsgenie({ api_url: `${srv.url}/base/`, api_key: SECRET }).notify(notifyContext(), RESOLVED);
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0]!.method).toBe('POST');
    expect(srv.requests[0]!.url).toBe(`/base/v2/alerts/${ALIAS}/close?identifierType=alias`);
    expect(srv.requests[0]!.body).toBe('{"source":"http://am.example:9093/#/alerts?receiver=team-a"}\n');
  });

  test('notify() with update_alerts sends create, then PUT message and PUT description (golden)', async () => {
    await opsgenie({ ...everyField(srv.url), update_alerts: true }).notify(notifyContext(), FIRING);
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v2/alerts',
      `PUT /v2/alerts/${ALIAS}/message?identifierType=alias`,
      `PUT /v2/alerts/${ALIAS}/description?identifierType=alias`,
    ]);
    expectGolden(join(GOLDEN, 'update-alerts.golden.txt'), srv.requests.map((r) => `${r.method} ${r.url}\n${r.body}`).join(''));
    for (const r of srv.requests) expect(r.headers.authorization).toBe(`GenieKey ${SECRET}`);
  });

  test('notify() stops at the first failing request', async () => {
    srv.respond = (r) => ({ status: r.method === 'PUT' ? 429 : 202 });
    const e = await opsgenie({ ...everyField(srv.url), update_alerts: true })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotifyError);
    expect((e as NotifyError).retryable).toBe(true);
    expect((e as NotifyError).reason).toBe('rateLimited');
    expect(srv.requests).toHaveLength(2);
  });

  test('notify() reads api_key_file at send time, trimmed, and templates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'og-'));
    try {
      const f = join(dir, 'key');
      writeFileSync(f, '  key-{{ .CommonLabels.job }}  \n');
      await opsgenie({ api_url: `${srv.url}/`, api_key_file: f }).notify(notifyContext(), FIRING);
      expect(srv.requests[0]!.headers.authorization).toBe('GenieKey key-api');
      writeFileSync(f, 'rotated\n');
      await opsgenie({ api_url: `${srv.url}/`, api_key_file: f }).notify(notifyContext(), FIRING);
      expect(srv.requests[1]!.headers.authorization).toBe('GenieKey rotated');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('notify() sends a responder type as written (upstream lower-cases only a copy while validating)', async () => {
    const responders = [
      { name: 'ops', type: 'Team' },
      { username: 'jane@example.com', type: 'User' },
      { name: 'a,b', type: 'Teams' },
    ];
    await opsgenie({ api_url: `${srv.url}/`, api_key: SECRET, responders }).notify(notifyContext(), FIRING);
    expect(JSON.parse(srv.requests[0]!.body).responders).toEqual(responders);
  });

  test('notify() takes the global api key and url', async () => {
    const n = new OpsGenieNotifier(integrationConfig('opsgenie', {}, { opsgenie_api_key: SECRET, opsgenie_api_url: `${srv.url}/g` }), templatedDeps({ userAgent: 'ua' }));
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.url).toBe('/g/v2/alerts');
    expect(srv.requests[0]!.headers.authorization).toBe(`GenieKey ${SECRET}`);
  });

  test('notify() logs a truncated message', async () => {
    const rec = recordingLogger();
    await opsgenie({ api_url: `${srv.url}/`, api_key: SECRET, message: 'x'.repeat(200) }, { logger: rec.logger }).notify(notifyContext(), FIRING);
    expect(JSON.parse(srv.requests[0]!.body).message).toBe(`${'x'.repeat(129)}…`);
    expect(rec.lines.join('')).toContain('Truncated message');
  });

  test('notify() fails without retry on a template error', async () => {
    const e = await opsgenie({ api_url: `${srv.url}/`, api_key: SECRET, message: '{{ .Nope.Deeper }}' })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotifyError);
    expect((e as NotifyError).retryable).toBe(false);
    expect(srv.requests).toHaveLength(0);
  });
});

describe('buildOpsGenieRequests', () => {
  const r = { text: (s: string) => s };
  const input = { groupKey: 'k', alerts: FIRING, now: notifyContext().now };
  test.each([
    [MAX_MESSAGE_RUNES, false],
    [MAX_MESSAGE_RUNES + 1, true],
  ])('message of %i runes: truncated=%s (130 runes, ends with …)', (n, cut) => {
    const b = buildOpsGenieRequests({ api_url: 'http://x/', message: '€'.repeat(n) }, r, input);
    const msg = JSON.parse(b.requests[0]!.body).message as string;
    expect(b.messageTruncated).toBe(cut);
    expect(Array.from(msg)).toHaveLength(MAX_MESSAGE_RUNES);
    if (cut) expect(msg.endsWith('€…')).toBe(true);
  });
  test('always sends alias, message, details and source; omits the empty optional fields', () => {
    const b = buildOpsGenieRequests({ api_url: 'http://x/' }, r, input);
    expect(b.requests[0]!.body).toBe(
      `{"alias":"${groupKeyHash('k')}","message":"","details":{"alertname":"HighLatency","job":"api","severity":"critical"},"source":""}\n`,
    );
  });
  test('details override common labels; keys sorted like a Go map', () => {
    const b = buildOpsGenieRequests({ api_url: 'http://x/', details: { zz: '1', job: 'mine', aa: '2' } }, r, input);
    expect(JSON.parse(b.requests[0]!.body).details).toEqual({ aa: '2', alertname: 'HighLatency', job: 'mine', severity: 'critical', zz: '1' });
    expect(b.requests[0]!.body).toContain('"details":{"aa":"2","alertname":"HighLatency","job":"mine","severity":"critical","zz":"1"}');
  });
  test('safeSplit trims the whole string only and drops empty items', () => {
    expect(safeSplit(' a, b,,c ', ',')).toEqual(['a', ' b', 'c']);
    expect(safeSplit('   ', ',')).toEqual([]);
  });
});
