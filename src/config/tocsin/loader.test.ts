import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig } from '../check';
import { ConfigError, type ConfigProblem } from '../../types/errors';
import { receiverSettings } from '../../types/tocsin-config';
import { loadTocsinConfigString } from './loader';
import { loadConfigPair } from './with-main';

const RECEIVERS = new Set(['team-slack', 'team-pager', 'manager-pager']);

function problems(text: string, receivers: ReadonlySet<string> | undefined = RECEIVERS): ConfigProblem[] {
  try {
    loadTocsinConfigString(text, 'tocsin.yml', receivers);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected the load to fail');
}

const at = (p: ConfigProblem) => `${p.file}:${p.line}:${p.column}: ${p.message}`;

describe('tocsin.yml loader', () => {
  it('decodes every key with defaults filled in', () => {
    const t = loadTocsinConfigString(
      `receivers:
  team-slack:
    resolved_after_mute: true
    rate_limit: {max: 10}
    outbox: {deadline: 2h}
    escalation:
      - {after: 15m, receiver: team-pager}
      - {after: 30m, receiver: manager-pager}
silences:
  expire_unmatched_after: 7d
  warn_mute_share: 0.5
`,
      'tocsin.yml',
      RECEIVERS,
    );
    expect(t.config.receivers['team-slack']).toEqual({
      resolved_after_mute: true,
      rate_limit: { max: 10, window: 60_000 },
      outbox: { deadline: 2 * 3_600_000, min_backoff: 10_000, max_backoff: 300_000 },
      escalation: [
        { after: 15 * 60_000, receiver: 'team-pager' },
        { after: 30 * 60_000, receiver: 'manager-pager' },
      ],
    });
    expect(t.config.silences).toEqual({ expire_unmatched_after: 7 * 86_400_000, warn_mute_share: 0.5 });
    expect(receiverSettings(t.config, 'team-pager')).toEqual({ resolved_after_mute: false, escalation: [] });
    expect(t.original).toContain('resolved_after_mute: true');
    expect(t.original).toContain('window: 1m');
    expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an empty file means no Tocsin-only settings', () => {
    const t = loadTocsinConfigString('', 'tocsin.yml', RECEIVERS);
    expect(t.config).toEqual({ receivers: {}, silences: { expire_unmatched_after: 0, warn_mute_share: 0 } });
  });

  it('reports every problem at once, each at file:line:column', () => {
    const ps = problems(`receivers:
  team-slak:
    resolved_after_mute: yes please
  team-pager:
    rate_limit: {window: 1m}
    outbox: {deadline: soon}
    escalation:
      - {after: 30m, receiver: nobody}
      - {after: 15m, receiver: team-pager}
    send_resolved: true
route: {}
`);
    expect(ps.map(at)).toEqual([
      'tocsin.yml:2:3: receiver "team-slak" is not defined in alertmanager.yml',
      expect.stringMatching(/^tocsin\.yml:3:26: .*bool/),
      'tocsin.yml:5:17: rate_limit.max is required (notifications per window)',
      expect.stringMatching(/^tocsin\.yml:6:24: .*soon/),
      'tocsin.yml:8:32: escalation receiver "nobody" is not defined in alertmanager.yml',
      'tocsin.yml:9:17: escalation steps must be in increasing "after" order',
      'tocsin.yml:9:32: receiver "team-pager" cannot escalate to itself',
      expect.stringMatching(/^tocsin\.yml:10:5: .*send_resolved/),
      expect.stringMatching(/^tocsin\.yml:11:1: .*route/),
    ]);
    expect(ps[0]!.hint).toBe('did you mean "team-slack"?');
  });

  it('checks ranges: rate_limit.max, windows, backoffs, warn_mute_share', () => {
    const ps = problems(`receivers:
  team-slack:
    rate_limit: {max: 0, window: 0s}
    outbox: {min_backoff: 1m, max_backoff: 10s}
silences: {warn_mute_share: 1.5}
`);
    expect(ps.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/max/),
        'rate_limit.window must be greater than 0',
        'outbox.max_backoff must not be less than min_backoff',
        'warn_mute_share must be between 0 and 1, got 1.5',
      ]),
    );
  });

  it('YAML syntax errors are located', () => {
    const ps = problems('receivers:\n  a: [\n');
    expect(ps[0]!.message).toMatch(/^yaml: /);
    expect(ps[0]!.line).toBeGreaterThan(0);
  });

  it('without alertmanager.yml receivers (it failed to load) names are not checked', () => {
    expect(() => loadTocsinConfigString('receivers: {anyone: {resolved_after_mute: true}}', 'tocsin.yml', undefined)).not.toThrow();
  });
});

describe('loadConfigPair and check-config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-pair-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('attaches tocsin.yml to the loaded config', async () => {
    const am = write('am.yml', 'route: {receiver: pager}\nreceivers: [{name: pager}]\n');
    const t = write('t.yml', 'receivers: {pager: {resolved_after_mute: true}}\n');
    const loaded = await loadConfigPair(am, t);
    expect(loaded.tocsin?.config.receivers.pager?.resolved_after_mute).toBe(true);
    expect((await loadConfigPair(am, undefined)).tocsin).toBeUndefined();
  });

  it('fails with the problems of both files at once, each in its own file', async () => {
    const am = write('am-bad.yml', 'route: {receiver: pager}\nreceivers: [{name: pager, bogus: 1}]\n');
    const t = write('t-bad.yml', 'receivers:\n  pager: {outbox: {deadline: never}}\n');
    const err = await loadConfigPair(am, t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const files = (err as ConfigError).problems.map((p) => p.file);
    expect(files).toEqual([am, t]);
  });

  it('a receiver unknown to alertmanager.yml fails the pair', async () => {
    const am = write('am2.yml', 'route: {receiver: pager}\nreceivers: [{name: pager}]\n');
    const t = write('t2.yml', 'receivers:\n  pagr: {resolved_after_mute: true}\n');
    await expect(loadConfigPair(am, t)).rejects.toThrow(`${t}:2:3: receiver "pagr" is not defined in alertmanager.yml`);
  });

  it('check-config checks tocsin.yml against the receivers of the files', async () => {
    const am = write('am3.yml', 'route: {receiver: pager}\nreceivers: [{name: pager}]\n');
    const good = write('t3.yml', 'receivers: {pager: {rate_limit: {max: 5}}}\n');
    const bad = write('t4.yml', 'receivers: {other: {rate_limit: {max: 5}}}\n');
    const ok = await checkConfig([am], { templateFiles: false, tocsinFile: good });
    expect(ok.ok).toBe(true);
    expect(ok.output).toContain(`Checking '${good}'  SUCCESS\nFound:\n - tocsin settings for 1 receiver\n`);
    const ko = await checkConfig([am], { templateFiles: false, tocsinFile: bad });
    expect(ko.ok).toBe(false);
    expect(ko.failed).toBe(1);
    expect(ko.output).toContain(`Checking '${bad}'  FAILED: receiver "other" is not defined in alertmanager.yml`);
  });
});
