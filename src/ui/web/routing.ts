/**
 * @module ui/web/routing
 * The routing tree built in the browser from GET /api/v2/status config.original (YAML), with the inheritance rules
 * of §1.5 and the matching walk of §3.2. Used by the routes view and as the explain fallback when the server has no
 * /api/v2/tocsin/explain. Route keys/IDs follow §3.3; group keys §3.4.
 */
import { parse } from 'yaml';
import { type LabelSet, type UiMatcher, formatMatcher, labelSetString, matcherFn, parseMatchers, sortMatchers } from './matchers';

export interface RouteNode {
  id: string;
  key: string;
  matchers: UiMatcher[];
  receiver: string;
  groupBy: string[] | 'all';
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  continue: boolean;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  children: RouteNode[];
  depth: number;
  match: (ls: LabelSet) => boolean;
}

export interface ParsedConfig {
  root: RouteNode | null;
  receivers: { name: string; integrations: string[] }[];
  inhibitRules: Record<string, unknown>[];
  raw: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, d = ''): string => (v === undefined || v === null ? d : String(v));

function routeMatchers(r: Obj): UiMatcher[] {
  const out: UiMatcher[] = [];
  if (isObj(r.match)) for (const [k, v] of Object.entries(r.match)) out.push({ name: k, op: '=', value: str(v) });
  // match_re values show anchored, as upstream builds them from the compiled regexp's String() (§3.3)
  if (isObj(r.match_re)) for (const [k, v] of Object.entries(r.match_re)) out.push({ name: k, op: '=~', value: `^(?:${str(v)})$` });
  if (Array.isArray(r.matchers)) for (const m of r.matchers) out.push(...parseMatchers(str(m)));
  return sortMatchers(out);
}

/** `{a="b",c=~"d"}` as used in route keys (no space after the comma). */
export function matchersKey(ms: UiMatcher[]): string {
  return `{${ms.map(formatMatcher).join(',')}}`;
}

function build(r: Obj, parent: RouteNode | null, index: number): RouteNode {
  const ms = parent ? routeMatchers(r) : [];
  const fns = ms.map(matcherFn);
  const gb = r.group_by;
  const key = parent ? `${parent.key}/${matchersKey(ms)}` : matchersKey(ms);
  const id = parent ? `${parent.id}/${matchersKey(ms)}/${index}` : matchersKey(ms);
  const node: RouteNode = {
    id,
    key,
    matchers: ms,
    receiver: str(r.receiver, parent?.receiver ?? ''),
    groupBy: Array.isArray(gb) ? (gb.map(String).includes('...') ? 'all' : gb.map(String)) : (parent?.groupBy ?? []),
    groupWait: str(r.group_wait, parent?.groupWait ?? '30s'),
    groupInterval: str(r.group_interval, parent?.groupInterval ?? '5m'),
    repeatInterval: str(r.repeat_interval, parent?.repeatInterval ?? '4h'),
    continue: r.continue === true,
    muteTimeIntervals: Array.isArray(r.mute_time_intervals) ? r.mute_time_intervals.map(String) : [],
    activeTimeIntervals: Array.isArray(r.active_time_intervals) ? r.active_time_intervals.map(String) : [],
    children: [],
    depth: parent ? parent.depth + 1 : 0,
    match: (ls) => fns.every((f) => f(ls)),
  };
  if (Array.isArray(r.routes)) node.children = r.routes.filter(isObj).map((c, i) => build(c, node, i));
  return node;
}

export function parseConfig(yamlText: string): ParsedConfig {
  const raw = parse(yamlText) as unknown;
  if (!isObj(raw)) throw new Error('config is not a YAML mapping');
  const receivers = Array.isArray(raw.receivers)
    ? raw.receivers.filter(isObj).map((r) => ({
        name: str(r.name),
        integrations: Object.keys(r)
          .filter((k) => k.endsWith('_configs') && Array.isArray(r[k]) && (r[k] as unknown[]).length > 0)
          .flatMap((k) => (r[k] as unknown[]).map((_, i) => `${k.replace(/_configs$/, '')}[${i}]`)),
      }))
    : [];
  return {
    root: isObj(raw.route) ? build(raw.route, null, 0) : null,
    receivers,
    inhibitRules: Array.isArray(raw.inhibit_rules) ? raw.inhibit_rules.filter(isObj) : [],
    raw,
  };
}

/** The deepest matching routes, depth-first, honouring `continue` (§3.2). */
export function matchRoutes(node: RouteNode, ls: LabelSet): RouteNode[] {
  if (!node.match(ls)) return [];
  const out: RouteNode[] = [];
  for (const c of node.children) {
    const got = matchRoutes(c, ls);
    out.push(...got);
    if (got.length > 0 && !c.continue) break;
  }
  return out.length > 0 ? out : [node];
}

/** The chain of nodes from the root to `target` (for showing the route path). */
export function pathTo(root: RouteNode, target: RouteNode): RouteNode[] {
  if (root === target) return [root];
  for (const c of root.children) {
    const p = pathTo(c, target);
    if (p.length) return [root, ...p];
  }
  return [];
}

export function groupLabels(node: RouteNode, ls: LabelSet): LabelSet {
  if (node.groupBy === 'all') return { ...ls };
  const out: LabelSet = {};
  for (const n of node.groupBy) if (ls[n] !== undefined) out[n] = ls[n]!;
  return out;
}

export function groupKey(node: RouteNode, ls: LabelSet): string {
  return `${node.key}:${labelSetString(groupLabels(node, ls))}`;
}

export function walk(node: RouteNode, fn: (n: RouteNode) => void): void {
  fn(node);
  for (const c of node.children) walk(c, fn);
}
