/**
 * @module config/route
 * The `<route>` schema (§1.5; upstream config/config.go Route.UnmarshalYAML) and its conversion to RouteConfig.
 * Root-only rules (receiver required, no matchers/continue/time intervals) are checked by the loader.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Matcher } from '../matchers/types';
import { createMatcher, isValidClassicLabelName, isValidLabelName, sortMatchers } from '../matchers';
import { f, type Field, isNullNode, type ObjectAt, type ObjectSchema } from '../schema/schema';
import type { RouteConfig } from './types';

const TOP_LEVEL_HINT = (k: string) => `${k} is a top-level key: move this block out of the route to the top level of the file`;

/** Where item i of a list field sits, for precise locations. */
export function itemAt(at: ObjectAt, field: string, i: number) {
  const fat = at.fieldAt(field);
  const node = fat.node && isSeq(fat.node) ? (fat.node.items[i] as Node | undefined) : undefined;
  return fat.index(i, node ?? fat.node);
}

/** Checks a match / match_re map (keys are always classic label names; match_re values are RE2). */
export function checkMatchMap(o: Record<string, unknown>, at: ObjectAt, field: string, regex: boolean): void {
  const m = o[field] as Record<string, string> | undefined;
  if (!m) return;
  for (const [k, v] of Object.entries(m)) {
    if (!isValidClassicLabelName(k)) at.fieldAt(field).child(k, true).fail(`invalid label name "${k}"`);
    else if (regex) {
      try {
        createMatcher('=~', k, v);
      } catch (e) {
        at.fieldAt(field).child(k).fail((e as Error).message);
      }
    }
  }
}

/** match_re map: like stringMap, but a key without a value is `invalid regexp value for "k"` (MatchRegexps). */
export function regexMap(): Field<Record<string, string>> {
  const inner = f.stringMap();
  return {
    ...inner,
    decode(node, at) {
      if (isMap(node)) {
        for (const p of node.items) {
          if (isScalar(p.key) && isNullNode(p.value as Node | null)) {
            at.child(String(p.key.value), true).fail(`invalid regexp value for "${String(p.key.value)}"`);
          }
        }
      }
      return inner.decode(node, at);
    },
  };
}

export const routeSchema: ObjectSchema = {
  name: 'route',
  fields: {
    receiver: f.string(),
    group_by: f.stringList(),
    match: f.stringMap(),
    match_re: regexMap(),
    matchers: f.matchers(),
    mute_time_intervals: f.stringList(),
    active_time_intervals: f.stringList(),
    continue: f.bool({ default: false }),
    routes: f.list(() => routeSchema, { nullItem: 'empty' }),
    group_wait: f.duration(),
    group_interval: f.duration(),
    repeat_interval: f.duration(),
    labels: f.stringMap(),
  },
  hints: {
    inhibit_rules: 'inhibit_rules is a top-level key: inhibition rules cannot be nested in a route; move this block to the top level of the file',
    receivers: TOP_LEVEL_HINT('receivers'),
    time_intervals: TOP_LEVEL_HINT('time_intervals'),
    templates: TOP_LEVEL_HINT('templates'),
    global: TOP_LEVEL_HINT('global'),
    route: 'child routes go under "routes:" (a list)',
    group_by_all: 'use group_by: [\'...\'] to group by all labels',
  },
  check(o, at) {
    const mode = at.ctx.matcherMode;
    checkMatchMap(o, at, 'match', false);
    checkMatchMap(o, at, 'match_re', true);
    for (const k of Object.keys((o.labels as Record<string, string> | undefined) ?? {})) {
      if (!isValidLabelName(k, mode)) at.fieldAt('labels').child(k, true).fail(`invalid label name "${k}" in route labels`);
    }
    const groupBy = o.group_by as string[] | undefined;
    if (groupBy) {
      let all = false;
      const seen = new Set<string>();
      let others = 0;
      groupBy.forEach((l, i) => {
        if (l === '...') {
          all = true;
          return;
        }
        others++;
        if (!isValidLabelName(l, mode)) itemAt(at, 'group_by', i).fail(`invalid label name "${l}" in group_by list`);
        else if (seen.has(l)) itemAt(at, 'group_by', i).fail(`duplicated label "${l}" in group_by`);
        seen.add(l);
      });
      if (all && others > 0) {
        at.failField('group_by', 'cannot have wildcard group_by (`...`) and other labels at the same time', "use either ['...'] alone or a list of label names");
      }
    }
    if (o.group_interval === 0) at.failField('group_interval', 'group_interval cannot be zero');
    if (o.repeat_interval === 0) at.failField('repeat_interval', 'repeat_interval cannot be zero');
  },
};

/** Root route defaults (upstream dispatch.DefaultRouteOpts). */
export const ROOT_DEFAULTS = { group_wait: 30_000, group_interval: 5 * 60_000, repeat_interval: 4 * 60 * 60_000 } as const;

function matchersOf(r: Record<string, unknown>): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, v] of Object.entries((r.match as Record<string, string> | undefined) ?? {})) {
    try {
      out.push(createMatcher('=', k, v));
    } catch {
      /* reported during the walk */
    }
  }
  // Upstream builds these from the compiled config.Regexp's String(), the anchored source `^(?:v)$`, so route
  // keys (and group keys, PagerDuty dedup_key, Opsgenie alias) show `a=~"^(?:v)$"`; `matchers:` keep their text.
  for (const [k, v] of Object.entries((r.match_re as Record<string, string> | undefined) ?? {})) {
    try {
      out.push(createMatcher('=~', k, `^(?:${v})$`));
    } catch {
      /* reported during the walk */
    }
  }
  out.push(...((r.matchers as Matcher[] | undefined) ?? []));
  return sortMatchers(out);
}

/** Converts a decoded route tree to RouteConfig (root gets the default timings). */
export function toRouteConfig(r: Record<string, unknown>, root: boolean): RouteConfig {
  const out: RouteConfig = {
    continue: r.continue === true,
    matchers: matchersOf(r),
    mute_time_intervals: (r.mute_time_intervals as string[] | undefined) ?? [],
    active_time_intervals: (r.active_time_intervals as string[] | undefined) ?? [],
    routes: ((r.routes as Record<string, unknown>[] | undefined) ?? []).map((c) => toRouteConfig(c, false)),
  };
  if (typeof r.receiver === 'string' && r.receiver !== '') out.receiver = r.receiver;
  if (r.group_by !== undefined) out.group_by = r.group_by as string[];
  else if (root) out.group_by = [];
  const timing = ['group_wait', 'group_interval', 'repeat_interval'] as const;
  for (const k of timing) {
    const v = r[k] as number | undefined;
    if (v !== undefined) out[k] = v;
    else if (root) out[k] = ROOT_DEFAULTS[k];
  }
  if (r.labels !== undefined) out.labels = r.labels as Record<string, string>;
  return out;
}
