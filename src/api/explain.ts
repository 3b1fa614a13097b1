/**
 * @module api/explain
 * GET /api/v2/tocsin/explain?fingerprint=<fp> (Tocsin extension, no upstream equivalent): why an alert did or did
 * not notify. For one stored alert it reports, computed now from the live subsystems: the routes it matches (with
 * their effective options), the group key on each, when it was last notified and when its group flushes next, the
 * active silences, the inhibiting alert and rule, the time intervals on its routes (and which mute it now), and the
 * receivers with their integrations. The shape is what the web UI reads (src/ui/web/api.ts `Explain`); durations
 * are Prometheus duration strings, times RFC 3339 UTC.
 */
import express, { type Router } from 'express';
import type { Config } from '../config/types';
import type { Inhibitor } from '../inhibit/inhibitor';
import type { Nflog } from '../nflog/nflog';
import { mutingActiveIntervals, mutingMuteIntervals, type TimeIntervals } from '../pipeline/time-interval';
import type { RateLimitState } from '../pipeline/rate-limit';
import type { IntegrationRef } from '../pipeline/types';
import type { AlertsProvider } from '../provider/types';
import { groupKeyOf } from '../routing/aggregation-group';
import type { Dispatcher } from '../routing/dispatcher';
import type { Route } from '../routing/route';
import type { TimeIntervalSpec } from '../timeinterval/types';
import { isResolved, type LabelSet } from '../types/alert';
import type { Clock } from '../types/clock';
import { formatDuration } from '../types/duration';
import { formatApiTime } from '../go/strfmt-time';
import { ApiError, sendError } from './errors';
import { sendJson } from './respond';
import type { AckWire, EscalationWire } from '../wire/ack';

/** The per-config parts explain reads; swapped by reloads, so read through `current()` per request. */
export interface ExplainSubsystems {
  config: Config;
  dispatch: ExplainDispatch;
}

/** What explain reads of the live dispatch (the app's, src/app/create-dispatch.ts, satisfies it). */
export interface ExplainDispatch {
  readonly route: Route;
  readonly dispatcher: Pick<Dispatcher, 'groups'>;
  readonly inhibitor: Pick<Inhibitor, 'rules'>;
  readonly nflog: Pick<Nflog, 'query'>;
  readonly timeIntervals: TimeIntervals;
  readonly integrationRefs: ReadonlyMap<string, readonly IntegrationRef[]>;
  /** tocsin.yml delivery settings of a receiver with its rate limit's state (absent: Alertmanager's behaviour) */
  receiverDelivery?(receiver: string): { resolvedAfterMute: boolean; rateLimit?: RateLimitState };
}

/** A receiver's tocsin.yml `rate_limit` now (storm control). */
export interface ExplainRateLimit {
  max: number;
  window: string;
  /** notifications sent to the receiver in the window ending now */
  sentInWindow: number;
  /** groups folded into the pending digest */
  foldedGroups: number;
  /** when the pending digest goes out, or null when none is pending */
  nextDigest: string | null;
}

export interface ExplainReceiver {
  name: string;
  integrations: ExplainIntegration[];
  /** tocsin.yml `resolved_after_mute` */
  resolvedAfterMute: boolean;
  /** tocsin.yml `rate_limit` and its state, or null when the receiver has none */
  rateLimit: ExplainRateLimit | null;
}

export interface ExplainDeps {
  alerts: Pick<AlertsProvider, 'get'>;
  clock: Clock;
  current(): ExplainSubsystems;
  /** IDs of the active silences muting these labels now (the Silencer's silencedBy; must not touch the marker) */
  silencedBy(labels: LabelSet, fingerprint: string): string[];
  /** the group's ack and escalation on a receiver (src/ack), as GET /api/v2/alerts/groups shows them */
  tocsinState?(groupKey: string, receiver: string): { ack?: AckWire; escalation?: EscalationWire };
}

export interface TimeIntervalState {
  name: string;
  /** the interval contains the current time */
  activeNow: boolean;
}

export interface ExplainRoute {
  id: string;
  receiver: string;
  /** `['...']` for group_by all */
  group_by: string[];
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
  /** this node's own matchers, each in matcher syntax (`team="db"`) */
  matchers: string[];
  continue: boolean;
  groupKey: string;
  groupLabels: Record<string, string>;
  mute_time_intervals: string[];
  active_time_intervals: string[];
  /** the time intervals muting this route now (mute intervals active now, or all active intervals when none is) */
  mutedBy: string[];
  /** last notification of this route's group that included the alert (any integration), or null */
  lastNotified: string | null;
  /** next flush of the live group holding the alert, or null when no live group holds it */
  nextFlush: string | null;
  /** Tocsin: the ack of this route's group on its receiver (present only when acknowledged): no repeat while it applies */
  ack?: AckWire;
  /** Tocsin: the group's escalation on its receiver (present only while escalating): steps reached, the next one */
  escalation?: EscalationWire;
}

export interface ExplainInhibition {
  sourceFingerprint: string;
  /** position in the config's inhibit_rules */
  ruleIndex: number;
  rule: { name?: string; source_matchers: string[]; target_matchers: string[]; equal: string[] };
}

export interface ExplainIntegration {
  /** `webhook[0]` */
  name: string;
  type: string;
  index: number;
  sendResolved: boolean;
  /** last notification by this integration that included the alert (any of its groups on this receiver), or null */
  lastNotified: string | null;
}

export interface Explanation {
  fingerprint: string;
  labels: LabelSet;
  resolved: boolean;
  routes: ExplainRoute[];
  /** the group key on the first matching route */
  groupKey: string;
  groupKeys: string[];
  /**
   * the last notification that included this alert (firing or resolved): the latest of the routes' (and the
   * integrations') lastNotified; null = never, as far as the notification log tells (it keeps each integration's
   * latest notification of a group, so an alert left out of that one, having joined the group later, counts as
   * not notified there)
   */
  lastNotified: string | null;
  /** the earliest next flush among the live groups holding the alert; null = none scheduled */
  nextFlush: string | null;
  /** active silences muting it now */
  silences: string[];
  /** the alert inhibiting it now (the first inhibiting rule's source, as GET /api/v2/alerts reports) */
  inhibitedBy: string[];
  /** every rule inhibiting it now, in config order, with its source alert */
  inhibitions: ExplainInhibition[];
  /** time intervals muting it now on any of its routes */
  mutedBy: string[];
  muteTimeIntervals: TimeIntervalState[];
  activeTimeIntervals: TimeIntervalState[];
  receivers: ExplainReceiver[];
}

const FINGERPRINT_RE = /^[0-9a-f]{16}$/;

function time(ms: number | undefined): string | null {
  return ms === undefined ? null : formatApiTime(ms);
}

function maxOf(a: number | undefined, b: number): number {
  return a === undefined || b > a ? b : a;
}

/** Explains the stored alert with this fingerprint, or returns undefined when there is none. */
export function explainAlert(deps: ExplainDeps, fp: string): Explanation | undefined {
  const alert = deps.alerts.get(fp);
  if (!alert) return undefined;
  const { config, dispatch } = deps.current();
  const now = deps.clock.now();
  // the dispatch's own intervals and evaluator, each interval evaluated once per request
  const evaluated = new Map<readonly TimeIntervalSpec[], boolean>();
  const intervals: TimeIntervals = {
    specs: dispatch.timeIntervals.specs,
    isActive: (specs, t) => {
      let v = evaluated.get(specs);
      if (v === undefined) {
        v = dispatch.timeIntervals.isActive(specs, t);
        evaluated.set(specs, v);
      }
      return v;
    },
  };
  const activeNow = (name: string): boolean => mutingMuteIntervals(intervals, [name], now).length > 0;
  const refsOf = dispatch.integrationRefs;

  // live groups by key; a diagnostics request may scan them (one pass, no per-alert work)
  const matched = dispatch.route.match(alert.labels);
  const wantedKeys = new Set<string>();
  const keyOf = new Map<Route, string>();
  for (const r of matched) {
    const key = groupKeyOf(r, r.groupLabels(alert.labels));
    keyOf.set(r, key);
    wantedKeys.add(key);
  }
  const nextFlushByKey = new Map<string, number>();
  for (const g of dispatch.dispatcher.groups()) {
    if (g.destroyed || !wantedKeys.has(g.groupKey) || !g.has(fp) || g.nextFlushAt <= 0) continue;
    const cur = nextFlushByKey.get(g.groupKey);
    if (cur === undefined || g.nextFlushAt < cur) nextFlushByKey.set(g.groupKey, g.nextFlushAt);
  }

  const routes: ExplainRoute[] = [];
  const mutedBy = new Set<string>();
  const muteIntervals = new Set<string>();
  const activeIntervals = new Set<string>();
  /** receiver -> integration index in refsOf -> last notified */
  const integrationLast = new Map<string, (number | undefined)[]>();
  let alertLast: number | undefined;
  let nextFlush: number | undefined;
  for (const r of matched) {
    const o = r.opts;
    const groupKey = keyOf.get(r)!;
    let groupLast: number | undefined;
    const refs = refsOf.get(o.receiver) ?? [];
    let perIntegration = integrationLast.get(o.receiver);
    if (!perIntegration) {
      perIntegration = refs.map(() => undefined);
      integrationLast.set(o.receiver, perIntegration);
    }
    // every lastNotified counts only notifications that included this alert, so the top-level one is the latest
    // of the routes' and the integrations'
    refs.forEach((ref, i) => {
      const e = dispatch.nflog.query(groupKey, ref);
      if (!e || !(e.firingAlerts.includes(fp) || e.resolvedAlerts.includes(fp))) return;
      groupLast = maxOf(groupLast, e.timestamp);
      perIntegration[i] = maxOf(perIntegration[i], e.timestamp);
      alertLast = maxOf(alertLast, e.timestamp);
    });
    const flushAt = nextFlushByKey.get(groupKey);
    if (flushAt !== undefined && (nextFlush === undefined || flushAt < nextFlush)) nextFlush = flushAt;

    // the pipeline's TimeMute and TimeActive decisions at this moment
    const routeMuted: string[] = [
      ...mutingMuteIntervals(intervals, o.muteTimeIntervals, now),
      ...mutingActiveIntervals(intervals, o.activeTimeIntervals, now),
    ];
    for (const n of routeMuted) mutedBy.add(n);
    for (const n of o.muteTimeIntervals) muteIntervals.add(n);
    for (const n of o.activeTimeIntervals) activeIntervals.add(n);

    routes.push({
      id: r.id,
      receiver: o.receiver,
      group_by: o.groupByAll ? ['...'] : [...o.groupBy],
      group_wait: formatDuration(o.groupWait),
      group_interval: formatDuration(o.groupInterval),
      repeat_interval: formatDuration(o.repeatInterval),
      matchers: r.matchers.map((m) => m.toString()),
      continue: r.continue,
      groupKey,
      groupLabels: r.groupLabels(alert.labels),
      mute_time_intervals: [...o.muteTimeIntervals],
      active_time_intervals: [...o.activeTimeIntervals],
      mutedBy: routeMuted,
      lastNotified: time(groupLast),
      nextFlush: time(flushAt),
      ...deps.tocsinState?.(groupKey, o.receiver),
    });
  }

  const inhibitions: ExplainInhibition[] = [];
  const rules = config.inhibit_rules.filter((r) => !!r);
  dispatch.inhibitor.rules.forEach((rule, i) => {
    const src = rule.inhibitingSource(alert.labels, now);
    if (src === undefined) return;
    const cfg = rules[i];
    inhibitions.push({
      sourceFingerprint: src,
      ruleIndex: cfg ? config.inhibit_rules.indexOf(cfg) : i,
      rule: {
        ...(rule.name !== undefined ? { name: rule.name } : {}),
        source_matchers: rule.sourceMatchers.map((m) => m.toString()),
        target_matchers: rule.targetMatchers.map((m) => m.toString()),
        equal: [...rule.equal],
      },
    });
  });

  const receivers: Explanation['receivers'] = [];
  for (const [name, last] of integrationLast) {
    const rc = config.receivers.find((r) => r.name === name);
    const delivery = dispatch.receiverDelivery?.(name);
    const rl = delivery?.rateLimit;
    receivers.push({
      name,
      resolvedAfterMute: delivery?.resolvedAfterMute ?? false,
      rateLimit: rl
        ? { max: rl.max, window: formatDuration(rl.window), sentInWindow: rl.sentInWindow, foldedGroups: rl.folded, nextDigest: time(rl.nextDigestAt) }
        : null,
      integrations: (rc?.integrations ?? []).map((ic, i) => ({
        name: `${ic.type}[${ic.index}]`,
        type: ic.type,
        index: ic.index,
        sendResolved: ic.send_resolved,
        lastNotified: time(last[i]),
      })),
    });
  }

  const state = (names: Set<string>): TimeIntervalState[] => [...names].map((name) => ({ name, activeNow: activeNow(name) }));
  return {
    fingerprint: fp,
    labels: alert.labels,
    resolved: isResolved(alert, now),
    routes,
    groupKey: routes[0]?.groupKey ?? '',
    groupKeys: routes.map((r) => r.groupKey),
    lastNotified: time(alertLast),
    nextFlush: time(nextFlush),
    silences: deps.silencedBy(alert.labels, fp),
    inhibitedBy: inhibitions.length > 0 ? [inhibitions[0]!.sourceFingerprint] : [],
    inhibitions,
    mutedBy: [...mutedBy],
    muteTimeIntervals: state(muteIntervals),
    activeTimeIntervals: state(activeIntervals),
    receivers,
  };
}

/** The router, mounted under /api/v2. */
export function explainRoutes(deps: ExplainDeps): Router {
  const router = express.Router();
  router.get('/tocsin/explain', (req, res) => {
    const raw = req.query.fingerprint;
    if (raw === undefined || raw === '') {
      sendError(res, new ApiError(400, 'fingerprint: query parameter is required'));
      return;
    }
    if (typeof raw !== 'string' || !FINGERPRINT_RE.test(raw.toLowerCase())) {
      sendError(res, new ApiError(400, 'fingerprint: must be one alert fingerprint of 16 hex digits'));
      return;
    }
    const fp = raw.toLowerCase();
    const ex = explainAlert(deps, fp);
    if (!ex) {
      sendError(res, new ApiError(404, `fingerprint: no alert with fingerprint ${fp}`));
      return;
    }
    sendJson(res, 200, JSON.stringify(ex));
  });
  return router;
}
