/**
 * tocsinctl against a real server, side by side with amtool (issue 6, reference §14.9).
 * Target: TOCSINCTL_E2E_TARGET=alertmanager (default, Debian's 0.25) or tocsin.
 * The documented differences (docs/tocsinctl.md) are the only normalisations applied.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AMTOOL,
  type RunResult,
  type TargetServer,
  amtool,
  freePort,
  runProcess,
  startTarget,
  tocsinctl,
  tocsinctlProcess,
} from './harness';

const CONFIG = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
  routes:
    - matchers: ['team="x"']
      receiver: other
      continue: true
    - matchers: ['team=~"x|y"']
      receiver: default
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
receivers:
  - name: default
  - name: other
`;

let server: TargetServer;
let url: string;
let tmp: string;
const base = new Date(Date.now() - 3600_000);
const at = (sec: number): string => new Date(base.getTime() + sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tocsinctl-e2e-files-'));
  server = await startTarget(CONFIG);
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * amtool 0.25's API models predate `mutedBy` (0.28), so its `-o json` drops the field when a newer server
 * (Tocsin) sends it; tocsinctl keeps it, as amtool master does (documented difference).
 */
function amtool025(out: string): string {
  return out.replace(/"mutedBy":\[[^\]]*\],/g, '');
}

/** Both tools, same arguments, same server state. */
async function both(args: string[]): Promise<{ am: RunResult; tc: RunResult }> {
  const am = await amtool(url, args);
  const tc = await tocsinctl(url, args);
  return { am, tc };
}

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

describe('tocsinctl vs amtool against the same server', () => {
  test('alert add gives the same alerts (labels, annotations, times, routing)', async () => {
    const common = ['team=x', 'severity=critical', 'cluster=c1', '--annotation=summary=disk full', `--start=${at(1)}`];
    ok(await amtool(url, ['alert', 'add', 'byAmtool', ...common, '--generator-url=http://gen/1']));
    ok(await tocsinctl(url, ['alert', 'add', 'byTocsinctl', ...common, '--generator-url=http://gen/1']));
    ok(await tocsinctl(url, ['alert', 'add', 'alertname=warn1', 'severity=warning', 'cluster=c1', `--start=${at(2)}`]));
    ok(await tocsinctl(url, ['alert', 'add', 'other', 'team=y', `--start=${at(3)}`, `--end=${at(7200)}`]));
    const list = JSON.parse(ok(await tocsinctl(url, ['alert', 'query', '-a', '-s', '-i', '-o', 'json'])).stdout) as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      startsAt: string;
      generatorURL?: string;
      receivers: { name: string }[];
      status: { state: string };
    }[];
    const byName = new Map(list.map((a) => [a.labels.alertname, a]));
    const a = byName.get('byAmtool');
    const t = byName.get('byTocsinctl');
    expect(a).toBeDefined();
    expect(t).toBeDefined();
    const strip = (x: typeof a) => ({ ...x, labels: { ...x?.labels, alertname: '' }, fingerprint: '', updatedAt: '', endsAt: '' });
    expect(strip(t)).toEqual(strip(a));
    expect(t?.receivers.map((r) => r.name)).toEqual(['other', 'default']);
    expect(byName.get('warn1')?.status.state).toBe('suppressed'); // inhibited by the critical ones
    expect(byName.get('other')?.startsAt).toBe(new Date(at(3)).toISOString());
  });

  test('silence add gives the same silences', async () => {
    const common = ['--author=e2e', '--comment=maint', '--duration=2h', 'team=~"x|y"'];
    const idA = ok(await amtool(url, ['silence', 'add', 'byAmtool', ...common])).stdout.trim();
    const idT = ok(await tocsinctl(url, ['silence', 'add', 'byTocsinctl', ...common])).stdout.trim();
    expect(idT).toMatch(/^[0-9a-f-]{36}$/);
    const list = JSON.parse(ok(await tocsinctl(url, ['silence', '-o', 'json'])).stdout) as Record<string, unknown>[];
    const a = list.find((s) => s.id === idA);
    const t = list.find((s) => s.id === idT);
    const norm = (s: Record<string, unknown> | undefined) => ({
      ...s,
      id: '',
      startsAt: '',
      endsAt: '',
      updatedAt: '',
      matchers: ((s?.matchers ?? []) as { name: string }[]).filter((m) => m.name !== "alertname"),
    });
    expect(norm(t)).toEqual(norm(a));
    const dur = (s: Record<string, unknown> | undefined) => Date.parse(String(s?.endsAt)) - Date.parse(String(s?.startsAt));
    expect(Math.abs(dur(t) - 7200_000)).toBeLessThan(1000);
    // more state for the query comparisons: an expired one and one ending soon
    const idE = ok(await tocsinctl(url, ['silence', 'add', '-c', 'gone', '-a', 'e2e', 'alertname=old'])).stdout.trim();
    ok(await tocsinctl(url, ['silence', 'expire', idE]));
    ok(await amtool(url, ['silence', 'add', '-c', 'soon', '-a', 'e2e', '-d', '10m', 'warn1', 'cluster!=c2']));
    // awkward values (quotes, backslashes, tabs, newlines, HTML, non-ASCII) for the byte-for-byte comparisons
    ok(await tocsinctl(url, ['silence', 'add', '-a', 'e2e', '-c', 'c "q"\tx', 'wé "q" \\x', 'inst=~a.*', 'team=a\tb🙂']));
    ok(await tocsinctl(url, ['alert', 'add', 'wé "q" \\x', 'inst=a<b>&', `--start=${at(5)}`, '--annotation=summary=l1\nl2 ünï']));
  });

  const compared: string[][] = [
    ['alert'],
    ['alert', 'query', '-o', 'extended'],
    ['alert', 'query', '-o', 'json'],
    ['alert', 'query', '-a', '-s', '-i'],
    ['alert', 'query', '-s', '-o', 'extended'],
    ['alert', 'query', '-i', '-o', 'json'],
    ['alert', 'query', 'byTocsinctl'],
    ['alert', 'query', 'team=~x.*', '-s'],
    ['alert', 'query', '-r', 'other', '-s', '-a'],
    ['alert', 'query', 'severity!=critical'],
    ['alert', 'query', '-u'],
    ['silence'],
    ['silence', 'query', '-o', 'extended'],
    ['silence', '-o', 'json'],
    ['silence', 'query', '-q'],
    ['silence', 'query', '--expired'],
    ['silence', 'query', '--within', '30m'],
    ['silence', 'query', '--expired', '--within', '1h', '-q'],
    ['silence', 'query', 'alertname=byAmtool'],
    ['silence', 'query', 'warn1', '-o', 'json'],
    ['--date.format=2006-01-02T15:04:05Z07:00', 'silence', 'query', '-o', 'extended'],
    ['--date.format=Jan _2 03:04PM', 'alert', 'query', '-s'],
    ['cluster', 'show'],
    ['cluster'],
    ['cluster', 'show', '-o', 'extended'],
    ['cluster', 'show', '-o', 'json'],
    ['config', 'show'],
    ['config'],
    ['config', 'show', '-o', 'json'],
  ];
  test.each(compared.map((c) => [c.join(' '), c]))('same stdout and exit code: %s', async (_name, args) => {
    const { am, tc } = await both(args as string[]);
    expect(am.code).toBe(0);
    expect(tc.stderr).toBe('');
    expect(tc.code).toBe(am.code);
    expect(amtool025(tc.stdout)).toBe(am.stdout);
  });

  test('config show -o extended: same config, version fields printed by value (documented difference)', async () => {
    const { am, tc } = await both(['config', 'show', '-o', 'extended']);
    const status = JSON.parse(ok(await tocsinctl(url, ['config', 'show', '-o', 'json'])).stdout);
    // amtool 0.25 prints Go pointers (0xc...) for the config and the version fields
    const keys = (out: string) => out.trimEnd().split('\n').slice(-7).map((l) => l.split(' ')[0]);
    expect(keys(tc.stdout)).toEqual(keys(am.stdout));
    expect(tc.stdout.startsWith(`${status.config.original}\n`)).toBe(true);
    expect(tc.stdout).toContain(`\nversion ${status.versionInfo.version}\n`);
    expect(tc.stdout).toContain(`\nuptime ${status.uptime}\n`);
  });

  test('errors: both fail on the same inputs; tocsinctl prints one line', async () => {
    const cases: string[][] = [
      ['alert', 'query', '-r', '('], // server 400
      ['silence', 'add', '-c', 'x', 'foo', '--end=2000-01-01T00:00:00Z'], // client: start after end
      ['silence', 'add', 'foo'], // comment required
      ['silence', 'add', '-c', 'x'], // no matchers
      ['silence', 'add', '-c', 'x', 'foo', '-d', '0s'],
      ['silence', 'expire'],
      ['alert', 'add', 'foo', 'sev=~x'],
      ['alert', 'add', 'foo', '--annotation=a!=b'],
      ['silence', 'query', 'a=b', 'c="d'], // bad matcher in the second group
      ['alert', 'add'], // server: no labels
      ['silence', 'expire', 'not-a-uuid'], // server: 422
      ['silence', 'expire', '00000000-0000-4000-8000-000000000000'], // unknown: 500 on 0.25, 404 on master
      ['silence', 'update', '00000000-0000-4000-8000-000000000000', '-d', '1h'],
      ['alert', 'add', 'foo', '--start=yesterday'],
      ['silence', 'query', '--within=5x'],
    ];
    for (const args of cases) {
      const am = await amtool(url, args);
      const tc = await tocsinctl(url, args);
      expect([args.join(' '), tc.code !== 0]).toEqual([args.join(' '), am.code !== 0]);
      expect(tc.code).not.toBe(0);
      expect(tc.stderr).toMatch(/^tocsinctl: error: [^\n]+\n$/);
    }
    expect((await tocsinctl(url, ['silence', 'add', 'foo'])).stderr).toBe('tocsinctl: error: comment required by config\n');
    expect((await tocsinctl(url, ['alert', 'query', '-r', '('])).stderr).toMatch(/400 Bad Request: failed to parse receiver param/);
  });

  test.each(['America/New_York', 'Europe/Berlin'])('dates print in the zone the server sent (UTC) under TZ=%s', async (tz) => {
    const args = [`--alertmanager.url=${url}`, 'silence', 'query', '-o', 'extended'];
    const am = await runProcess(AMTOOL, args, { env: { TZ: tz } });
    const tc = await tocsinctlProcess(args, { env: { TZ: tz } });
    expect(am.stdout).toMatch(/ UTC /);
    expect(tc.stdout).toBe(am.stdout);
  });

  test('silence update: same changes as amtool (in place for an active silence)', async () => {
    const mk = async (name: string) =>
      ok(await tocsinctl(url, ['silence', 'add', '-c', 'upd', '-a', 'e2e', '-d', '1h', `alertname=${name}`])).stdout.trim();
    const idA = await mk('updA');
    const idT = await mk('updT');
    const am = ok(await amtool(url, ['silence', 'update', idA, '-d', '3h', '-c', 'longer', '-o', 'json']));
    const tc = ok(await tocsinctl(url, ['silence', 'update', idT, '-d', '3h', '-c', 'longer', '-o', 'json']));
    const [a] = JSON.parse(am.stdout);
    const [t] = JSON.parse(tc.stdout);
    expect(t.id).toBe(idT); // updated in place
    expect(a.id).toBe(idA);
    const shape = (s: Record<string, unknown>) => ({
      ...s,
      id: '',
      updatedAt: '',
      startsAt: '',
      matchers: '',
      duration: Date.parse(String(s.endsAt)) - Date.parse(String(s.startsAt)),
      endsAt: '',
    });
    expect(shape(t)).toEqual(shape(a));
    expect(shape(t).duration).toBe(3 * 3600_000);
    const q = ok(await tocsinctl(url, ['silence', 'update', '-q', idT, '--end', at(3 * 3600 + 1800)])).stdout;
    expect(q).toBe(`${idT}\n`);
    const now = JSON.parse(ok(await tocsinctl(url, ['silence', 'query', '-o', 'json', 'updT'])).stdout);
    expect(now[0].endsAt).toBe(new Date(at(3 * 3600 + 1800)).toISOString());
  });

  test('errors: unreachable server, missing URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const r = await tocsinctl(closed, ['alert']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tocsinctl: error: cannot reach Alertmanager: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/\S+: ECONNREFUSED\n$/);
    expect((await amtool(closed, ['alert'])).code).not.toBe(0);
    const m = await tocsinctl(undefined, ['silence']);
    expect(m).toEqual({ code: 1, stdout: '', stderr: 'tocsinctl: error: required flag --alertmanager.url not provided\n' });
  });
});

describe('silence import (amtool acceptance scenarios, §14.9)', () => {
  test('export, expire, re-import creates new silences', async () => {
    const a = ok(await tocsinctl(url, ['silence', 'add', '-c', 'imp1', 'alertname=imp1', 'severity=warning'])).stdout.trim();
    const b = ok(await tocsinctl(url, ['silence', 'add', '-c', 'imp2', 'alertname=imp2', 'severity=critical'])).stdout.trim();
    const all = JSON.parse(ok(await tocsinctl(url, ['silence', 'query', '-o', 'json'])).stdout) as { id: string }[];
    const exported = JSON.stringify(all.filter((s) => s.id === a || s.id === b));
    const file = join(tmp, 'export.json');
    writeFileSync(file, exported);
    ok(await tocsinctl(url, ['silence', 'expire', a, b]));
    const expired = ok(await tocsinctl(url, ['silence', 'query', '--expired', '--within=1h', '-q'])).stdout;
    expect(expired).toContain(a);
    expect(expired).toContain(b);
    const imp = ok(await tocsinctl(url, ['silence', 'import', file]));
    const ids = imp.stdout.trim().split('\n');
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(a);
    const active = ok(await tocsinctl(url, ['silence', 'query', '-q', 'alertname=~imp.*'])).stdout;
    const again = [
      ok(await tocsinctl(url, ['silence', 'query', '-q', 'imp1'])).stdout.trim(),
      ok(await tocsinctl(url, ['silence', 'query', '-q', 'imp2'])).stdout.trim(),
    ];
    expect(active).toBe(''); // filters are syntactic: no silence has the matcher alertname=~"imp.*"
    expect(again.sort()).toEqual([...ids].sort());
  });

  test('invalid JSON: nothing created, clear error', async () => {
    const r = await tocsinctl(url, ['silence', 'import'], '[{"broken": "json"');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tocsinctl: error: couldn't unmarshal input data, is it JSON\?: .+\n$/);
  });

  test('partial failure: reports the failures and which silences were created', async () => {
    const sil = (i: number, bad: boolean) => ({
      matchers: [{ name: 'alertname', value: `part${i}`, isRegex: false, isEqual: true }],
      startsAt: bad ? at(7200 * 3) : at(3600),
      endsAt: bad ? at(7200) : at(7200 * 3),
      createdBy: 'e2e',
      comment: `part${i}`,
    });
    const input = JSON.stringify([1, 2, 3, 4, 5].map((i) => sil(i, i === 2 || i === 4)));
    const file = join(tmp, 'partial.json');
    writeFileSync(file, input);
    const am = await amtool(url, ['silence', 'import', file]);
    // amtool 0.25 reads its error count before its counting goroutine is done (fixed upstream later), so
    // its summary line and exit status are racy; its per-silence error lines are not.
    expect(am.stderr.match(/^Error adding silence id='': .*400/gm)).toHaveLength(2);
    const tc = await tocsinctl(url, ['silence', 'import', '-w', '2'], input);
    expect(tc.code).toBe(1);
    const created = tc.stdout.trim().split('\n');
    expect(created).toHaveLength(3);
    const last = tc.stderr.trim().split('\n').pop();
    expect(last).toBe(`tocsinctl: error: couldn't import 2 out of 5 silences (created 3: ${created.join(', ')})`);
    expect(tc.stderr.match(/^Error adding silence id='': .*400/gm)).toHaveLength(2);
  });
});

describe('tocsinctl as a process', () => {
  test('silence query -q | silence expire (IDs on stdin)', async () => {
    const id = ok(await tocsinctl(url, ['silence', 'add', '-c', 'pipe', 'alertname=piped'])).stdout.trim();
    const q = ok(await tocsinctlProcess([`--alertmanager.url=${url}`, 'silence', 'query', '-q', 'alertname=piped']));
    expect(q.stdout).toBe(`${id}\n`);
    const e = await tocsinctlProcess([`--alertmanager.url=${url}`, 'silence', 'expire'], { stdin: q.stdout });
    expect(e).toMatchObject({ code: 0, stderr: '' });
    expect(ok(await tocsinctl(url, ['silence', 'query', '-q', 'alertname=piped'])).stdout).toBe('');
  });

  test('exit status and one error line for a bad matcher; --version', async () => {
    const r = await tocsinctlProcess([`--alertmanager.url=${url}`, 'silence', 'add', '-c', 'x', 'a=b', 'c=~(']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^tocsinctl: error: .*(regexp|parenthes)/);
    const v = await tocsinctlProcess(['--version']);
    expect(v.stdout).toMatch(/^tocsinctl, version \d+\.\d+\.\d+/);
  });
});

describe('config routes and check-config', () => {
  // receivers with real integrations: the server reports them (defaults filled in, secrets hidden) in
  // config.original, which amtool parses for `config routes --alertmanager.url`
  const ROUTES = `
global:
  smtp_smarthost: 127.0.0.1:1
  smtp_from: am@example.com
  slack_api_url: https://hooks.slack.example/services/T0/B0/slack-secret
route:
  receiver: default
  routes:
    - matchers: ['team="x"']
      receiver: other
      continue: true
      routes:
        - matchers: ['sev="crit"']
          receiver: pager
        - matchers: ['sev="warn"']
    - matchers: ['team=~"x|y"']
      receiver: default
    # match_re shows anchored (^(?:q|z)$) in amtool, and sorts by that form
    - match_re: {team: 'q|z', a: 'a'}
      match: {a: _}
      receiver: pager
    - match_re: {team: 'q|z'}
      receiver: pager
    - receiver: catchall
receivers:
  - name: default
    webhook_configs:
      - url: http://127.0.0.1:1/hook/webhook-secret
  - name: other
    slack_configs:
      - channel: '#ops'
  - name: pager
    email_configs:
      - to: oncall@example.com
    pagerduty_configs:
      - routing_key: pd-secret
  - name: catchall
`;
  let routesServer: TargetServer;
  beforeAll(async () => {
    routesServer = await startTarget(ROUTES);
  });
  afterAll(async () => {
    await routesServer?.stop();
  });
  // treeprint in Debian's amtool indents links with no-break spaces; master (v1.2.0) uses spaces
  const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

  test.each([
    [['config', 'routes']],
    [['config', 'routes', 'show']],
    [['config', 'routes', 'test']],
    [['config', 'routes', 'test', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--tree', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--tree', 'team=q']],
    [['config', 'routes', 'test', '--verify.receivers=pager,default', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--verify.receivers=other', 'team=x']],
    [['config', 'routes', 'test', 'team=~x']],
    [['config', 'routes', 'test', '--tree', 'team=z']],
    [['check-config']],
  ])('from --config.file, same output: %j', async (args) => {
    const file = join(tmp, 'routes.yml');
    writeFileSync(file, ROUTES);
    const withFile = args[0] === 'check-config' ? [...args, file] : [...args, `--config.file=${file}`];
    const am = await runAmtoolNoUrl(withFile);
    const tc = await tocsinctl(undefined, withFile);
    expect(tc.code).toBe(am.code);
    expect(nbsp(tc.stdout)).toBe(nbsp(am.stdout));
    if (am.stderr.includes('error:')) expect(tc.stderr).toMatch(/^tocsinctl: error: [^\n]+\n$/);
  });

  test.each([
    [['config', 'routes']],
    [['config', 'routes', 'show']],
    [['config', 'routes', 'test', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--tree', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--verify.receivers=pager,default', 'team=x', 'sev=crit']],
    [['config', 'routes', 'test', '--verify.receivers=other', 'team=x']],
  ])('from the running server (--alertmanager.url), amtool parses its config.original: %j', async (args) => {
    const file = join(tmp, 'routes.yml');
    writeFileSync(file, ROUTES);
    const fromFile = await runAmtoolNoUrl([...args, `--config.file=${file}`]);
    const am = await amtool(routesServer.url, args);
    const tc = await tocsinctl(routesServer.url, args);
    // (amtool 0.25 warns that a 0.34 server's version differs; anything else would be a parse failure)
    expect(am.stderr.replace(/^Warning: amtool version \(.*\) and alertmanager version \(.*\) are different\.\n/, '')).toBe('');
    expect(am.code).toBe(fromFile.code);
    expect(am.stdout).toBe(fromFile.stdout);
    expect(tc.code).toBe(am.code);
    expect(nbsp(tc.stdout)).toBe(nbsp(am.stdout));
  });

  test('config show from a server with integrations: same output, secrets hidden', async () => {
    for (const args of [['config', 'show'], ['config', 'show', '-o', 'json']]) {
      const am = await amtool(routesServer.url, args);
      const tc = await tocsinctl(routesServer.url, args);
      expect(am.code).toBe(0);
      expect(tc.code).toBe(0);
      expect(tc.stdout).toBe(am.stdout);
      expect(am.stdout).toContain('receiver: pager');
      // secrets are hidden (0.25 shows the webhook URL in clear: it was not a secret then)
      for (const secret of ['slack-secret', 'pd-secret']) expect(am.stdout).not.toContain(secret);
      if (routesServer.kind === 'tocsin') expect(am.stdout).not.toContain('webhook-secret');
    }
  });

  test('--config.file or --alertmanager.url is required', async () => {
    const r = await tocsinctl(undefined, ['config', 'routes']);
    expect(r.stderr).toBe('tocsinctl: error: You have to specify one of --config.file or --alertmanager.url flags.\n');
  });

  test('check-config: a bad file fails with a count, stdin is read when no file is given', async () => {
    const bad = join(tmp, 'bad.yml');
    writeFileSync(bad, 'route:\n  receiver: nope\nreceivers:\n  - name: default\n');
    const am = await runAmtoolNoUrl(['check-config', bad]);
    const tc = await tocsinctl(undefined, ['check-config', bad]);
    expect(am.code).not.toBe(0);
    expect(tc.code).toBe(1);
    expect(tc.stdout).toContain(`Checking '${bad}'  FAILED`);
    expect(tc.stderr).toBe('tocsinctl: error: failed to validate 1 file(s)\n');
    // templates named by the config are parsed too (amtool prints one line for all of them; src/config
    // prints one per glob, so the comparison uses a single template)
    writeFileSync(join(tmp, 'bad.tmpl'), '{{ define "x" }}{{ .Foo \n');
    writeFileSync(join(tmp, 'good.tmpl'), '{{ define "y" }}ok{{ end }}\n');
    for (const t of ['good.tmpl', 'bad.tmpl']) {
      const f = join(tmp, `with-${t}.yml`);
      writeFileSync(f, `route:\n  receiver: d\nreceivers:\n  - name: d\ntemplates:\n  - ${t}\n`);
      const a = await runAmtoolNoUrl(['check-config', f]);
      const c = await tocsinctl(undefined, ['check-config', f]);
      expect([t, c.code, c.stdout]).toEqual([t, a.code, a.stdout]);
    }
    const viaStdin = await tocsinctl(undefined, ['check-config'], ROUTES);
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toContain("Checking '/dev/stdin'  SUCCESS");
  });
});

function runAmtoolNoUrl(args: string[]): Promise<RunResult> {
  return runProcess(AMTOOL, args);
}

describe('template render', () => {
  const TMPL = `{{ define "mine" }}{{ .Status }} {{ .Receiver }} {{ range .Alerts }}[{{ .Labels.alertname }}|{{ .Status }}]{{ end }} {{ .CommonLabels.SortedPairs.Values | join "," }}{{ end }}\n`;
  const DATA = JSON.stringify({
    receiver: 'r1',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'A', x: '<b>' },
        annotations: {},
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: 'f',
      },
    ],
    groupLabels: {},
    commonLabels: { alertname: 'A', x: '<b>' },
    commonAnnotations: {},
    externalURL: 'http://x',
  });

  test.each([
    [['--template.text={{ template "mine" . }}']],
    [['--template.text={{ template "mine" . }}', '--template.type=html']],
    [['--template.text={{ .Nope }}']],
    [['--template.text={{ template "nope" . }}']],
    [['--template.text={{ .Status | toUpper }} {{ .ExternalURL }}']],
  ])('same output as amtool with --template.data: %j', async (args) => {
    const tmpl = join(tmp, 'mine.tmpl');
    const data = join(tmp, 'data.json');
    writeFileSync(tmpl, TMPL);
    writeFileSync(data, DATA);
    const full = ['template', 'render', `--template.glob=${tmpl}`, `--template.data=${data}`, ...args];
    const am = await runAmtoolNoUrl(full);
    const tc = await tocsinctl(undefined, full);
    expect(tc.code).toBe(am.code);
    expect(tc.stdout).toBe(am.stdout);
    if (am.code !== 0) expect(tc.stderr).toBe(am.stderr.replace(/^amtool: /, 'tocsinctl: ').replace(/\n\n$/, '\n'));
  });

  test('default templates are loaded (master behaviour) and the required flags are checked', async () => {
    const tmpl = join(tmp, 'mine.tmpl');
    writeFileSync(tmpl, TMPL);
    const r = await tocsinctl(undefined, [
      'template',
      'render',
      `--template.glob=${tmpl}`,
      '--template.text={{ template "slack.default.title" . }}',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('grouplabelvalue1'); // built-in sample data
    const missing = await tocsinctl(undefined, ['template', 'render', '--template.text=x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("tocsinctl: error: required option '--template.glob <glob>' not specified\n");
  });
});
