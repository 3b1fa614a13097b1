import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NotifyError } from '../../types/errors';
import { type ContractCreateOptions, runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, recordingLogger, rendererFor } from '../testing/fixtures';
import { pagerduty as definition } from './index';
import { PagerDutyNotifier } from './notifier';
import { buildPagerDutyPayload, DETAILS_REMOVED, dedupKey, MAX_EVENT_BYTES, MAX_SUMMARY_RUNES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/pagerduty');
const ROUTING = 'R0UT1NGK3Y-secret-v2';
const SERVICE = 'S3RV1C3K3Y-secret-v1';

function pd(item: Record<string, unknown>, o: Partial<ContractCreateOptions> & { v1Url?: string } = {}) {
  return new PagerDutyNotifier(integrationConfig('pagerduty', item), {
    userAgent: o.userAgent ?? 'Alertmanager/test',
    logger: o.logger ?? recordingLogger().logger,
    render: (ctx, alerts) => rendererFor(ctx, alerts),
    ...(o.v1Url ? { v1Url: o.v1Url } : {}),
  });
}

const everyField = {
  routing_key: ROUTING,
  client: 'Tocsin {{ .Receiver }}',
  client_url: '{{ .ExternalURL }}/#/alerts',
  description: '{{ .CommonAnnotations.summary }} on {{ len .Alerts }} <hosts>',
  severity: '{{ .CommonLabels.severity }}',
  source: 'prometheus-{{ .CommonLabels.job }}',
  class: 'latency',
  component: '{{ .CommonLabels.job }}',
  group: 'prod',
  details: {
    instances: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}',
    nested: { 'key-{{ .CommonLabels.job }}': ['{{ .Status }}', 3, true] },
    count: '{{ len .Alerts }}',
    firing: 'override',
  },
  images: [
    { src: 'https://img/{{ .CommonLabels.job }}.png', alt: 'graph', href: 'https://grafana' },
    { src: '', alt: 'dropped (no src)' },
  ],
  links: [
    { href: 'https://runbook/{{ .CommonLabels.job }}', text: 'Runbook' },
    { href: '', text: 'dropped (no href)' },
  ],
};

runNotifierContract({
  name: 'pagerduty (Events API v2)',
  create: ({ url, userAgent, timeout, logger }) => pd({ routing_key: ROUTING, url: `${url}/v2/enqueue`, timeout: `${timeout}ms` }, { userAgent, logger }),
  secrets: [ROUTING],
  retryCodes: definition.retryCodes(integrationConfig('pagerduty', { routing_key: ROUTING }).settings),
  okResponse: { body: '{"status":"success","message":"Event processed","dedup_key":"x"}' },
  expectRequest: (r) => {
    expect(r.url).toBe('/v2/enqueue');
    expect(JSON.parse(r.body).routing_key).toBe(ROUTING);
  },
  goldens: [
    { name: 'v2 defaults, firing', file: join(GOLDEN, 'v2-default-firing.golden.json'), alerts: FIRING },
    { name: 'v2 defaults, resolved', file: join(GOLDEN, 'v2-default-resolved.golden.json'), alerts: RESOLVED },
    { name: 'v2 defaults, mixed', file: join(GOLDEN, 'v2-default-mixed.golden.json'), alerts: MIXED },
    { name: 'v2 every field, mixed', file: join(GOLDEN, 'v2-every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => pd({ ...everyField, url: `${url}/v2/enqueue` }, { userAgent, logger }) },
    {
      name: 'v2 summary truncated at 1024 runes',
      file: join(GOLDEN, 'v2-summary-truncated.golden.json'),
      alerts: FIRING,
      create: ({ url, userAgent, logger }) => pd({ routing_key: ROUTING, url: `${url}/v2/enqueue`, description: '{{ range .Alerts }}{{ .Labels.instance }} ü🔥 {{ end }}'.repeat(60), details: { only: 'one' } }, { userAgent, logger }),
    },
    {
      name: 'v2 details removed over 512000 bytes',
      file: join(GOLDEN, 'v2-details-oversize.golden.json'),
      alerts: FIRING,
      create: ({ url, userAgent, logger }) => pd({ routing_key: ROUTING, url: `${url}/v2/enqueue`, details: { blob: `{{ .CommonLabels.job }}${'z'.repeat(512_100)}` } }, { userAgent, logger }),
    },
    { name: 'v2 every field, resolved', file: join(GOLDEN, 'v2-every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => pd({ ...everyField, url: `${url}/v2/enqueue` }, { userAgent, logger }) },
  ],
});

runNotifierContract({
  name: 'pagerduty (Events API v1)',
  create: ({ url, userAgent, timeout, logger }) => pd({ service_key: SERVICE, timeout: `${timeout}ms` }, { userAgent, logger, v1Url: `${url}/generic/2010-04-15/create_event.json` }),
  secrets: [SERVICE],
  retryCodes: definition.retryCodes(integrationConfig('pagerduty', { service_key: SERVICE }).settings),
  expectRequest: (r) => expect(r.url).toBe('/generic/2010-04-15/create_event.json'),
  goldens: [
    { name: 'v1 defaults, firing', file: join(GOLDEN, 'v1-default-firing.golden.json'), alerts: FIRING, create: ({ url, userAgent, logger }) => pd({ service_key: SERVICE }, { userAgent, logger, v1Url: url }) },
    { name: 'v1 defaults, resolved', file: join(GOLDEN, 'v1-default-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => pd({ service_key: SERVICE }, { userAgent, logger, v1Url: url }) },
    {
      name: 'v1 description truncated at 1024 runes',
      file: join(GOLDEN, 'v1-description-truncated.golden.json'),
      alerts: FIRING,
      create: ({ url, userAgent, logger }) => pd({ service_key: SERVICE, description: 'ab€'.repeat(400), details: { only: 'one' } }, { userAgent, logger, v1Url: url }),
    },
    {
      name: 'v1 every field, mixed',
      file: join(GOLDEN, 'v1-every-field-mixed.golden.json'),
      alerts: MIXED,
      create: ({ url, userAgent, logger }) => pd({ ...everyField, routing_key: undefined, service_key: SERVICE }, { userAgent, logger, v1Url: url }),
    },
  ],
});

describe('buildPagerDutyPayload', () => {
  const render = { text: (s: string) => s };
  test('dedup key is the sha256 hex of the group key (same for trigger and resolve)', () => {
    // computed independently with `printf '%s' '{}:{alertname="A"}' | sha256sum`
    expect(dedupKey('{}:{alertname="A"}')).toBe('ad4b39d3af6c5f089ddb8504a474cd124febe3ef322f263d58074fb0c51dc572');
    const a = buildPagerDutyPayload({}, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    const b = buildPagerDutyPayload({}, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'resolve', render });
    expect(a.message.dedup_key).toBe(b.message.dedup_key);
  });
  test.each([
    [MAX_SUMMARY_RUNES, false],
    [MAX_SUMMARY_RUNES + 1, true],
  ])('summary of %i runes: truncated=%s', (n, cut) => {
    const v2 = buildPagerDutyPayload({ description: 'é'.repeat(n as number) }, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    const v1 = buildPagerDutyPayload({ description: 'é'.repeat(n as number) }, { version: 'v1', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    expect(v2.summaryTruncated).toBe(cut);
    expect(Array.from(v2.message.payload!.summary)).toHaveLength(MAX_SUMMARY_RUNES);
    expect(Array.from(v1.message.description!)).toHaveLength(MAX_SUMMARY_RUNES);
    if (cut) expect(v2.message.payload!.summary.endsWith('\u2026')).toBe(true);
  });
  test('an event over 512000 bytes has its details replaced (v2 custom_details, v1 details)', () => {
    const big = { blob: 'x'.repeat(MAX_EVENT_BYTES) };
    const v2 = buildPagerDutyPayload({ details: big }, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    expect(v2.oversize).toBeGreaterThan(MAX_EVENT_BYTES);
    expect(v2.message.payload!.custom_details).toEqual({ error: DETAILS_REMOVED });
    expect(Buffer.byteLength(v2.body)).toBeLessThan(1000);
    const v1 = buildPagerDutyPayload({ details: big }, { version: 'v1', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    expect(v1.message.details).toEqual({ error: DETAILS_REMOVED });
    const fits = buildPagerDutyPayload({ details: { blob: 'x'.repeat(1000) } }, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'trigger', render });
    expect(fits.oversize).toBeUndefined();
  });
  test('v1 resolve leaves out client and client_url; always sends event_action "" and payload null', () => {
    const m = buildPagerDutyPayload({ client: 'c', client_url: 'u' }, { version: 'v1', key: 'k', groupKey: 'g', eventType: 'resolve', render }).body;
    expect(m).toBe(`{"service_key":"k","incident_key":"${dedupKey('g')}","event_type":"resolve","event_action":"","payload":null}\n`);
  });
  test('severity defaults to error; empty class/component/group/images/links are left out', () => {
    const m = buildPagerDutyPayload({ source: 's', images: [{ src: '' }], links: [{ href: '' }] }, { version: 'v2', key: 'k', groupKey: 'g', eventType: 'trigger', render }).body;
    expect(m).toBe(`{"routing_key":"k","dedup_key":"${dedupKey('g')}","event_action":"trigger","payload":{"summary":"","source":"s","severity":"error"}}\n`);
  });
});

describe('PagerDutyNotifier', () => {
  const srv = useFakeReceiver();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-pd-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('notify() reads routing_key_file at send time and templates the key', async () => {
    const file = join(dir, 'rk');
    writeFileSync(file, 'key-{{ .CommonLabels.job }}\n');
    const n = pd({ routing_key_file: file, url: `${srv.url}/e` });
    await n.notify(notifyContext(), FIRING);
    writeFileSync(file, 'second\n');
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests.map((r) => JSON.parse(r.body).routing_key)).toEqual(['key-api', 'second']);
  });

  test('notify() reads service_key_file (Events v1) at send time', async () => {
    const file = join(dir, 'sk');
    writeFileSync(file, '  sk-from-file \n');
    await pd({ service_key_file: file }, { v1Url: `${srv.url}/v1` }).notify(notifyContext(), RESOLVED);
    expect(srv.requests[0]!.url).toBe('/v1');
    expect(JSON.parse(srv.requests[0]!.body)).toMatchObject({ service_key: 'sk-from-file', event_type: 'resolve', incident_key: dedupKey(notifyContext().groupKey) });
  });

  test('notify() rejects an empty rendered key without sending (not retried)', async () => {
    const e = (await pd({ routing_key: '{{ .CommonLabels.nothing }}', url: `${srv.url}/e` }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('routing key cannot be empty');
    expect(e.retryable).toBe(false);
    const v1 = (await pd({ service_key: '{{ "" }}' }, { v1Url: srv.url }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(v1.message).toBe('service key cannot be empty');
    expect(srv.requests).toHaveLength(0);
  });

  test('notify() adds PagerDuty 400 details (message: errors) to the error', async () => {
    srv.respond = () => ({ status: 400, body: '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect","x"]}' });
    const e = (await pd({ routing_key: ROUTING, url: `${srv.url}/e` }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe("unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect,x");
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('clientError');
  });

  test('notify() warns when the summary is truncated', async () => {
    const rec = recordingLogger();
    await pd({ routing_key: ROUTING, url: `${srv.url}/e`, description: 'y'.repeat(1500) }, { logger: rec.logger }).notify(notifyContext(), FIRING);
    expect(rec.lines.join('')).toContain('Truncated summary');
    expect(rec.lines.join('')).not.toContain(ROUTING);
  });
});
