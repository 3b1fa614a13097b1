/**
 * The whole app with Slack, PagerDuty, email and webhook receivers: the config loads, reloads, shows every
 * secret as <secret> in /api/v2/status, and an alert reaches all four (real loopback HTTP + SMTP servers). A
 * failing integration shows in alertmanager_notifications_failed_total{integration,reason}.
 */
import { SMTPServer } from 'smtp-server';
import { type Harness, postAlerts, startApp } from '../../../test/helpers/app-harness';
import { type FakeReceiver, startFakeReceiver } from './fake-receiver';
import { recordingLogger } from './fixtures';

const SLACK_SECRET = 'T000/B000/slackSECRET1';
const ROUTING_KEY = 'pd-routing-SECRET2';
const SMTP_PASSWORD = 'smtp-pass-SECRET3';
const WEBHOOK_SECRET = 'hook-SECRET4';
const FAILING_SLACK = 'T000/B000/failsSECRET5';

async function waitFor(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('app with slack, pagerduty, email and webhook integrations', () => {
  let srv: FakeReceiver;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: string[] = [];
  let h: Harness;
  const rec = recordingLogger();

  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = (r) => (r.url.includes('fails') ? { status: 400, body: 'invalid_payload' } : { status: 200, body: 'ok' });
    smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      onAuth: (_a, _s, cb) => cb(null, { user: 'x' }),
      onData(stream, _s, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          mails.push(raw);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as { port: number }).port;
    const config = `global:
  smtp_smarthost: 127.0.0.1:${smtpPort}
  smtp_from: am@example.org
  smtp_require_tls: false
  smtp_auth_username: alerts
  smtp_auth_password: ${SMTP_PASSWORD}
route:
  receiver: all
  group_by: [alertname]
  group_wait: 100ms
  group_interval: 1s
receivers:
- name: all
  webhook_configs:
  - url: ${srv.url}/webhook/${WEBHOOK_SECRET}
  email_configs:
  - to: ops@example.org
    send_resolved: true
  pagerduty_configs:
  - routing_key: ${ROUTING_KEY}
    url: ${srv.url}/pd
  slack_configs:
  - api_url: ${srv.url}/slack/${SLACK_SECRET}
    channel: '#ops'
  - api_url: ${srv.url}/slack/${FAILING_SLACK}
`;
    h = await startApp({ config, options: { logger: rec.logger } });
  });
  afterAll(async () => {
    await h?.close();
    await srv.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  test('status shows every secret as <secret>, before and after a reload', async () => {
    for (let i = 0; i < 2; i++) {
      const body = (await (await fetch(`${h.url}/api/v2/status`)).json()) as { config: { original: string } };
      const original = body.config.original;
      for (const s of [SLACK_SECRET, ROUTING_KEY, SMTP_PASSWORD, WEBHOOK_SECRET, FAILING_SLACK]) expect(original).not.toContain(s);
      expect(original.match(/<secret>/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
      expect(original).toContain('slack_configs');
      expect(original).toContain('pagerduty_configs');
      expect(original).toContain('email_configs');
      if (i === 0) expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    }
  });

  test('an alert reaches slack, pagerduty, email and webhook; the failing slack is counted with its reason', async () => {
    const r = await postAlerts(h.url, [{ labels: { alertname: 'DiskFull', instance: 'db1' }, annotations: { summary: 'disk 99%' } }]);
    expect(r.status).toBe(200);
    await waitFor(() => srv.requests.filter((q) => !q.url.includes('fails')).length >= 3 && mails.length >= 1 && srv.requests.some((q) => q.url.includes('fails')));
    const byPath = (p: string) => srv.requests.find((q) => q.url.startsWith(p))!;
    expect(JSON.parse(byPath('/slack/T000/B000/slackSECRET1').body).attachments[0].title).toBe('[FIRING:1] DiskFull (db1)');
    expect(JSON.parse(byPath('/pd').body)).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger', payload: { summary: '[FIRING:1] DiskFull (db1)', severity: 'error' } });
    expect(JSON.parse(byPath('/webhook').body).status).toBe('firing');
    expect(mails[0]).toContain('Subject: [FIRING:1] DiskFull (db1)');
    expect(mails[0]).toContain('Content-Type: text/html; charset=UTF-8');
    for (const q of srv.requests) expect(q.headers['user-agent']).toMatch(/^Alertmanager\//);
    let metrics = '';
    for (let i = 0; i < 200; i++) {
      metrics = await (await fetch(`${h.url}/metrics`)).text();
      if (/alertmanager_notifications_failed_total\{integration="slack",reason="clientError"\} [1-9]/.test(metrics)) break;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(metrics).toMatch(/alertmanager_notifications_failed_total\{integration="slack",reason="clientError"\} 1/);
    expect(metrics).toMatch(/alertmanager_notifications_failed_total\{integration="email",reason="clientError"\} 0/);
    expect(metrics).toMatch(/alertmanager_notifications_total\{integration="pagerduty"\} [1-9]/);
    expect(metrics).not.toContain(FAILING_SLACK);
    // the failed delivery is logged with receiver, integration, attempt and reason, and no secret anywhere
    const failed = rec.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'Notify attempt failed');
    expect(failed).toMatchObject({ receiver: 'all', integration: 'slack[1]', attempts: 1, reason: 'clientError', retryable: false });
    const all = rec.lines.join('');
    for (const s of [SLACK_SECRET, ROUTING_KEY, SMTP_PASSWORD, WEBHOOK_SECRET, FAILING_SLACK]) expect(all).not.toContain(s);
  });
});
