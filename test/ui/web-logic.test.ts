/** The browser modules' pure logic (matcher syntax, routing tree, durations, secret masking), run in node. */
import { formatMatcher, formatMatchers, matcherFn, parseMatchers, toApi } from '../../src/ui/web/matchers';
import { maskSecrets } from '../../src/ui/web/pages/status';
import { groupKey, matchRoutes, parseConfig } from '../../src/ui/web/routing';
import { formatDuration, parseDuration } from '../../src/ui/web/time';

describe('parseMatchers()', () => {
  test.each([
    ['', []],
    ['{}', []],
    ['alertname="X"', [{ name: 'alertname', op: '=', value: 'X' }]],
    ['{foo=bar, baz!~"a.*",}', [{ name: 'foo', op: '=', value: 'bar' }, { name: 'baz', op: '!~', value: 'a.*' }]],
    ['severity=~"crit.*", x!="y"', [{ name: 'severity', op: '=~', value: 'crit.*' }, { name: 'x', op: '!=', value: 'y' }]],
    ['a="q\\"uote,comma"', [{ name: 'a', op: '=', value: 'q"uote,comma' }]],
    ['"foo bar"="baz"', [{ name: 'foo bar', op: '=', value: 'baz' }]],
  ])('parses %j', (input, want) => {
    expect(parseMatchers(input)).toEqual(want);
  });

  test.each(['{a="b"', 'a', 'a=~"x', 'a="b" c="d"'])('rejects %j', (input) => {
    expect(() => parseMatchers(input)).toThrow();
  });

  test('formats as the API does (§7.1) and round-trips', () => {
    expect(formatMatcher({ name: 'foo', op: '=', value: 'back\\slash "q"\nx' })).toBe('foo="back\\\\slash \\"q\\"\\nx"');
    expect(formatMatcher({ name: 'foo bar', op: '=', value: 'baz' })).toBe('"foo bar"="baz"');
    const ms = parseMatchers('a="1", b!~"x|y"');
    expect(parseMatchers(formatMatchers(ms))).toEqual(ms);
    expect(ms.map(toApi)).toEqual([
      { name: 'a', value: '1', isRegex: false, isEqual: true },
      { name: 'b', value: 'x|y', isRegex: true, isEqual: false },
    ]);
  });

  test('regexes are anchored; a missing label is the empty string', () => {
    expect(matcherFn({ name: 'a', op: '=~', value: 'bar' })({ a: 'foo-bar' })).toBe(false);
    expect(matcherFn({ name: 'a', op: '=~', value: '.*bar' })({ a: 'foo-bar' })).toBe(true);
    expect(matcherFn({ name: 'a', op: '=', value: '' })({})).toBe(true);
    expect(matcherFn({ name: 'a', op: '!~', value: '.+' })({})).toBe(true);
  });
});

describe('routing tree from config.original', () => {
  const cfg = parseConfig(`
route:
  receiver: root
  group_by: [alertname]
  routes:
  - receiver: a
    matchers: ['owner="team-A"']
    routes:
    - receiver: prod-a
      match: {env: production}
      continue: true
      group_wait: 1m
    - receiver: prod-b
      match_re: {env: "produ.*"}
      group_by: ['...']
  - receiver: bc
    matchers: ['owner=~"team-(B|C)"', 'x!="1"']
receivers:
- name: root
- name: a
  slack_configs: [{channel: '#a'}]
  webhook_configs: [{url: 'http://x'}, {url: 'http://y'}]
- name: prod-a
- name: prod-b
- name: bc
`);
  const root = cfg.root!;

  test('walk follows continue and returns the deepest matches (§3.2)', () => {
    expect(matchRoutes(root, { owner: 'team-A', env: 'production' }).map((n) => n.receiver)).toEqual(['prod-a', 'prod-b']);
    expect(matchRoutes(root, { owner: 'team-A' }).map((n) => n.receiver)).toEqual(['a']);
    expect(matchRoutes(root, { owner: 'team-C' }).map((n) => n.receiver)).toEqual(['bc']);
    expect(matchRoutes(root, { owner: 'team-C', x: '1' }).map((n) => n.receiver)).toEqual(['root']);
  });

  test('inheritance, route IDs and group keys (§1.5, §3.3, §3.4)', () => {
    const [pa, pb] = matchRoutes(root, { owner: 'team-A', env: 'production', alertname: 'X' });
    expect(pa!.groupWait).toBe('1m');
    expect(pa!.groupInterval).toBe('5m');
    expect(pa!.groupBy).toEqual(['alertname']);
    expect(pa!.id).toBe('{}/{owner="team-A"}/0/{env="production"}/0');
    // match_re values are anchored as upstream's Regexp.String() (dispatch/route.go); matchers: keep their text
    expect(pb!.id).toBe('{}/{owner="team-A"}/0/{env=~"^(?:produ.*)$"}/1');
    expect(groupKey(pa!, { owner: 'team-A', env: 'production', alertname: 'X' })).toBe('{}/{owner="team-A"}/{env="production"}:{alertname="X"}');
    expect(groupKey(pb!, { env: 'production', owner: 'team-A' })).toBe('{}/{owner="team-A"}/{env=~"^(?:produ.*)$"}:{env="production", owner="team-A"}');
    const bc = root.children[1]!;
    expect(bc.key).toBe('{}/{owner=~"team-(B|C)",x!="1"}');
  });

  test('receivers list their integrations', () => {
    expect(cfg.receivers.find((r) => r.name === 'a')!.integrations).toEqual(['slack[0]', 'webhook[0]', 'webhook[1]']);
  });
});

test('durations', () => {
  expect(parseDuration('1h30m')).toBe(5400e3);
  expect(parseDuration('2d')).toBe(2 * 86400e3);
  expect(parseDuration('90m')).toBe(5400e3);
  expect(parseDuration('1x')).toBeNull();
  expect(parseDuration('')).toBeNull();
  expect(formatDuration(5400e3)).toBe('1h30m');
  expect(formatDuration(2 * 86400e3 + 1000)).toBe('2d1s');
});

test('maskSecrets() hides values of secret keys the server did not hide', () => {
  const y = 'receivers:\n- name: a\n  pagerduty_configs:\n  - routing_key: abc123\n    url: https://events.pagerduty.com\n  email_configs:\n  - auth_password: <secret>\n    auth_username: me\n';
  const out = maskSecrets(y);
  expect(out).toContain('routing_key: <secret>');
  expect(out).not.toContain('abc123');
  expect(out).toContain('url: https://events.pagerduty.com');
  expect(out).toContain('auth_username: me');
});
