/**
 * The part-B integrations inside the whole app: a config with every one of them loads, reloads, shows its
 * secrets as <secret> in GET /api/v2/status, and alerts reach the services (real loopback receiver).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeReceiver, type FakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';

const S = {
  opsgenie: 'og-secret-key-111',
  victorops: 'vo-secret-key-222',
  pushoverUser: 'po-user-secret-333',
  pushoverToken: 'po-token-secret-444',
  telegram: '777:tg-bot-secret-555',
  discord: 'discord-hook-secret-666',
  webex: 'webex-bearer-secret-777',
  msteams: 'teams-hook-secret-888',
  msteamsv2: 'teamsv2-hook-secret-999',
  wechat: 'wechat-corp-secret-aaa',
  jira: 'jira-password-secret-bbb',
  sns: 'sns-secret-key-ccc',
  rocketchat: 'rocket-token-secret-ddd',
  rocketchatId: 'rocket-id-secret-eee',
  mattermost: 'mattermost-hook-secret-fff',
  incidentio: 'incidentio-token-secret-ggg',
};

function config(url: string, tokenFile: string): string {
  return `global:
  resolve_timeout: 5m
route:
  receiver: all
  group_wait: 0s
  group_interval: 1m
receivers:
- name: all
  opsgenie_configs: [{api_url: '${url}/og/', api_key: '${S.opsgenie}'}]
  wechat_configs: [{api_url: '${url}/wx/', api_secret: '${S.wechat}', corp_id: corp}]
  victorops_configs: [{api_url: '${url}/vo/', api_key: '${S.victorops}', routing_key: rk}]
  pushover_configs: [{user_key: '${S.pushoverUser}', token: '${S.pushoverToken}'}]
  sns_configs: [{api_url: '${url}/sns/', topic_arn: 'arn:aws:sns:eu-west-1:1:t', sigv4: {region: eu-west-1, access_key: AKIDX, secret_key: '${S.sns}'}}]
  telegram_configs: [{api_url: '${url}/tg', bot_token_file: '${tokenFile}', chat_id: -100}]
  discord_configs: [{webhook_url: '${url}/discord/${S.discord}'}]
  webex_configs: [{api_url: '${url}/webex', room_id: r, http_config: {authorization: {credentials: '${S.webex}'}}}]
  msteams_configs: [{webhook_url: '${url}/teams/${S.msteams}'}]
  msteamsv2_configs: [{webhook_url: '${url}/teamsv2/${S.msteamsv2}'}]
  jira_configs: [{api_url: '${url}/jira/rest/api/2', project: OPS, issue_type: Bug, http_config: {basic_auth: {username: u, password: '${S.jira}'}}}]
  incidentio_configs: [{url: '${url}/inc', alert_source_token: '${S.incidentio}'}]
  rocketchat_configs: [{api_url: '${url}/rc', token: '${S.rocketchat}', token_id: '${S.rocketchatId}', send_resolved: true}]
  mattermost_configs: [{webhook_url: '${url}/mm/${S.mattermost}'}]
`;
}

async function waitFor(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('part-B integrations in the app', () => {
  let srv: FakeReceiver;
  let h: Harness;
  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = (r) => {
      if (r.url.startsWith('/tg/')) return { status: 200, body: '{"ok":true,"result":{"message_id":1}}' };
      if (r.url.startsWith('/wx/gettoken')) return { status: 200, body: '{"access_token":"tok"}' };
      if (r.url.startsWith('/wx/')) return { status: 200, body: '{"errcode":0}' };
      if (r.url.startsWith('/rc/')) return { status: 200, body: '{"success":true}' };
      if (r.url.startsWith('/jira/') && r.url.endsWith('/search')) return { status: 200, body: '{"issues":[]}' };
      if (r.url.startsWith('/sns/')) return { status: 200, body: '<PublishResponse><PublishResult><MessageId>1</MessageId></PublishResult></PublishResponse>' };
      return { status: 200 };
    };
    h = await startApp({ config: 'route: {receiver: x}\nreceivers: [{name: x}]\n' });
    const tokenFile = path.join(h.dir, 'tg-token');
    writeFileSync(tokenFile, `${S.telegram}\n`);
    writeFileSync(h.configFile, config(srv.url, tokenFile));
  });
  afterAll(async () => {
    await h?.close();
    await srv?.close();
  });

  test('the config loads on reload; /api/v2/status shows every secret as <secret>', async () => {
    const r = await fetch(`${h.url}/-/reload`, { method: 'POST' });
    expect(r.status).toBe(200);
    const status = (await (await fetch(`${h.url}/api/v2/status`)).json()) as { config: { original: string } };
    const original = status.config.original;
    for (const [name, secret] of Object.entries(S)) {
      if (name === 'telegram') continue; // read from bot_token_file: the file name is shown, not the token
      expect({ name, leaked: original.includes(secret) }).toEqual({ name, leaked: false });
    }
    for (const key of ['api_key: <secret>', 'api_secret: <secret>', 'user_key: <secret>', 'token: <secret>', 'webhook_url: <secret>', 'secret_key: <secret>', 'password: <secret>', 'alert_source_token: <secret>', 'token_id: <secret>', 'credentials: <secret>']) {
      expect(original).toContain(key);
    }
    expect(original).toContain('bot_token_file:');
    expect(original).not.toContain(S.telegram);
    // reloading the same file again works and shows the same config
    const again = await fetch(`${h.url}/-/reload`, { method: 'POST' });
    expect(again.status).toBe(200);
    const status2 = (await (await fetch(`${h.url}/api/v2/status`)).json()) as { config: { original: string } };
    expect(status2.config.original).toBe(original);
  });

  test('a firing alert reaches every integration', async () => {
    const res = await postAlerts(h.url, [{ labels: { alertname: 'PartB', severity: 'critical' }, annotations: { summary: 'hello <b>' } }]);
    expect(res.status).toBe(200);
    const prefixes = ['/og/v2/alerts', '/wx/message/send', '/vo/', '/sns/', `/tg/bot${S.telegram}/sendMessage`, '/discord/', '/webex', '/teams/', '/teamsv2/', '/jira/rest/api/2/issue', '/inc', '/rc/api/v1/chat.postMessage', '/mm/'];
    await waitFor('every integration', () => prefixes.every((p) => srv.requests.some((r) => r.url.startsWith(p))));
    const tg = srv.requests.find((r) => r.url.startsWith('/tg/'))!;
    expect(JSON.parse(tg.body).text).toContain('alertname = PartB');
    // parse_mode HTML: the message is rendered with the HTML-escaping engine
    expect(JSON.parse(tg.body).text).toContain('summary = hello &lt;b&gt;');
    const mm = srv.requests.find((r) => r.url.startsWith('/mm/'))!;
    expect(JSON.parse(mm.body).attachments[0].text).toContain('summary = hello <b>');
    const teams = srv.requests.find((r) => r.url.startsWith('/teams/'))!;
    // no group_by: empty group labels, so the subject keeps both spaces (upstream __subject)
    expect(JSON.parse(teams.body).title).toBe('[FIRING:1]  (PartB critical)');
  });

  test('telegram with an inline bot_token (not _file): loads, reloads, shown as <secret>', async () => {
    const tg = await startApp({ config: `route: {receiver: t}\nreceivers:\n- name: t\n  telegram_configs: [{api_url: '${srv.url}/tg', bot_token: '${S.telegram}', chat_id: -100}]\n` });
    try {
      for (let i = 0; i < 2; i++) {
        const original = ((await (await fetch(`${tg.url}/api/v2/status`)).json()) as { config: { original: string } }).config.original;
        expect(original).toContain('bot_token: <secret>');
        expect(original).not.toContain(S.telegram);
        if (i === 0) expect((await fetch(`${tg.url}/-/reload`, { method: 'POST' })).status).toBe(200);
      }
    } finally {
      await tg.close();
    }
  });
});
