import { mkAlert, webhookIntegration } from '../../../test/acceptance/support/fixtures';
import type { NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { silentLogger } from '../../types/logger';
import { Secret } from '../../types/secret';
import { useFakeReceiver } from '../testing/fake-receiver';
import { WebhookNotifier } from './notifier';
import { buildWebhookPayload, goTime, quoteMeta } from './payload';

const srv = useFakeReceiver();

const T = Date.UTC(2026, 10, 24, 22, 7, 42, 860);

function ctx(signal = new AbortController().signal): NotifyContext {
  return {
    receiver: 'team.a',
    groupKey: '{}:{alertname="A"}',
    groupLabels: { alertname: 'A' },
    routeId: '{}',
    routeLabels: {},
    now: T + 1000,
    repeatInterval: 3600_000,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    signal,
    logger: silentLogger(),
    notificationReason: 'first notification',
  };
}

const firing = mkAlert({ alertname: 'A', job: 'j' }, { startsAt: T, endsAt: T + 300_000, annotations: { s: 'x' } });
const resolved = mkAlert({ alertname: 'A', job: 'k' }, { startsAt: T - 5000, endsAt: T + 500, annotations: { s: 'x' } });

describe('buildWebhookPayload', () => {
  test('version 4 message in upstream field order with Go times', () => {
    const p = buildWebhookPayload({ receiver: 'team.a', groupKey: '{}:{alertname="A"}', groupLabels: { alertname: 'A' }, externalURL: 'http://am:9093', notificationReason: 'first notification', alerts: [firing, resolved], now: T + 1000, maxAlerts: 0 });
    expect(JSON.stringify(p)).toBe(
      `{"receiver":"team\\\\.a","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A","job":"j"},"annotations":{"s":"x"},"startsAt":"2026-11-24T22:07:42.86Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"${firing.fingerprint}"},{"status":"resolved","labels":{"alertname":"A","job":"k"},"annotations":{"s":"x"},"startsAt":"2026-11-24T22:07:37.86Z","endsAt":"2026-11-24T22:07:43.36Z","generatorURL":"","fingerprint":"${resolved.fingerprint}"}],"notification_reason":"first notification","groupLabels":{"alertname":"A"},"commonLabels":{"alertname":"A"},"commonAnnotations":{"s":"x"},"routeLabels":{},"externalURL":"http://am:9093","version":"4","groupKey":"{}:{alertname=\\"A\\"}","truncatedAlerts":0}`,
    );
  });
  test('max_alerts keeps the first N and counts the rest; status resolved when nothing fires', () => {
    const p = buildWebhookPayload({ receiver: 'r', groupKey: 'k', groupLabels: {}, externalURL: '', alerts: [resolved, resolved, resolved], now: T + 1000, maxAlerts: 2 });
    expect(p.alerts).toHaveLength(2);
    expect(p.truncatedAlerts).toBe(1);
    expect(p.status).toBe('resolved');
  });
  test('max_alerts: status and common maps describe only the alerts sent (truncate, then template data)', () => {
    const other = mkAlert({ alertname: 'B', job: 'j' }, { startsAt: T, endsAt: T + 300_000, annotations: { s: 'y' } });
    const input = { receiver: 'r', groupKey: 'k', groupLabels: {}, externalURL: '', now: T + 1000, maxAlerts: 1 };
    const p = buildWebhookPayload({ ...input, alerts: [resolved, firing, other] });
    expect(p.status).toBe('resolved');
    expect(p.commonLabels).toEqual({ alertname: 'A', job: 'k' });
    expect(p.commonAnnotations).toEqual({ s: 'x' });
    expect(p.truncatedAlerts).toBe(2);
  });
  test('label maps in byte order whether or not they arrive sorted; common maps follow', () => {
    const mk = (labels: Record<string, string>, fingerprint: string): Alert => ({ labels, annotations: { z: '1', a: '2' }, startsAt: 1, endsAt: 0, updatedAt: 1, generatorURL: '', timeout: false, fingerprint });
    const p = buildWebhookPayload({ receiver: 'r', groupKey: 'k', groupLabels: { b: '1', a: '2' }, externalURL: '', alerts: [mk({ b: 'x', a: 'y', c: 'z' }, '1'), mk({ a: 'y', b: 'x', c: 'w' }, '2')], now: 2, maxAlerts: 0 });
    expect(Object.keys(p.alerts[0]!.labels)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(p.alerts[1]!.labels)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(p.alerts[0]!.annotations)).toEqual(['a', 'z']);
    expect(Object.keys(p.groupLabels)).toEqual(['a', 'b']);
    expect(p.commonLabels).toEqual({ a: 'y', b: 'x' });
    expect(Object.keys(p.commonLabels)).toEqual(['a', 'b']);
    expect(Object.keys(p.commonAnnotations)).toEqual(['a', 'z']);
  });
  test('goTime and quoteMeta', () => {
    expect(goTime(0)).toBe('0001-01-01T00:00:00Z');
    expect(goTime(Date.UTC(2020, 0, 1))).toBe('2020-01-01T00:00:00Z');
    // RFC3339Nano: trailing zeros of the fraction dropped
    expect(goTime(Date.UTC(2020, 0, 1, 2, 3, 4, 100))).toBe('2020-01-01T02:03:04.1Z');
    expect(goTime(Date.UTC(2020, 0, 1, 2, 3, 4, 120))).toBe('2020-01-01T02:03:04.12Z');
    expect(goTime(Date.UTC(2020, 0, 1, 2, 3, 4, 123))).toBe('2020-01-01T02:03:04.123Z');
    expect(goTime(Date.UTC(2020, 0, 1, 2, 3, 4, 5))).toBe('2020-01-01T02:03:04.005Z');
    expect(goTime(Date.UTC(12020, 0, 1, 0, 0, 0, 500))).toBe('+012020-01-01T00:00:00.5Z');
    expect(quoteMeta('a.b+c(d)')).toBe('a\\.b\\+c\\(d\\)');
  });
});

describe('WebhookNotifier', () => {
  test('posts JSON + newline with User-Agent, Content-Type and basic auth', async () => {
    const n = new WebhookNotifier(
      webhookIntegration(`${srv.url}/hook`, { http_config: { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false, basic_auth: { username: 'u', password: Secret.inline('p') } } }),
      { externalURL: 'http://am', userAgent: 'Alertmanager/9.9.9' },
    );
    await n.notify(ctx(), [firing]);
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0]!.headers['user-agent']).toBe('Alertmanager/9.9.9');
    expect(srv.requests[0]!.headers['content-type']).toBe('application/json');
    expect(srv.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(srv.requests[0]!.body.endsWith('}\n')).toBe(true);
    expect(JSON.parse(srv.requests[0]!.body).alerts[0].fingerprint).toBe(firing.fingerprint);
  });

  test.each([
    [200, undefined, undefined],
    [204, undefined, undefined],
    [400, false, 'clientError'],
    [401, false, 'authError'],
    [403, false, 'authError'],
    [404, false, 'clientError'],
    [429, false, 'rateLimited'],
    [500, true, 'serverError'],
    [503, true, 'serverError'],
  ])('status %i: retryable=%s reason=%s', async (status, retryable, reason) => {
    srv.respond = () => ({ status, body: 'nope' });
    const n = new WebhookNotifier(webhookIntegration(`${srv.url}/hook`), { externalURL: '', userAgent: 'x' });
    const p = n.notify(ctx(), [firing]);
    if (retryable === undefined) return expect(p).resolves.toBeUndefined();
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect(err).toMatchObject({ retryable, reason, status, message: `unexpected status code ${status}: nope` });
  });

  test('no secret in errors: connection refused and error bodies echoing the url', async () => {
    const secretUrl = `${srv.url}/hook/s3cr3t-token`;
    srv.respond = (r) => ({ status: 500, body: `bad ${srv.url}${r.url}` });
    const n = new WebhookNotifier(webhookIntegration(secretUrl), { externalURL: '', userAgent: 'x' });
    const e1 = await n.notify(ctx(), [firing]).catch((e) => e);
    expect(String(e1.message)).not.toContain('s3cr3t');
    const dead = new WebhookNotifier(webhookIntegration('http://127.0.0.1:1/s3cr3t-token'), { externalURL: '', userAgent: 'x' });
    const e2 = await dead.notify(ctx(), [firing]).catch((e) => e);
    expect(e2).toMatchObject({ retryable: true });
    expect(String(e2.message)).not.toContain('s3cr3t');
    expect(JSON.stringify(e2)).not.toContain('s3cr3t');
  });

  test('timeout: a slow receiver fails retryably with the configured-timeout error', async () => {
    srv.respond = () => ({ status: 200, delay: 400 });
    const n = new WebhookNotifier(webhookIntegration(`${srv.url}/hook`, { timeout: 100 }), { externalURL: '', userAgent: 'x' });
    const err = await n.notify(ctx(), [firing]).catch((e) => e);
    expect(err).toMatchObject({ retryable: true, message: 'POST "<redacted>": configured webhook timeout reached (100ms)' });
  });

  test('url_file is read at send time', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'wh-'));
    const f = join(dir, 'url');
    writeFileSync(f, `${srv.url}/first\n`);
    const cfg = webhookIntegration('', { url: undefined, url_file: f });
    const n = new WebhookNotifier(cfg, { externalURL: '', userAgent: 'x' });
    await n.notify(ctx(), [firing]);
    writeFileSync(f, `${srv.url}/second\n`);
    await n.notify(ctx(), [firing]);
    expect(srv.requests.map((r) => r.url)).toEqual(['/first', '/second']);
  });
});

describe('WebhookNotifier url templating', () => {
  test('a templated url is rendered against the notification data', async () => {
    const { TemplateSet } = await import('../../templates/template-set');
    const { buildTemplateData } = await import('../../templates/data');
    const ts = TemplateSet.fromSources([]);
    const n = new WebhookNotifier(webhookIntegration(`${srv.url}/{{ .GroupLabels.alertname }}/{{ .Status }}`), {
      externalURL: '',
      userAgent: 'x',
      renderUrl: (text, c, as) => ts.renderText(text, buildTemplateData({ receiver: c.receiver, alerts: as, groupLabels: c.groupLabels, externalURL: '', now: c.now })),
    });
    await n.notify(ctx(), [firing]);
    expect(srv.requests.map((r) => r.url)).toEqual(['/A/firing']);
    const bad = new WebhookNotifier(webhookIntegration('{{ .Nope.Nope }}'), {
      externalURL: '',
      userAgent: 'x',
      renderUrl: (text, c, as) => ts.renderText(text, buildTemplateData({ receiver: c.receiver, alerts: as, groupLabels: c.groupLabels, externalURL: '', now: c.now })),
    });
    await expect(bad.notify(ctx(), [firing])).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/^failed to template webhook URL/) });
  });
});

describe('WebhookNotifier max_alerts', () => {
  test('a custom payload and a templated url see only the first max_alerts alerts', async () => {
    const { TemplateSet } = await import('../../templates/template-set');
    const { buildTemplateData } = await import('../../templates/data');
    const ts = TemplateSet.fromSources([]);
    const render = (text: string, c: NotifyContext, as: readonly Alert[]) =>
      ts.renderText(text, buildTemplateData({ receiver: c.receiver, alerts: as, groupLabels: c.groupLabels, externalURL: '', now: c.now }));
    const payload = { n: '{{ len .Alerts }}', status: '{{ .Status }}', job: '{{ .CommonLabels.job }}' };
    const n = new WebhookNotifier(webhookIntegration(`${srv.url}/{{ .Status }}`, { payload, max_alerts: 1 }), { externalURL: '', userAgent: 'x', renderUrl: render });
    await n.notify(ctx(), [resolved, firing]);
    expect(srv.requests.map((r) => r.url)).toEqual(['/resolved']);
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({ n: 1, status: 'resolved', job: 'k' });
  });
});

describe('webhook payload (structured value rule)', () => {
  test('renders keys and leaves; non-string YAML results become structures', async () => {
    const { TemplateSet } = await import('../../templates/template-set');
    const { buildTemplateData } = await import('../../templates/data');
    const ts = TemplateSet.fromSources([]);
    const render = (text: string, c: NotifyContext, as: readonly import('../../types/alert').Alert[]) =>
      ts.renderText(text, buildTemplateData({ receiver: c.receiver, alerts: as, groupLabels: c.groupLabels, externalURL: '', now: c.now }));
    const payload = { text: 'Alert {{ .GroupLabels.alertname }}', count: '{{ len .Alerts.Firing }}', '{{ .Status }}': true, empty: '{{ "" }}', list: ['a', 1], colon: 'value1:' };
    const n = new WebhookNotifier(webhookIntegration(`${srv.url}/p`, { payload }), { externalURL: '', userAgent: 'x', renderUrl: render });
    await n.notify(ctx(), [firing, resolved]);
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({ text: 'Alert A', count: 1, firing: true, empty: null, list: ['a', 1], colon: { value1: null } });
  });
});
