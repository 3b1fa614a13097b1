import { join, resolve } from 'node:path';
import { runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { alert, EXTERNAL_URL, FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, recordingLogger } from '../testing/fixtures';
import { incidentio as definition } from './index';
import { errorDetails, IncidentioNotifier } from './notifier';
import { buildIncidentioMessage, MAX_PAYLOAD_BYTES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/incidentio');
const SECRET = 'inc-alert-source-token-3e8f';

function incidentio(item: Record<string, unknown>, o: { userAgent?: string; logger?: ReturnType<typeof recordingLogger>['logger']; timeout?: number } = {}) {
  return new IncidentioNotifier(integrationConfig('incidentio', item), {
    externalURL: EXTERNAL_URL,
    userAgent: o.userAgent ?? 'Alertmanager/test',
    logger: o.logger ?? recordingLogger().logger,
    ...(o.timeout ? { timeout: o.timeout } : {}),
  });
}

runNotifierContract({
  name: 'incidentio',
  create: ({ url, userAgent, timeout, logger }) => incidentio({ url: `${url}/v2/alert_events/http/01ABC`, alert_source_token: SECRET }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  retryCodes: definition.retryCodes(integrationConfig('incidentio', { url: 'http://x/', alert_source_token: SECRET }).settings),
  expectRequest: (r) => {
    expect(r.url).toBe('/v2/alert_events/http/01ABC');
    expect(r.headers.authorization).toBe(`Bearer ${SECRET}`);
  },
  goldens: [
    { name: 'firing', file: join(GOLDEN, 'firing.golden.json'), alerts: FIRING },
    { name: 'resolved', file: join(GOLDEN, 'resolved.golden.json'), alerts: RESOLVED },
    { name: 'mixed', file: join(GOLDEN, 'mixed.golden.json'), alerts: MIXED },
    {
      name: 'max_alerts 1 of mixed',
      file: join(GOLDEN, 'max-alerts-mixed.golden.json'),
      alerts: [...RESOLVED, ...FIRING],
      create: ({ url, userAgent, logger }) => incidentio({ url: `${url}/x`, alert_source_token: SECRET, max_alerts: 1 }, { userAgent, logger }),
    },
  ],
});

describe('IncidentioNotifier', () => {
  const srv = useFakeReceiver();
  test('notify() appends the JSON error details (message: error: errors)', async () => {
    srv.respond = () => ({ status: 400, body: '{"message":"Invalid request","errors":["a is required","b too long"]}' });
    const e = await incidentio({ url: `${srv.url}/x`, alert_source_token: SECRET })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x as Error);
    expect((e as Error).message).toBe('unexpected status code 400: Invalid request: a is required, b too long');
  });
  test('notify() honours the configured timeout', async () => {
    srv.respond = () => ({ status: 200, delay: 2000 });
    const e = await incidentio({ url: `${srv.url}/x`, alert_source_token: SECRET, timeout: '100ms' })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x as Error);
    expect((e as Error).message).toMatch(/configured incident\.io timeout reached \(100ms\)/);
  });
  test('notify() uses http_config.authorization when no token is set', async () => {
    await incidentio({ url: `${srv.url}/x`, http_config: { authorization: { credentials: 'cfg-token' } } }).notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.headers.authorization).toBe('Bearer cfg-token');
  });
});

describe('buildIncidentioMessage', () => {
  const base = { receiver: 'r', groupKey: 'k', groupLabels: {}, externalURL: 'http://am', now: notifyContext().now, maxAlerts: 0 };
  test('over 512 KiB, all but the first alert are dropped (truncatedAlerts unchanged)', () => {
    const big = Array.from({ length: 40 }, (_, i) => alert({ alertname: 'Big', i: String(i) }, { annotations: { blob: 'x'.repeat(16 * 1024) } }));
    const b = buildIncidentioMessage({ ...base, alerts: big });
    expect(b.shrunk?.originalSize).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    const m = JSON.parse(b.body) as { alerts: unknown[]; truncatedAlerts: number; version: string };
    expect(m.alerts).toHaveLength(1);
    expect(m.truncatedAlerts).toBe(0);
    expect(m.version).toBe('1');
    expect(buildIncidentioMessage({ ...base, alerts: big.slice(0, 2) }).shrunk).toBeUndefined();
  });
  test('errorDetails', () => {
    expect(errorDetails('{"message":"m","error":"e","errors":["a","b"]}')).toBe('m: e: a, b');
    expect(errorDetails('not json')).toBe('');
  });
});
