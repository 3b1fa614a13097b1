/**
 * @module routing/route
 * The route tree (upstream dispatch/route.go): option inheritance, depth-first matching with `continue`,
 * route keys and IDs in upstream's string forms. Used by the dispatcher and by `config routes show/test`.
 */
import type { RouteConfig } from '../config/types';
import { formatGoDuration } from '../go/duration';
import type { Matcher } from '../matchers/types';
import type { LabelSet } from '../types/alert';

export interface RouteOpts {
  receiver: string;
  /** label names to group by (ignored when groupByAll) */
  groupBy: readonly string[];
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
  /** merged parent -> child route labels (templates) */
  labels: Readonly<Record<string, string>>;
}

export const DEFAULT_ROUTE_OPTS: RouteOpts = {
  receiver: '',
  groupBy: [],
  groupByAll: false,
  groupWait: 30_000,
  groupInterval: 300_000,
  repeatInterval: 4 * 3600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  labels: {},
};

/** labels.Matchers.String(): `{a="b",c=~"d"}`. */
export function matchersString(ms: readonly Matcher[]): string {
  return `{${ms.map((m) => m.toString()).join(',')}}`;
}

export class Route {
  readonly parent: Route | undefined;
  readonly opts: RouteOpts;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: Route[] = [];
  /** position among the parent's children (0 for the root) */
  readonly index: number;
  /** post-order index over the whole tree (upstream Route.Idx): children before parents */
  idx = 0;
  readonly key: string;
  readonly id: string;

  constructor(cfg: RouteConfig, parent: Route | undefined, index: number, counter: { n: number }) {
    this.parent = parent;
    this.index = index;
    const base = parent ? parent.opts : DEFAULT_ROUTE_OPTS;
    let labels = base.labels;
    if (cfg.labels && Object.keys(cfg.labels).length > 0) labels = { ...base.labels, ...cfg.labels };
    let groupBy = base.groupBy;
    let groupByAll = base.groupByAll;
    if (cfg.group_by !== undefined) {
      if (cfg.group_by.length === 1 && cfg.group_by[0] === '...') {
        groupByAll = true;
        groupBy = [];
      } else {
        groupByAll = false;
        groupBy = [...cfg.group_by];
      }
    }
    this.opts = {
      receiver: cfg.receiver ? cfg.receiver : base.receiver,
      groupBy,
      groupByAll,
      groupWait: cfg.group_wait ?? base.groupWait,
      groupInterval: cfg.group_interval ?? base.groupInterval,
      repeatInterval: cfg.repeat_interval ?? base.repeatInterval,
      muteTimeIntervals: [...(cfg.mute_time_intervals ?? [])],
      activeTimeIntervals: [...(cfg.active_time_intervals ?? [])],
      labels,
    };
    this.matchers = cfg.matchers ?? [];
    this.continue = cfg.continue ?? false;
    const ms = matchersString(this.matchers);
    this.key = parent ? `${parent.key}/${ms}` : ms;
    this.id = parent ? `${parent.id}/${ms}/${index}` : ms;
    (cfg.routes ?? []).forEach((c, i) => {
      this.routes.push(new Route(c, this, i, counter));
    });
    this.idx = counter.n++;
  }

  /** true if all of this node's matchers match (missing label = "") */
  matchesSelf(labels: LabelSet): boolean {
    for (const m of this.matchers) if (!m.matches(labels[m.name] ?? '')) return false;
    return true;
  }

  /** Depth-first, left-to-right: the deepest matching nodes, honouring `continue`. */
  match(labels: LabelSet): Route[] {
    if (!this.matchesSelf(labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const found = child.match(labels);
      if (found.length > 0) {
        for (const r of found) all.push(r);
        if (!child.continue) break;
      }
    }
    if (all.length === 0) all.push(this);
    return all;
  }

  /** Pre-order traversal (upstream Route.Walk). */
  walk(visit: (r: Route) => void): void {
    visit(this);
    for (const c of this.routes) c.walk(visit);
  }

  /** The labels this route groups an alert by. */
  groupLabels(labels: LabelSet): Record<string, string> {
    if (this.opts.groupByAll) return { ...labels };
    const out: Record<string, string> = {};
    for (const n of this.opts.groupBy) {
      const v = labels[n];
      if (v !== undefined) out[n] = v;
    }
    return out;
  }

  /** upstream RouteOpts.String(), e.g. <RouteOpts send_to:"x" group_by:["a"] group_by_all:false timers:"30s"|"5m0s"> */
  optsString(): string {
    const gb = `[${this.opts.groupBy.map((g) => JSON.stringify(g)).join(' ')}]`;
    return `<RouteOpts send_to:${JSON.stringify(this.opts.receiver)} group_by:${gb} group_by_all:${this.opts.groupByAll} timers:"${formatGoDuration(this.opts.groupWait)}"|"${formatGoDuration(this.opts.groupInterval)}">`;
  }
}

/** Build the tree from the validated config (upstream dispatch.NewRoute). */
export function buildRouteTree(cfg: RouteConfig): Route {
  return new Route(cfg, undefined, 0, { n: 0 });
}
