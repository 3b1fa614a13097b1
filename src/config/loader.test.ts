import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, type ConfigProblem, formatConfigProblem } from '../types/errors';
import { Secret } from '../types/secret';
import { UNSUPPORTED_INTEGRATIONS } from './integrations';
import { loadConfigFile, loadConfigString } from './loader';
import type { IntegrationConfig, LoadedConfig } from './types';

/** One integration's settings as a plain record (tests read keys of several integration types). */
function settingsOf(i: IntegrationConfig): Record<string, unknown> {
  return i.settings;
}

const FIXTURES = resolve(__dirname, '../../test/fixtures/config');
// a copy of /work/shared/seed/alertmanager.yml (the seed article's config)
const SEED = join(FIXTURES, 'seed-alertmanager.yml');

async function problemsOf(file: string, opts = {}): Promise<ConfigProblem[]> {
  try {
    await loadConfigFile(file, opts);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error(`${file} loaded without problems`);
}

function problemsOfText(text: string, opts = {}): ConfigProblem[] {
  try {
    loadConfigString(text, '/cfg/test.yml', opts);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

/** line:col [path] message — the compact form the table pins. */
const brief = (p: ConfigProblem) => `${p.line}:${p.column} [${p.path}] ${p.message}`;

describe('loadConfigFile() one fixture per validation rule', () => {
  const cases: [string, string[]][] = [
    ['conf.empty.yml', ['0:0 [] no route provided in config']],
    ['conf.no-route.yml', ['1:1 [] no routes provided']],
    ['conf.not-a-map.yml', ['1:8 [route] cannot unmarshal !!seq into route']],
    ['conf.unknown-key.yml', ['1:1 [rout] field rout not found in config']],
    ['conf.duplicate-key.yml', ['3:3 [route.receiver] field receiver already set in route']],
    ['conf.wrong-type.yml', ['5:17 [route.routes[0].continue] cannot unmarshal !!str `maybe` into bool']],
    ['conf.bad-duration.yml', ['3:15 [route.group_wait] not a valid duration string: "5x"']],
    ['conf.bad-regex.yml', ['6:14 [route.routes[0].match_re.job] error parsing regexp: missing closing ]: `[x)$`']],
    ['conf.bad-matcher.yml', ['6:11 [route.routes[0].matchers[0]] error parsing regexp: missing closing ]: `[x)$`']],
    ['conf.invalid-match-label.yml', ['6:9 [route.routes[0].match.0job] invalid label name "0job"']],
    ['conf.group-by-wildcard-mix.yml', ['3:13 [route.group_by] cannot have wildcard group_by (`...`) and other labels at the same time']],
    ['conf.group-by-duplicate.yml', ['3:30 [route.group_by[2]] duplicated label "alertname" in group_by']],
    ['conf.group-interval-zero.yml', ['3:19 [route.group_interval] group_interval cannot be zero']],
    ['conf.repeat-interval-zero.yml', ['5:24 [route.routes[0].repeat_interval] repeat_interval cannot be zero']],
    ['conf.root-no-receiver.yml', ['2:3 [route] root route must specify a default receiver']],
    ['conf.root-matchers.yml', ['3:13 [route.matchers] root route must not have any matchers']],
    ['conf.root-match.yml', ['4:5 [route.match] root route must not have any matchers']],
    ['conf.root-continue.yml', ['3:13 [route.continue] cannot have continue in root route']],
    ['conf.root-mute-intervals.yml', ['3:24 [route.mute_time_intervals] root route must not have any mute time intervals']],
    ['conf.root-active-intervals.yml', ['3:26 [route.active_time_intervals] root route must not have any active time intervals']],
    ['conf.undefined-receiver.yml', ['4:17 [route.routes[0].receiver] undefined receiver "A" used in route']],
    ['conf.undefined-time-interval.yml', ['5:29 [route.routes[0].mute_time_intervals[0]] undefined time interval "weekends" used in route']],
    ['conf.duplicate-receiver.yml', ['6:11 [receivers[2].name] notification config name "a" is not unique']],
    ['conf.missing-receiver-name.yml', ['5:5 [receivers[1]] missing name in receiver']],
    ['conf.receiver-name-label.yml', ['6:7 [receivers[0].labels] receiver label "name" must match receiver name "a", got "b"']],
    ['conf.duplicate-time-interval.yml', ['6:11 [time_intervals[0].name] time interval "x" is not unique']],
    ['conf.duplicate-mute-time-interval.yml', ['5:11 [mute_time_intervals[1].name] mute time interval "x" is not unique']],
    ['conf.time-interval-missing-name.yml', ['4:5 [time_intervals[0]] missing name in time interval']],
    ['conf.time-interval-bad-time.yml', ["7:13 [time_intervals[0].time_intervals[0].times[0]] couldn't parse timestamp 9:00, invalid format"]],
    ['conf.time-interval-bad-weekday.yml', ['6:28 [time_intervals[0].time_intervals[0].weekdays[1]] funday is not a valid weekday']],
    ['conf.time-interval-bad-location.yml', ['6:19 [time_intervals[0].time_intervals[0].location] unknown time zone Mars/Olympus']],
    ['conf.invalid-equal-label.yml', ['6:13 [inhibit_rules[0].equal[0]] invalid label name "" in equal list']],
    [
      'conf.inhibit-bad-match.yml',
      [
        '5:7 [inhibit_rules[0].source_match.a-b] invalid label name "a-b"',
        '7:10 [inhibit_rules[0].target_match_re.c] error parsing regexp: missing closing ): `^(?:(x)$`',
      ],
    ],
    ['conf.global-exclusive.yml', ['3:23 [global.slack_api_url_file] at most one of slack_api_url & slack_api_url_file must be configured']],
    ['conf.global-bad-url.yml', ['2:18 [global.pagerduty_url] unsupported scheme "ftp" for URL']],
    ['conf.smtp-no-port.yml', ['2:19 [global.smtp_smarthost] address "smtp.example.com:": port cannot be empty']],
    ['conf.http-config-exclusive.yml', ['3:5 [global.http_config] at most one of basic_auth, oauth2 & authorization must be configured']],
    ['conf.yaml-syntax.yml', ['4:1 [] yaml: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['conf.nil-integration.yml', ['6:8 [receivers[0].email_configs[0]] missing email config']],
  ];
  test.each(cases)('%s', async (file, expected) => {
    const ps = await problemsOf(join(FIXTURES, file));
    expect(ps.map(brief)).toEqual(expected);
    for (const p of ps) expect(p.file).toBe(join(FIXTURES, file));
  });

  test('duplicate keys inside maps, with the first position as hint', () => {
    const [p] = problemsOfText('route:\n  receiver: a\n  routes:\n    - match:\n        job: x\n        job: y\nreceivers: [{name: a}]\n');
    expect(p).toMatchObject({ line: 6, column: 9, path: 'route.routes[0].match.job', message: 'key "job" already set in map', hint: 'first set at line 5' });
  });

  test('a global block of the wrong type is one problem, not a cascade', () => {
    const ps = problemsOfText('global: [1]\nroute: {receiver: a}\nreceivers:\n  - name: a\n    pagerduty_configs: [{routing_key: k}]\n');
    expect(ps.map(brief)).toEqual(['1:9 [global] cannot unmarshal !!seq into global']);
  });

  test('a root receiver of the wrong type is one problem', () => {
    expect(problemsOfText('route: {receiver: [a]}\nreceivers: [{name: a}]\n').map(brief)).toEqual(['1:19 [route.receiver] cannot unmarshal !!seq into string']);
    expect(problemsOfText("route: {receiver: ''}\nreceivers: [{name: a}]\n").map(brief)).toEqual(['1:8 [route] root route must specify a default receiver']);
  });

  test('a null route is no route', () => {
    expect(problemsOfText('route:\nreceivers: [{name: a}]\n').map(brief)).toEqual(['1:1 [route] no route provided in config']);
  });

  test('unknown keys get the nearest known key as a hint', async () => {
    const [p] = await problemsOf(join(FIXTURES, 'conf.unknown-key.yml'));
    expect(p!.hint).toBe('did you mean "route"?');
    const [q] = problemsOfText('route:\n  receiver: a\n  gruop_by: [x]\nreceivers: [{name: a}]\n');
    expect(q).toMatchObject({ path: 'route.gruop_by', message: 'field gruop_by not found in route', hint: 'did you mean "group_by"?' });
  });

  test('undefined receivers suggest a case-insensitive match', async () => {
    const [p] = await problemsOf(join(FIXTURES, 'conf.undefined-receiver.yml'));
    expect(p!.hint).toBe('did you mean "a"?');
  });
});

describe('loadConfigFile() the seed article config', () => {
  test('reports every problem in one pass, located', async () => {
    const ps = await problemsOf(SEED);
    expect(ps.map(brief)).toEqual([
      '22:17 [route.routes[1].receiver] undefined receiver "slack-monitoring" used in route',
      '30:21 [route.routes[2].routes[0].receiver] undefined receiver "ml-platform-slack" used in route',
      '32:11 [route.routes[2].routes[0].inhibit_rules] field inhibit_rules not found in route',
      '42:9 [receivers[0].slack_configs[0]] no Slack API URL nor App token set either inline or in a file',
    ]);
    expect(ps[2]!.hint).toMatch(/^inhibit_rules is a top-level key/);
    expect(ps[3]!.hint).toBe('set api_url (or api_url_file) here, or slack_api_url in the global block');
    expect(ps[0]!.hint).toBe('defined receivers: "team-ops", "pagerduty", "ml-oncall"');
  });
  test('the ConfigError message lists file:line:col, message, path and hint', async () => {
    const err = await loadConfigFile(SEED).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('AM_ERR_CONFIG');
    expect((err as Error).message).toContain(
      `${SEED}:32:11: field inhibit_rules not found in route (at route.routes[2].routes[0].inhibit_rules)\n    hint: inhibit_rules is a top-level key`,
    );
  });
});

describe('loadConfigFile() kitchen sink', () => {
  let loaded: LoadedConfig;
  beforeAll(async () => {
    // every integration, including those Tocsin cannot send yet (UNSUPPORTED_INTEGRATIONS)
    loaded = await loadConfigFile(join(FIXTURES, 'conf.kitchen-sink.yml'), { acceptUnsupported: true });
  });

  test('by default, integrations Tocsin cannot send yet are refused, each located', async () => {
    const ps = UNSUPPORTED_INTEGRATIONS.length > 0 ? await problemsOf(join(FIXTURES, 'conf.kitchen-sink.yml')) : [];
    expect(ps.map((p) => p.path).sort()).toEqual(UNSUPPORTED_INTEGRATIONS.map((t) => `receivers[0].${t}_configs`).sort());
    for (const p of ps) expect(p.message).toMatch(/^integration "\w+" is not supported yet by Tocsin \(receiver "everything"\)$/);
  });

  test('every integration type, in upstream build order, with indexes', () => {
    const everything = loaded.config.receivers[0]!;
    expect(everything.integrations.map((i) => i.type)).toEqual([
      'webhook',
      'email',
      'pagerduty',
      'opsgenie',
      'wechat',
      'slack',
      'victorops',
      'pushover',
      'sns',
      'telegram',
      'discord',
      'webex',
      'msteams',
      'msteamsv2',
      'jira',
      'incidentio',
      'rocketchat',
      'mattermost',
    ]);
    expect(everything.integrations.every((i) => i.index === 0)).toBe(true);
    expect(everything.labels).toEqual({ owner: 'sre', name: 'everything' });
    const sendResolved = Object.fromEntries(everything.integrations.map((i) => [i.type, i.send_resolved]));
    expect(sendResolved).toMatchObject({ email: false, slack: false, wechat: false, rocketchat: false, webhook: true, pagerduty: true });
  });

  test('routes: matchers merged and sorted, root defaults only at the root, group_by forms', () => {
    const r = loaded.config.route;
    expect(r).toMatchObject({ receiver: 'everything', group_by: ['alertname', 'cluster'], group_wait: 10_000, group_interval: 60_000, repeat_interval: 7_200_000 });
    const [pager, chat] = r.routes;
    expect(pager!.matchers.map(String)).toEqual(['severity="critical"', 'team=~"db|web"']);
    expect(pager!.continue).toBe(true);
    expect(pager!.labels).toEqual({ tier: '{{ .CommonLabels.team }}' });
    expect(pager!.group_wait).toBeUndefined();
    expect(pager!.group_by).toBeUndefined();
    // match_re values are the anchored regexp (upstream builds them from config.Regexp.String())
    expect(chat!.matchers.map(String)).toEqual(['env=~"^(?:prod|staging)$"', 'service="billing"']);
    expect(chat!.matchers[0]!.matches('staging')).toBe(true);
    expect(chat!.matchers[0]!.matches('prod2')).toBe(false);
    expect(chat!.group_by).toEqual(['...']);
    expect(chat!.mute_time_intervals).toEqual(['offhours']);
    expect(chat!.active_time_intervals).toEqual(['business']);
    expect(chat!.routes[0]!.group_by).toEqual([]);
    expect(chat!.routes[0]!.repeat_interval).toBe(12 * 3_600_000);
  });

  test('inhibit rules: all forms ANDed; a null item is an empty rule', () => {
    const [a, b, c] = loaded.config.inhibit_rules;
    expect(a).toMatchObject({ name: 'critical-mutes-warning', equal: ['alertname', 'cluster'] });
    expect(a!.source_matchers.map(String)).toEqual(['severity="critical"']);
    expect(b!.source_matchers.map(String)).toEqual(['alertname="NodeDown"']);
    expect(b!.target_matchers.map(String)).toEqual(['alertname=~"Node.+"']);
    expect(c).toEqual({ source_matchers: [], target_matchers: [], equal: [] });
  });

  test('time intervals parsed', () => {
    expect(loaded.config.time_intervals).toEqual([
      {
        name: 'business',
        time_intervals: [{ weekdays: [{ begin: 1, end: 5 }], times: [{ startMinute: 540, endMinute: 1050 }], location: 'Europe/Berlin' }],
      },
    ]);
    expect(loaded.config.mute_time_intervals[0]!.time_intervals).toEqual([
      { weekdays: [{ begin: 6, end: 6 }, { begin: 0, end: 0 }] },
      {
        days_of_month: [
          { begin: -1, end: -1 },
          { begin: 1, end: 5 },
        ],
        months: [
          { begin: 12, end: 12 },
          { begin: 1, end: 2 },
        ],
        years: [{ begin: 2025, end: 2030 }],
      },
    ]);
  });

  test('relative paths resolve against the config directory', () => {
    expect(loaded.config.templates).toEqual([join(FIXTURES, 'templates/*.tmpl'), '/etc/tocsin/extra.tmpl']);
    const pd = settingsOf(loaded.config.receivers[1]!.integrations[0]!);
    expect((pd.service_key as Secret).file).toBe(join(FIXTURES, 'secrets/pd-service-key'));
    const slack = settingsOf(loaded.config.receivers[2]!.integrations[0]!);
    expect(slack.api_url_file).toBe(join(FIXTURES, 'secrets/slack-url'));
    expect(loaded.config.receivers[2]!.integrations[0]!.send_resolved).toBe(true);
  });

  test('global defaults and fallbacks reach the integrations', () => {
    const g = loaded.config.global;
    expect(g.resolve_timeout).toBe(600_000);
    expect(g.http_config).toMatchObject({ proxy_url: 'http://proxy.internal:3128', follow_redirects: true, enable_http2: true });
    expect(g.smtp_hello).toBe('localhost');
    expect(g.pagerduty_url).toBe('https://events.pagerduty.com/v2/enqueue');
    const by = Object.fromEntries(loaded.config.receivers[0]!.integrations.map((i) => [i.type, settingsOf(i)]));
    expect(by.webhook!.http_config).toEqual(g.http_config);
    expect(by.email).toMatchObject({ smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com', auth_username: 'am', headers: { Subject: 'Alert {{ .Status }}' } });
    expect((by.email!.auth_password as Secret).reveal()).toBe('smtp-global-password');
    expect((by.slack!.api_url as Secret).reveal()).toBe('https://hooks.slack.com/services/T0/B0/global-slack-secret');
    expect((by.opsgenie!.api_key as Secret).reveal()).toBe('opsgenie-global-key');
    expect(by.wechat!.corp_id).toBe('corp-1');
    expect((by.telegram!.bot_token as Secret).reveal()).toBe('telegram-global-token');
    expect(by.jira!.api_url).toBe('https://jira.example.com/rest/api/2/');
    expect((by.mattermost!.webhook_url as Secret).reveal()).toBe('https://mattermost.example.com/hooks/global-mm-secret');
    expect(by.webex!.http_config).toMatchObject({ authorization: { type: 'Bearer' } });
    expect(by.webex!.http_config).not.toHaveProperty('proxy_url');
  });

  test('original: defaults filled in, secrets hidden, and it reloads to the same config', () => {
    const o = loaded.original;
    for (const secret of [
      'smtp-global-password',
      'global-slack-secret',
      'opsgenie-global-key',
      'victorops-global-key',
      'wechat-global-secret',
      'telegram-global-token',
      'rocket-global-token',
      'rocket-global-id',
      'global-mm-secret',
      'hook-secret-path',
      'pd-routing-secret',
      'pushover-user-secret',
      'pushover-token-secret',
      'sns-aws-secret',
      'discord-secret',
      'webex-bearer-secret',
      'msteams-secret',
      'msteamsv2-secret',
      'incidentio-secret',
    ]) {
      expect(o).not.toContain(secret);
    }
    expect(o).toContain('<secret>');
    expect(o).toContain('smtp_hello: localhost');
    expect(o).toContain('send_resolved: false');
    expect(o).toContain('follow_redirects: true');
    expect(o).toContain("- team=~\"db|web\"");
    expect(o).toContain('title: \'{{ template "slack.default.title" . }}\'');
    // files are shown, not read
    expect(o).toContain(`service_key_file: ${join(FIXTURES, 'secrets/pd-service-key')}`);

    const again = loadConfigString(o, join(FIXTURES, 'reloaded.yml'), { acceptUnsupported: true });
    const shape = (l: LoadedConfig) => JSON.parse(JSON.stringify(l.config));
    expect(shape(again)).toEqual(shape(loaded));
    expect(again.original).toBe(o);
  });

  test('hash is sha256 of the raw text', () => {
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    const copy = loadConfigString(loaded.raw, join(FIXTURES, 'conf.kitchen-sink.yml'), { acceptUnsupported: true });
    expect(copy.hash).toBe(loaded.hash);
    expect(loadConfigString(`${loaded.raw}\n`, join(FIXTURES, 'x.yml'), { acceptUnsupported: true }).hash).not.toBe(loaded.hash);
  });
});

describe('loadConfigString() rules and modes', () => {
  test('a minimal config gets the root defaults', () => {
    const l = loadConfigString('route:\n  receiver: default\nreceivers:\n  - name: default\n', '/cfg/min.yml');
    expect(l.config.route).toMatchObject({ receiver: 'default', group_by: [], group_wait: 30_000, group_interval: 300_000, repeat_interval: 14_400_000, continue: false, matchers: [] });
    expect(l.config.global.resolve_timeout).toBe(300_000);
    expect(l.config.global.smtp_require_tls).toBe(true);
    expect(l.config.receivers[0]!.integrations).toEqual([]);
    expect(l.file).toBe('/cfg/min.yml');
    expect(l.original).toContain('templates: []');
  });

  test('anchors, aliases and merge keys work as in yaml.v2', () => {
    const l = loadConfigString(
      [
        'route:',
        '  receiver: a',
        '  routes:',
        '    - &child {receiver: b, group_wait: 1s}',
        '    - <<: *child',
        '      group_wait: 2s',
        'receivers:',
        '  - name: a',
        '    webhook_configs: &hooks',
        '      - url: http://127.0.0.1:1/x',
        '  - name: b',
        '    webhook_configs: *hooks',
      ].join('\n'),
      '/cfg/a.yml',
    );
    expect(l.config.route.routes.map((r) => [r.receiver, r.group_wait])).toEqual([
      ['b', 1000],
      ['b', 2000],
    ]);
    expect(l.config.receivers[1]!.integrations).toHaveLength(1);
  });

  test('original leaves out master-only keys holding defaults (amtool 0.25 compatibility) but keeps written ones', () => {
    const bare = loadConfigString(
      'route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs: [{url: "http://127.0.0.1:1/hook-secret"}]\n    slack_configs: [{api_url: "https://x/", channel: c}]\n',
      '/cfg/a.yml',
    );
    const keysOf = (o: string) => new Set([...o.matchAll(/^[ -]*(\w+):/gm)].map((m) => m[1]!));
    const bareKeys = keysOf(bare.original);
    for (const k of ['slack_app_url', 'rocketchat_api_url', 'labels', 'timeout', 'app_url', 'update_message']) expect({ k, shown: bareKeys.has(k) }).toEqual({ k, shown: false });
    // 0.25 keys keep master's defaults; the webhook URL stays hidden
    for (const k of ['smtp_hello', 'webex_api_url', 'send_resolved', 'max_alerts', 'follow_redirects', 'title']) expect({ k, shown: bareKeys.has(k) }).toEqual({ k, shown: true });
    expect(bare.original).toContain('url: http://<secret>');
    expect(bare.original).not.toContain('hook-secret');
    // the left-out keys come back with the same values on reload
    const again = loadConfigString(bare.original, '/cfg/b.yml');
    expect(again.config.global.slack_app_url).toBe(bare.config.global.slack_app_url);
    expect(again.config.receivers[0]!.labels).toEqual({ name: 'a' });
    expect(again.config.receivers[0]!.integrations.map((i) => [settingsOf(i).timeout, settingsOf(i).app_url])).toEqual(
      bare.config.receivers[0]!.integrations.map((i) => [settingsOf(i).timeout, settingsOf(i).app_url]),
    );
    expect(again.original).toBe(bare.original);

    const written = loadConfigString(
      'global:\n  slack_app_url: https://slack.example.com/api\nroute:\n  receiver: a\nreceivers:\n  - name: a\n    labels: {team: x}\n    webhook_configs: [{url: "http://127.0.0.1:1/", timeout: 5s}]\n',
      '/cfg/c.yml',
    );
    expect(written.original).toContain('slack_app_url: https://slack.example.com/api');
    expect(written.original).toMatch(/labels:\n\s+team: x\n\s+name: a/);
    expect(written.original).toContain('timeout: 5s');
    expect(loadConfigString(written.original, '/cfg/d.yml').original).toBe(written.original);
  });

  test('original quotes YAML 1.1 look-alikes (yes, on, n, 1:20) so they reload as strings', () => {
    const text =
      "route:\n  receiver: 'yes'\n  group_by: ['on', 'n']\nreceivers:\n  - name: 'yes'\n    slack_configs: [{api_url: 'https://x/', channel: '1:20', title: '~'}]\n" +
      "    webhook_configs: [{url: 'http://x/', payload: {flag: 'yes', time: '1:20', off: 'off'}}]\n";
    const a = loadConfigString(text, '/cfg/a.yml');
    const b = loadConfigString(a.original, '/cfg/b.yml');
    expect(b.config.route.receiver).toBe('yes');
    expect(b.config.route.group_by).toEqual(['on', 'n']);
    expect(settingsOf(b.config.receivers[0]!.integrations[1]!)).toMatchObject({ channel: '1:20', title: '~' });
    expect(settingsOf(b.config.receivers[0]!.integrations[0]!).payload).toEqual({ flag: 'yes', time: '1:20', off: 'off' });
  });

  test('deeply shared aliases do not blow up (each node expanded once)', () => {
    let text = 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    const t0 = Date.now();
    const ps = problemsOfText(`${text}route: {receiver: a}\nreceivers: [{name: a}]\n`);
    expect(Date.now() - t0).toBeLessThan(5000);
    // 10^12 nodes: refused before any walk (amtool, whose strict decoder skips unknown keys, reports them instead;
    // the file is invalid either way)
    expect(ps.map((p) => p.message)).toEqual(['yaml: document contains excessive aliasing']);
  });

  test('excessive aliasing is an error, not a hang', () => {
    let text = 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++) text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    text = text.replace(/^l(\d+):/gm, '  l$1:');
    const t0 = Date.now();
    const ps = problemsOfText(`route: {receiver: a}\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://x/\n        payload:\n${text.replace(/^/gm, '          ')}\n`);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(ps.map((p) => p.message)).toEqual(['yaml: document contains excessive aliasing']);
  });

  test('an empty global block restores the defaults', () => {
    const l = loadConfigString('global:\nroute:\n  receiver: d\nreceivers: [{name: d}]\n', '/cfg/a.yml');
    expect(l.config.global.resolve_timeout).toBe(300_000);
    expect(l.config.global.http_config).toMatchObject({ follow_redirects: true, enable_http2: true });
  });

  test('label name validity follows the matcher mode', () => {
    const text = "route:\n  receiver: d\n  group_by: ['0x', 'foo🙂']\nreceivers: [{name: d}]\n";
    expect(problemsOfText(text)).toEqual([]);
    expect(problemsOfText(text, { matcherMode: 'classic' }).map((p) => p.message)).toEqual([
      'invalid label name "0x" in group_by list',
      'invalid label name "foo🙂" in group_by list',
    ]);
  });

  test('classic mode also checks route labels and inhibit equal lists', () => {
    const text = "route:\n  receiver: d\n  routes:\n    - labels: {a-b: x}\ninhibit_rules:\n  - equal: ['team.name']\nreceivers: [{name: d}]\n";
    expect(problemsOfText(text)).toEqual([]);
    expect(problemsOfText(text, { matcherMode: 'classic' }).map(brief)).toEqual([
      '4:16 [route.routes[0].labels.a-b] invalid label name "a-b" in route labels',
      '6:13 [inhibit_rules[0].equal[0]] invalid label name "team.name" in equal list',
    ]);
  });

  test('utf8 mode rejects classic-only matcher input', () => {
    const text = "route:\n  receiver: d\n  routes:\n    - matchers: ['foo=bar\\\\d']\nreceivers: [{name: d}]\n";
    expect(problemsOfText(text)).toEqual([]);
    const ps = problemsOfText(text, { matcherMode: 'utf8' });
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe('route.routes[0].matchers[0]');
  });

  test('matchers: fallback mode parses classic-only input and warns', () => {
    const l = loadConfigString("route:\n  receiver: d\n  routes:\n    - matchers: ['foo=bar\\\\d']\nreceivers: [{name: d}]\n", '/cfg/a.yml');
    expect(l.config.route.routes[0]!.matchers.map(String)).toEqual(['foo="bar\\\\d"']);
    expect(l.warnings.some((w) => w.includes('classic matchers parser'))).toBe(true);
  });

  test('many problems at once, sorted by position', () => {
    const ps = problemsOfText(
      'route:\n  receiver: nobody\n  group_wait: soon\n  routes:\n    - repeat_interval: 0s\nreceivers:\n  - name: a\n    webhook_configs:\n      - send_resolved: true\n',
    );
    expect(ps.map(brief)).toEqual([
      '2:13 [route.receiver] undefined receiver "nobody" used in route',
      '3:15 [route.group_wait] not a valid duration string: "soon"',
      '5:24 [route.routes[0].repeat_interval] repeat_interval cannot be zero',
      '9:9 [receivers[0].webhook_configs[0]] one of url or url_file must be configured',
    ]);
  });

  test('secrets never appear in problems', () => {
    const ps = problemsOfText('global:\n  slack_api_url: ftp://hooks/super-secret\nroute: {receiver: a}\nreceivers: [{name: a}]\n');
    expect(ps.map((p) => p.message)).toEqual(['unsupported scheme "ftp" for URL']);
    expect(JSON.stringify(ps)).not.toContain('super-secret');
  });

  test('warns when repeat_interval is below the effective group_interval', () => {
    const l = loadConfigString('route:\n  receiver: d\n  group_interval: 10m\n  routes:\n    - repeat_interval: 5m\nreceivers: [{name: d}]\n', '/cfg/a.yml');
    expect(l.warnings).toEqual(['route.routes[0]: repeat_interval is less than group_interval. Notifications will not repeat until the next group_interval.']);
  });

  test('loadConfigFile() reports an unreadable file as a ConfigError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-config-'));
    const ps = await problemsOf(join(dir, 'missing.yml'));
    expect(ps[0]!.message).toMatch(/ENOENT/);
    writeFileSync(join(dir, 'ok.yml'), 'route: {receiver: a}\nreceivers: [{name: a}]\n');
    await expect(loadConfigFile(join(dir, 'ok.yml'))).resolves.toMatchObject({ file: join(dir, 'ok.yml') });
    rmSync(dir, { recursive: true, force: true });
  });

  test('the bundled default config loads', async () => {
    const l = await loadConfigFile(resolve(__dirname, '../../config/tocsin.yml'));
    expect(l.config.route.receiver).toBe('default');
    expect(l.config.receivers).toEqual([{ name: 'default', labels: { name: 'default' }, integrations: [] }]);
  });

  test('Secret values in the config serialise as <secret>', () => {
    const l = loadConfigString('route: {receiver: a}\nreceivers:\n  - name: a\n    pushover_configs: [{user_key: u1, token: t1}]\n', '/cfg/a.yml');
    const s = settingsOf(l.config.receivers[0]!.integrations[0]!);
    expect(s.token).toBeInstanceOf(Secret);
    expect(JSON.stringify(s)).not.toMatch(/u1|t1/);
  });
});

describe('loadConfigFile() template files join the list of problems', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-cfg-tmpl-'));
    writeFileSync(join(dir, 'a-ok.tmpl'), '{{ define "ok" }}fine{{ end }}\n');
    // Go reports the line only; we add the column of the offending token
    writeFileSync(join(dir, 'b-bad.tmpl'), '{{ define "x" }}\n  v3 {{ nosuchfunc . }}{{ end }}\n');
    writeFileSync(join(dir, 'c-open.tmpl'), '{{ define "y" }}{{ .Foo \n');
    mkdirSync(join(dir, 'folder'));
    writeFileSync(
      join(dir, 'am.yml'),
      "route:\n  receiver: nobody\nreceivers: [{name: a}]\ntemplates:\n  - '*.tmpl'\n  - folder\n  - '[x'\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every template problem with file:line:column, after the config problems', async () => {
    const ps = await problemsOf(join(dir, 'am.yml'));
    expect(ps.map((p) => formatConfigProblem(p))).toEqual([
      `${join(dir, 'am.yml')}:2:13: undefined receiver "nobody" used in route (at route.receiver)\n    hint: defined receivers: "a"`,
      `${join(dir, 'b-bad.tmpl')}:2:9: template: b-bad.tmpl:2: function "nosuchfunc" not defined (at templates[0])`,
      `${join(dir, 'c-open.tmpl')}:2:1: template: c-open.tmpl:2: unclosed action started at c-open.tmpl:1 (at templates[0])`,
      `${join(dir, 'am.yml')}:6:5: read ${join(dir, 'folder')}: is a directory (at templates[1])`,
      `${join(dir, 'am.yml')}:7:5: syntax error in pattern (at templates[2])`,
    ]);
  });

  test('a config whose template files parse loads; templateFiles: false skips them', async () => {
    writeFileSync(join(dir, 'good.yml'), "route: {receiver: a}\nreceivers: [{name: a}]\ntemplates: ['a-*.tmpl', 'none-*.tmpl']\n");
    await expect(loadConfigFile(join(dir, 'good.yml'))).resolves.toBeDefined();
    await expect(loadConfigFile(join(dir, 'am.yml'), { templateFiles: false })).rejects.toThrow(/^[^\n]*undefined receiver "nobody"[^\n]*\n[^\n]*hint[^\n]*$/);
  });
});
