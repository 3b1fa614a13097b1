import { join, resolve } from 'node:path';
import type { NotifyError } from '../../types/errors';
import { type RecordedRequest, startFakeReceiver, useFakeReceiver } from '../testing/fake-receiver';
import { reasonForStatus } from '../shared/http-sender';
import { expectDeadlineThenCancel, expectGolden, FIRING, integrationConfig, MIXED, notifyContext, recordingLogger, RESOLVED, templatedDeps } from '../testing/fixtures';
import { TOKEN_LIFETIME_MS, WechatNotifier } from './notifier';
import { buildWechatMessage } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/wechat');
const SECRET = 'wx-corp-secret-55aa';
const TOKEN = 'ACCESS_TOKEN_77';

function wechat(url: string, item: Record<string, unknown> = {}, logger = recordingLogger().logger, timeout = 0) {
  return new WechatNotifier(integrationConfig('wechat', { api_url: `${url}/cgi-bin/`, api_secret: SECRET, corp_id: 'corp1', send_resolved: true, ...item }), templatedDeps({ logger, timeout }));
}

function allText(e: unknown): string {
  return e instanceof Error ? `${e.message} ${e.stack ?? ''} ${allText((e as { cause?: unknown }).cause)}` : String(e ?? '');
}

describe('WechatNotifier', () => {
  const srv = useFakeReceiver();
  let send: (r: RecordedRequest) => { status: number; body: string; delay?: number };
  beforeEach(() => {
    send = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    srv.respond = (r) => (r.url.startsWith('/cgi-bin/gettoken') ? { status: 200, body: `{"access_token":"${TOKEN}","expires_in":7200}` } : send(r));
  });

  test('notify() gets a token, then posts the message with it; the token is reused for 2 hours', async () => {
    const n = wechat(srv.url);
    await n.notify(notifyContext(), FIRING);
    await n.notify(notifyContext({ now: notifyContext().now + TOKEN_LIFETIME_MS }), FIRING);
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /cgi-bin/gettoken?corpid=corp1&corpsecret=${SECRET}`,
      `POST /cgi-bin/message/send?access_token=${TOKEN}`,
      `POST /cgi-bin/message/send?access_token=${TOKEN}`,
    ]);
    expect(srv.requests[1]!.headers['user-agent']).toBe('Alertmanager/test');
    expect(srv.requests[1]!.headers['content-type']).toBe('application/json');
    await n.notify(notifyContext({ now: notifyContext().now + TOKEN_LIFETIME_MS + 1 }), FIRING);
    expect(srv.requests[3]!.url).toMatch(/^\/cgi-bin\/gettoken/);
  });

  test.each([
    ['default-firing', {}, FIRING],
    ['default-resolved', {}, RESOLVED],
    ['default-mixed', {}, MIXED],
    ['every-field-mixed', { to_user: 'u1|{{ .CommonLabels.job }}', to_party: 'p1', to_tag: 't1', agent_id: '1000002', message: '{{ .Status }} <{{ len .Alerts }}>' }, MIXED],
    ['every-field-resolved', { to_user: 'u1|{{ .CommonLabels.job }}', to_party: 'p1', to_tag: 't1', agent_id: '1000002', message: '{{ .Status }} <{{ len .Alerts }}>' }, RESOLVED],
    ['markdown-mixed', { message_type: 'markdown', message: '# {{ .Status }}', agent_id: '7' }, MIXED],
  ] as const)('golden payload: %s', async (name, item, alerts) => {
    await wechat(srv.url, item).notify(notifyContext(), alerts);
    expectGolden(join(GOLDEN, `${name}.golden.json`), srv.requests[1]!.body);
  });

  test('errcode 42001 drops the token and is retried; other errcodes fail for good; non-200 is retried', async () => {
    const n = wechat(srv.url);
    send = () => ({ status: 200, body: '{"errcode":42001,"errmsg":"access_token expired"}' });
    const e1 = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e1.retryable).toBe(true);
    expect(e1.message).toBe('access_token expired');
    send = () => ({ status: 200, body: '{"errcode":60020,"errmsg":"not allow to access from your ip"}' });
    const e2 = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e2.retryable).toBe(false);
    expect(srv.requests.filter((r) => r.url.startsWith('/cgi-bin/gettoken'))).toHaveLength(2);
    for (const status of [400, 429, 503]) {
      send = () => ({ status, body: 'x' });
      const e = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
      expect(e.message).toBe(`unexpected status code ${status}`);
      expect(e.retryable).toBe(true);
    }
  });

  // upstream wechat.go: any message/send answer but 200 is retried (not only 5xx/429), with the reason from the status
  test.each([201, 202, 204, 301, 400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504])(
    'status %i on message/send: retryable (any non-200), reason from the status, token kept',
    async (status) => {
      const n = wechat(srv.url);
      send = () => ({ status, body: '{"errcode":0,"errmsg":"ok"}' });
      const e = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
      expect({ message: e.message, retryable: e.retryable, reason: e.reason }).toEqual({
        message: `unexpected status code ${status}`,
        retryable: true,
        reason: reasonForStatus(status),
      });
      send = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
      await n.notify(notifyContext(), FIRING);
      expect(srv.requests.filter((r) => r.url.startsWith('/cgi-bin/gettoken'))).toHaveLength(1);
      for (const r of srv.requests) expect(r.headers['user-agent']).toBe('Alertmanager/test');
    },
  );

  // upstream decodes the gettoken answer whatever its status: a token in the body is used, anything else fails for good
  test.each([201, 301, 400, 401, 403, 404, 429, 500, 502, 503])('status %i on gettoken: the status is not checked, the body decides', async (status) => {
    let tokenBody = 'nope';
    srv.respond = (r) => (r.url.startsWith('/cgi-bin/gettoken') ? { status, body: tokenBody } : send(r));
    const n = wechat(srv.url);
    const e = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/^could not decode the WeChat token response/);
    tokenBody = '{"errcode":40001}';
    const e2 = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect({ message: e2.message, retryable: e2.retryable }).toEqual({ message: 'invalid APISecret for CorpID: corp1', retryable: false });
    tokenBody = `{"access_token":"${TOKEN}"}`;
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests.at(-1)!.url).toBe(`/cgi-bin/message/send?access_token=${TOKEN}`);
  });

  test('a timeout is retryable (contextDeadlineExceeded); the pipeline abort is not (contextCanceled)', async () => {
    send = () => ({ status: 200, body: '{"errcode":0}', delay: 2000 });
    await expectDeadlineThenCancel((timeout) => wechat(srv.url, {}, undefined, timeout));
  });

  test('an answer without access_token fails without retry and names the corp id', async () => {
    srv.respond = () => ({ status: 200, body: '{"errcode":40001,"errmsg":"invalid credential"}' });
    const e = (await wechat(srv.url).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('invalid APISecret for CorpID: corp1');
    expect(e.retryable).toBe(false);
  });

  test('no secret or token in errors or logs (echoing server, refused connection)', async () => {
    const rec = recordingLogger();
    send = (r) => ({ status: 200, body: `{"errcode":1,"errmsg":"bad ${srv.url}${r.url} ${TOKEN} ${SECRET}"}` });
    const e1 = await wechat(srv.url, {}, rec.logger)
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x);
    const dead = await startFakeReceiver();
    const deadUrl = dead.url;
    await dead.close();
    const e2 = (await wechat(deadUrl, {}, rec.logger)
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e2.retryable).toBe(true);
    const text = [allText(e1), allText(e2), ...rec.lines].join('\n');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  });
});

describe('buildWechatMessage', () => {
  const r = { text: (s: string) => s };
  test('both text and markdown objects are always present (Go never omits a struct)', () => {
    expect(buildWechatMessage({ message: 'm' }, r)).toBe('{"text":{"content":"m"},"safe":"0","msgtype":"text","markdown":{"content":""}}\n');
    expect(buildWechatMessage({ message: 'm', message_type: 'markdown', to_user: '@all' }, r)).toBe(
      '{"text":{"content":""},"touser":"@all","safe":"0","msgtype":"markdown","markdown":{"content":"m"}}\n',
    );
  });
});
