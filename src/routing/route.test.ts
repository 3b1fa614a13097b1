import { eq, matcher, re, route } from '../../test/acceptance/support/fixtures';
import { goQuote, labelSetString } from '../types/labels';
import { compareAlerts } from './labels';
import { loadConfigString } from '../config';
import { groupKeyOf } from './aggregation-group';
import { buildRouteTree } from './route';

// tree from upstream dispatch/route_test.go (abridged)
const tree = buildRouteTree(
  route({
    receiver: 'notify-def',
    group_by: [],
    group_wait: 30_000,
    group_interval: 300_000,
    repeat_interval: 4 * 3600_000,
    routes: [
      route({
        receiver: 'notify-A',
        matchers: [eq('owner', 'team-A')],
        routes: [
          route({ receiver: 'notify-testing', matchers: [eq('env', 'testing')], group_by: ['...'] }),
          route({ receiver: 'notify-productionA', matchers: [eq('env', 'production')], continue: true, group_wait: 60_000 }),
          route({ receiver: 'notify-productionB', matchers: [re('env', 'produ.*'), re('job', '.*')], group_by: ['job'], group_wait: 30_000, repeat_interval: 3600_000 }),
        ],
      }),
      route({ receiver: 'notify-BC', matchers: [re('owner', 'team-(B|C)')], group_by: ['foo', 'bar'] }),
      route({ matchers: [eq('group_by', 'role')], group_by: ['role'], routes: [route({ receiver: 'notify-testing', matchers: [eq('env', 'testing')] })] }),
      route({ matchers: [matcher('foo', '!=', '')], mute_time_intervals: ['m'], active_time_intervals: ['a'] }),
    ],
  }),
);
const recv = (l: Record<string, string>) => tree.match(l).map((r) => r.opts.receiver);

describe('Route', () => {
  test('match(): deepest matching nodes, continue lets siblings match', () => {
    expect(recv({ owner: 'team-A' })).toEqual(['notify-A']);
    expect(recv({ owner: 'team-A', env: 'production' })).toEqual(['notify-productionA', 'notify-productionB']);
    expect(recv({ owner: 'team-C' })).toEqual(['notify-BC']);
    expect(recv({ owner: 'team-Z' })).toEqual(['notify-def']);
    expect(recv({ group_by: 'role', env: 'testing' })).toEqual(['notify-testing']);
    expect(recv({ group_by: 'role' })).toEqual(['notify-def']); // receiver inherited
  });

  test('keys and IDs in upstream string forms', () => {
    const [a] = tree.match({ owner: 'team-A' });
    expect(a!.key).toBe('{}/{owner="team-A"}');
    expect(a!.id).toBe('{}/{owner="team-A"}/0');
    const [, b] = tree.match({ owner: 'team-A', env: 'production' });
    expect(b!.key).toBe('{}/{owner="team-A"}/{env=~"produ.*",job=~".*"}');
    expect(b!.id).toBe('{}/{owner="team-A"}/0/{env=~"produ.*",job=~".*"}/2');
    expect(tree.key).toBe('{}');
    expect(tree.id).toBe('{}');
  });

  test('options inherit; group_by [...] groups by all labels; time intervals are not inherited', () => {
    const [pa, pb] = tree.match({ owner: 'team-A', env: 'production', job: 'x' });
    expect(pa!.opts).toMatchObject({ groupWait: 60_000, groupInterval: 300_000, repeatInterval: 4 * 3600_000 });
    expect(pb!.opts).toMatchObject({ groupBy: ['job'], repeatInterval: 3600_000 });
    expect(pb!.groupLabels({ owner: 'team-A', env: 'production', job: 'x' })).toEqual({ job: 'x' });
    const [t] = tree.match({ owner: 'team-A', env: 'testing', z: '1' });
    expect(t!.opts.groupByAll).toBe(true);
    expect(t!.groupLabels({ owner: 'team-A', env: 'testing', z: '1' })).toEqual({ owner: 'team-A', env: 'testing', z: '1' });
    const [f] = tree.match({ foo: 'x' });
    expect(f!.opts.muteTimeIntervals).toEqual(['m']);
    expect(f!.opts.activeTimeIntervals).toEqual(['a']);
    expect(tree.opts.muteTimeIntervals).toEqual([]);
  });

  test('walk() is pre-order; idx is post-order as upstream', () => {
    const ids: string[] = [];
    tree.walk((r) => ids.push(r.opts.receiver));
    expect(ids.slice(0, 5)).toEqual(['notify-def', 'notify-A', 'notify-testing', 'notify-productionA', 'notify-productionB']);
    expect(tree.idx).toBe(8);
    expect(tree.routes[0]!.routes[0]!.idx).toBe(0);
  });

  test('optsString', () => {
    expect(tree.optsString()).toBe('<RouteOpts send_to:"notify-def" group_by:[] group_by_all:false timers:"30s"|"5m0s">');
  });
});

describe('route keys of a loaded config (match_re as upstream)', () => {
  // upstream dispatch/route_test.go TestRouteMatch's tree, through our config loader
  const loaded = loadConfigString(
    `
route:
  receiver: notify-def
  routes:
  - match: {owner: team-A}
    receiver: notify-A
    routes:
    - match: {env: production}
      receiver: notify-productionA
      continue: true
    - match_re: {env: "produ.*", job: ".*"}
      receiver: notify-productionB
  - match_re: {owner: 'team-(B|C)'}
    receiver: notify-BC
  - matchers: ['team=~"x.*"']
    receiver: notify-BC
  - match: {a: _}
    match_re: {a: a}
    receiver: notify-BC
receivers: [{name: notify-def}, {name: notify-A}, {name: notify-productionA}, {name: notify-productionB}, {name: notify-BC}]
`,
    'route-keys.yml',
  );
  const t = buildRouteTree(loaded.config.route);

  test('match_re values show as the anchored regexp `^(?:v)$` (upstream Regexp.String()); matchers: keep their text', () => {
    const [, b] = t.match({ owner: 'team-A', env: 'production', job: 'j' });
    // the keys upstream's TestRouteMatch expects
    expect(b!.key).toBe('{}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"}');
    expect(t.match({ owner: 'team-B' })[0]!.key).toBe('{}/{owner=~"^(?:team-(B|C))$"}');
    expect(t.match({ team: 'xy' })[0]!.key).toBe('{}/{team=~"x.*"}');
    // the anchored form still matches the same values
    expect(t.match({ owner: 'team-Bx' })[0]!.opts.receiver).toBe('notify-def');
  });

  test('matchers sort by the anchored value, as amtool 0.25 prints them', () => {
    // amtool 0.25 `config routes`: {a=~"^(?:a)$",a="_"} ('^' sorts before '_'; unanchored 'a' would sort after)
    expect(t.routes[3]!.key).toBe('{}/{a=~"^(?:a)$",a="_"}');
  });

  test('group keys are those real Alertmanager 0.25 sent in the webhook groupKey', () => {
    // captured from prometheus-alertmanager 0.25 with `match_re: {alertname: '.*'}, match: {team: z}`
    const am = loadConfigString(
      'route: {receiver: d, group_by: [alertname], routes: [{receiver: d, match_re: {alertname: ".*"}, match: {team: z}}]}\nreceivers: [{name: d}]\n',
      'am.yml',
    );
    const [r] = buildRouteTree(am.config.route).match({ alertname: 'X', team: 'z' });
    expect(groupKeyOf(r!, r!.groupLabels({ alertname: 'X', team: 'z' }))).toBe('{}/{alertname=~"^(?:.*)$",team="z"}:{alertname="X"}');
  });
});

describe('labels', () => {
  test('labelSetString sorts names and Go-quotes values', () => {
    expect(labelSetString({ b: 'x"y', a: '1' })).toBe('{a="1", b="x\\"y"}');
    expect(labelSetString({})).toBe('{}');
    expect(goQuote('a\nb\x01🙂')).toBe('"a\\nb\\x01🙂"');
  });
  test('alerts sort by job, instance, then label set', () => {
    const xs: { labels: Record<string, string> }[] = [{ labels: { a: '1' } }, { labels: { job: 'b' } }, { labels: { job: 'a', instance: 'z' } }, { labels: { job: 'a', instance: 'y' } }];
    expect(xs.sort(compareAlerts).map((x) => JSON.stringify(x.labels))).toEqual([
      '{"job":"a","instance":"y"}',
      '{"job":"a","instance":"z"}',
      '{"job":"b"}',
      '{"a":"1"}',
    ]);
  });
});
