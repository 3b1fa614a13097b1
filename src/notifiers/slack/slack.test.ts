import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Nflog } from '../../nflog/nflog';
import { MultiStage, stageFunc } from '../../pipeline/combinators';
import { DedupStage } from '../../pipeline/dedup-stage';
import { SetNotifiesStage } from '../../pipeline/set-notifies-stage';
import { systemClock } from '../../types/clock';
import { NotifyError } from '../../types/errors';
import { runNotifierContract } from '../contract';
import { rendererFactory } from '../shared/render';
import { useFakeReceiver } from '../testing/fake-receiver';
import { alert, FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, recordingLogger, rendererFor } from '../testing/fixtures';
import { SlackNotifier } from './notifier';
import { buildSlackPayload, MAX_TITLE_RUNES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/slack');
const SECRET = 'T0000/B0000/XXXXsecretXXXX';
const render = (ctx: Parameters<typeof rendererFor>[0], alerts: Parameters<typeof rendererFor>[1]) => rendererFor(ctx, alerts);

function slack(item: Record<string, unknown>, o: { userAgent?: string; logger?: ReturnType<typeof recordingLogger>['logger'] } = {}) {
  return new SlackNotifier(integrationConfig('slack', item), { userAgent: o.userAgent ?? 'Alertmanager/test', logger: o.logger ?? recordingLogger().logger, render });
}

const everyField = (url: string) => ({
  api_url: `${url}/services/${SECRET}`,
  channel: '#alerts-{{ .CommonLabels.job }}',
  username: 'am-{{ .Receiver }}',
  color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
  title: '{{ .Status | toUpper }} {{ .GroupLabels.alertname }}',
  title_link: 'https://grafana/d/x?var-job={{ .CommonLabels.job }}&a=<b>',
  pretext: 'pre {{ len .Alerts.Firing }}',
  text: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}',
  message_text: 'top-level {{ .CommonAnnotations.summary }}',
  fields: [
    { title: 'job', value: '{{ .CommonLabels.job }}' },
    { title: 'sev', value: '{{ .CommonLabels.severity }}', short: false },
  ],
  short_fields: true,
  footer: 'footer {{ .ExternalURL }}',
  fallback: 'fb {{ .Status }}',
  callback_id: 'cb-{{ .GroupLabels.alertname }}',
  icon_emoji: ':fire:',
  icon_url: 'https://img/icon.png',
  image_url: 'https://img/{{ .CommonLabels.job }}.png',
  thumb_url: 'https://img/thumb.png',
  link_names: true,
  mrkdwn_in: ['text', 'title'],
  actions: [
    { type: 'button', text: 'Runbook {{ .CommonLabels.job }}', url: 'https://runbook/{{ .CommonLabels.job }}', style: 'primary' },
    { type: 'button', text: 'Ack', name: 'ack', value: '{{ .GroupLabels.alertname }}', confirm: { text: 'Sure?', title: 'Ack {{ .Status }}', ok_text: 'Yes', dismiss_text: 'No' } },
  ],
});

runNotifierContract({
  name: 'slack',
  create: ({ url, userAgent, timeout, logger }) => slack({ api_url: `${url}/services/${SECRET}`, timeout: `${timeout}ms` }, { userAgent, logger }),
  secrets: [SECRET],
  okResponse: { body: 'ok', headers: { 'content-type': 'text/html' } },
  expectRequest: (r) => expect(r.url).toBe(`/services/${SECRET}`),
  goldens: [
    { name: 'defaults, firing', file: join(GOLDEN, 'default-firing.golden.json'), alerts: FIRING, create: ({ url, userAgent, logger }) => slack({ api_url: `${url}/s`, send_resolved: true }, { userAgent, logger }) },
    { name: 'defaults, resolved', file: join(GOLDEN, 'default-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => slack({ api_url: `${url}/s`, send_resolved: true }, { userAgent, logger }) },
    { name: 'defaults, mixed', file: join(GOLDEN, 'default-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => slack({ api_url: `${url}/s` }, { userAgent, logger }) },
    { name: 'every field', file: join(GOLDEN, 'every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => slack(everyField(url), { userAgent, logger }) },
    {
      name: 'title truncated at 1024 runes',
      file: join(GOLDEN, 'title-truncated.golden.json'),
      alerts: FIRING,
      create: ({ url, userAgent, logger }) => slack({ api_url: `${url}/s`, title: '{{ range .Alerts }}{{ .Labels.instance }} é🔥 {{ end }}'.repeat(60) }, { userAgent, logger }),
    },
    { name: 'every field, resolved', file: join(GOLDEN, 'every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => slack(everyField(url), { userAgent, logger }) },
  ],
});

describe('buildSlackPayload', () => {
  const r = { text: (s: string) => s };
  test('omits empty optional fields and keeps text, fallback, callback_id, footer and attachments', () => {
    const { message } = buildSlackPayload({}, r);
    expect(JSON.stringify(message)).toBe('{"attachments":[{"text":"","fallback":"","callback_id":"","footer":"","mrkdwn_in":["fallback","pretext","text"]}]}');
  });
  test('field short falls back to short_fields; link_names only when true', () => {
    const { message } = buildSlackPayload({ fields: [{ title: 'a', value: 'b' }, { title: 'c', value: 'd', short: false }], short_fields: true, link_names: false }, r);
    expect(message.attachments[0]!.fields).toEqual([
      { title: 'a', value: 'b', short: true },
      { title: 'c', value: 'd', short: false },
    ]);
    expect('link_names' in message).toBe(false);
  });
  test.each([
    [MAX_TITLE_RUNES, false],
    [MAX_TITLE_RUNES + 1, true],
  ])('title of %i runes: truncated=%s, at most 1024 runes ending with …', (len, cut) => {
    const title = '\u{1F525}'.repeat(len as number);
    const { message, titleTruncated } = buildSlackPayload({ title }, r);
    const got = Array.from(message.attachments[0]!.title!);
    expect(titleTruncated).toBe(cut);
    expect(got).toHaveLength(MAX_TITLE_RUNES);
    if (cut) expect(got[MAX_TITLE_RUNES - 1]).toBe('\u2026');
  });
});

describe('SlackNotifier', () => {
  const srv = useFakeReceiver();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-slack-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    srv.respond = () => ({ status: 200, body: 'ok' });
  });

  test('notify() reads api_url_file at send time (trimmed)', async () => {
    const file = join(dir, 'url');
    writeFileSync(file, `${srv.url}/first\n`);
    const n = slack({ api_url_file: file });
    await n.notify(notifyContext(), FIRING);
    writeFileSync(file, `  ${srv.url}/second  \n`);
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests.map((q) => q.url)).toEqual(['/first', '/second']);
  });

  test('notify() with an app token posts to app_url with a Bearer token', async () => {
    srv.respond = () => ({ status: 200, body: '{"ok":true,"channel":"C1","ts":"1.2"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    const n = slack({ app_token: 'xoxb-secret-token', app_url: `${srv.url}/api/chat.postMessage`, channel: '#ops' });
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.url).toBe('/api/chat.postMessage');
    expect(srv.requests[0]!.headers.authorization).toBe('Bearer xoxb-secret-token');
    expect(JSON.parse(srv.requests[0]!.body).channel).toBe('#ops');
  });

  test('notify() fails on JSON {"ok":false} (not retried, clientError, channel named) without leaking the token', async () => {
    srv.respond = () => ({ status: 200, body: '{"ok":false,"error":"invalid_auth xoxb-secret-token"}', headers: { 'content-type': 'application/json' } });
    const n = slack({ app_token: 'xoxb-secret-token', app_url: `${srv.url}/api`, channel: '#ops' });
    const e = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e).toBeInstanceOf(NotifyError);
    expect(e.message).toBe('channel "#ops": error response from Slack: invalid_auth <secret>');
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('clientError');
  });

  test('notify() fails on a text body other than "ok" (not retried)', async () => {
    srv.respond = () => ({ status: 200, body: 'invalid_payload', headers: { 'content-type': 'text/plain' } });
    const e = (await slack({ api_url: `${srv.url}/x` }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('channel "": received an error response from Slack: invalid_payload');
    expect(e.retryable).toBe(false);
  });

  test('notify() error for a non-2xx status names the channel and the status', async () => {
    srv.respond = () => ({ status: 429, body: 'rate_limited' });
    const e = (await slack({ api_url: `${srv.url}/x`, channel: '#c' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('channel "#c": unexpected status code 429: rate_limited');
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('rateLimited');
  });

  test('notify() logs a warning when the title is truncated; a template error is not retried', async () => {
    const rec = recordingLogger();
    await slack({ api_url: `${srv.url}/x`, title: 'x'.repeat(2000) }, { logger: rec.logger }).notify(notifyContext(), FIRING);
    expect(rec.lines.join('')).toContain('Truncated title');
    expect(Array.from(JSON.parse(srv.requests[0]!.body).attachments[0].title as string)).toHaveLength(1024);
    const bad = new SlackNotifier(integrationConfig('slack', { api_url: `${srv.url}/x`, title: '{{ template "nope" . }}' }), { userAgent: 'u', logger: rec.logger, render: rendererFactory((t, c, a) => rendererFor(c, a).text(t)) });
    const e = (await bad.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e).toBeInstanceOf(NotifyError);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/^failed to template Slack message: template: /);
  });

  test('update_message: the first post stores ts/channel in the nflog entry, the next notification edits it via chat.update', async () => {
    let n = 0;
    srv.respond = () => ({ status: 200, body: JSON.stringify({ ok: true, channel: 'C024BE91L', ts: `1700000000.00010${++n}` }), headers: { 'content-type': 'application/json' } });
    const notifier = new SlackNotifier(integrationConfig('slack', { app_token: 'xoxb-1', app_url: `${srv.url}/api/chat.postMessage`, channel: '#ops', update_message: true }), {
      userAgent: 'u',
      logger: recordingLogger().logger,
      render,
      chatUpdateUrl: `${srv.url}/api/chat.update`,
    });
    const nflog = new Nflog({ clock: systemClock });
    const recv = { groupName: 'team-a', integration: 'slack', idx: 0 };
    const pipeline = new MultiStage([
      new DedupStage(nflog, recv, false),
      stageFunc(async (c, as) => {
        await notifier.notify(c, as);
        return { ctx: c, alerts: as };
      }),
      new SetNotifiesStage(nflog, recv),
    ]);
    await pipeline.exec(notifyContext(), FIRING);
    expect(nflog.query(notifyContext().groupKey, recv)?.receiverData).toEqual({ threadTs: '1700000000.000101', channelId: 'C024BE91L' });
    await pipeline.exec(notifyContext(), [...FIRING, alert({ alertname: 'HighLatency', instance: 'd:9100', job: 'api', severity: 'critical' })]);
    expect(srv.requests.map((r) => r.url)).toEqual(['/api/chat.postMessage', '/api/chat.update']);
    const second = srv.requests[1]!.body;
    expect(second.startsWith('{"channel":"C024BE91L","ts":"1700000000.000101","username":')).toBe(true);
    expect(JSON.parse(second).attachments[0].title).toBe('[FIRING:3] HighLatency (api critical)');
    expect(nflog.query(notifyContext().groupKey, recv)?.receiverData).toEqual({ threadTs: '1700000000.000102', channelId: 'C024BE91L' });
  });
});
