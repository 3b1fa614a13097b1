/**
 * Query parameters shared by GET /api/v2/alerts and GET /api/v2/alerts/groups (upstream api/v2/api.go
 * getAlertsHandler, getAlertGroupsHandler): `filter`, `receiver`, `receiver_matchers` and the state booleans.
 */
import type { Request, Response } from 'express';
import { compileAnchored, type Matcher, parseMatcher } from '../matchers';
import type { Alert } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { queryBool, queryList } from './query-params';
import { ApiError, sendError } from './errors';
import type { ApiDeps } from './types';

/** upstream matchFilterLabels: empty-valued `=`/`=~` pass alerts lacking the label; `!=`/`!~` pass alerts having it. */
export function matchFilterLabels(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) {
    const present = Object.hasOwn(labels, m.name);
    const v = present ? labels[m.name]! : '';
    if (m.type === '!=' || m.type === '!~') {
      if (m.value === '' && present) continue;
    } else if (m.value === '' && !present) {
      continue;
    }
    if (!m.matches(v)) return false;
  }
  return true;
}

export interface AlertFilters {
  /** `filter` matchers */
  matchers: Matcher[];
  /** `receiver`: an anchored RE2 regex on receiver names (the last value counts) */
  receiverRe: { matches(s: string): boolean } | undefined;
  /** `receiver_matchers` (master 0.33): matchers on a receiver's labels plus `name` */
  receiverMatchers: Matcher[];
  /** `active`, `silenced`, `inhibited` (default true): whether alerts in that state are listed */
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  /** `muted` (GET /alerts/groups only, default true): whether groups muted by time intervals are listed */
  muted: boolean;
}

function parseList(deps: ApiDeps, v: unknown): Matcher[] {
  return queryList(v).map((f) => parseMatcher(f, { mode: deps.matcherMode, logger: deps.logger, origin: 'api' }));
}

/** Parses `filter`, `receiver` and `receiver_matchers`; on a bad one answers 400 as upstream and returns undefined. */
export function parseAlertFilters(deps: ApiDeps, q: Request['query'], res: Response): AlertFilters | undefined {
  let matchers: Matcher[];
  try {
    matchers = parseList(deps, q.filter);
  } catch (e) {
    sendError(res, new ApiError(400, (e as Error).message));
    return undefined;
  }
  let receiverRe: { matches(s: string): boolean } | undefined;
  if (q.receiver !== undefined) {
    try {
      const re = compileAnchored(queryList(q.receiver).at(-1)!);
      receiverRe = { matches: (s) => re.matches(s) };
    } catch (e) {
      sendError(res, new ApiError(400, `failed to parse receiver param: ${(e as Error).message}`));
      return undefined;
    }
  }
  let receiverMatchers: Matcher[];
  try {
    receiverMatchers = parseList(deps, q.receiver_matchers);
  } catch (e) {
    sendError(res, new ApiError(400, `failed to parse receiver_matchers param: ${(e as Error).message}`));
    return undefined;
  }
  return {
    matchers,
    receiverRe,
    receiverMatchers,
    active: queryBool(q.active, true),
    silenced: queryBool(q.silenced, true),
    inhibited: queryBool(q.inhibited, true),
    muted: queryBool(q.muted, true),
  };
}

/** The alert is listed by its labels and time: not resolved before `now`, and every `filter` matcher passes. */
export function alertPasses(f: AlertFilters, a: Alert, now: number): boolean {
  if (a.endsAt !== 0 && a.endsAt < now) return false;
  return matchFilterLabels(f.matchers, a.labels);
}

/** The alert is listed by its status (the `active`, `silenced` and `inhibited` parameters). */
export function statusPasses(f: AlertFilters, st: AlertStatus): boolean {
  if (!f.active && st.state === 'active') return false;
  if (!f.silenced && st.silencedBy.length > 0) return false;
  if (!f.inhibited && st.inhibitedBy.length > 0) return false;
  return true;
}
