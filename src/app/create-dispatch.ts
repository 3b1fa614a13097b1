/**
 * @module app/create-dispatch
 * The dispatch subsystem as the composition root uses it: route tree + inhibitor + notification pipeline
 * + dispatcher, built from one Config. Reload = build a new one (everything that can fail fails here),
 * then stop the old one and start the new one; groups are recreated from the alert store and resume from
 * the nflog (which outlives reloads: pass the same Nflog).
 */
import type { Registry } from 'prom-client';
import type { Acks } from '../ack/acks';
import type { Escalations } from '../ack/escalations';
import type { AlertGroupView } from '../api/alert-groups';
import type { Config } from '../config/types';
import type { HistorySink } from '../history/sink';
import { Inhibitor } from '../inhibit/inhibitor';
import { Nflog } from '../nflog/nflog';
import { integrationTypes } from '../notifiers/index';
import { type NotifierDeps, notifierFactories } from '../notifiers/registry';
import { preloadHttpClient } from '../notifiers/shared/http-sender';
import { deliveryMetrics } from '../pipeline/delivery-metrics';
import { notifyMetrics } from '../pipeline/metrics';
import { buildPipeline } from '../pipeline/pipeline-builder';
import { type RateLimitState, RateLimits } from '../pipeline/rate-limit';
import type { BackoffPolicy } from '../pipeline/retry-stage';
import type { TimeIntervalEvaluator, TimeIntervals } from '../pipeline/time-interval';
import type { Integration, IntegrationRef, Muter, NotificationLog } from '../pipeline/types';
import type { AlertsProvider } from '../provider/types';
import type { DB } from '../store/db';
import type { TemplateSet } from '../templates/template-set';
import { sqliteNflogStore } from '../store/nflog';
import { isActive } from '../timeinterval';
import type { TimeIntervalSpec } from '../timeinterval/types';
import type { LabelSet } from '../types/alert';
import type { Clock } from '../types/clock';
import { receiverSettings, type TocsinConfig } from '../types/tocsin-config';
import type { Logger } from '../types/logger';
import type { Outbox } from '../pipeline/outbox';
import type { AlertMarker } from '../types/marker';
import { notifierRendering } from './notifier-rendering';
import type { AggregationGroup } from '../routing/aggregation-group';
import { Dispatcher } from '../routing/dispatcher';
import { buildRouteTree, type Route } from '../routing/route';

export interface CreateDispatchOptions {
  config: Config;
  /** the Tocsin-only settings of --tocsin.config.file (absent: Alertmanager's behaviour everywhere) */
  tocsin?: TocsinConfig;
  /** the persistent outbox (long-lived; src/pipeline/outbox.ts): used by the receivers whose tocsin.yml settings turn it on */
  outbox?: Outbox;
  alerts: AlertsProvider;
  marker: AlertMarker;
  /** the Silencer (src/silence); omitted = nothing is silenced */
  silencer?: Muter;
  /** shared across reloads; created from `db` when omitted */
  nflog?: Nflog;
  /** what the pipeline logs to and claims from; default `nflog` (HA: the shared log over it, src/app/ha) */
  notificationLog?: NotificationLog;
  db?: DB;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  externalURL: string;
  /** `Alertmanager/<version>` (the app reads it once: notifiers/shared defaultUserAgent) */
  userAgent: string;
  /** the loaded templates; used for templated notifier fields (e.g. webhook url) */
  templates?: TemplateSet;
  /** overrides `templates` for templated notifier fields */
  renderText?: NotifierDeps['renderText'];
  /** HTML-mode rendering (email html); overrides `templates` for it */
  renderHtml?: NotifierDeps['renderHtml'];
  /** default: src/timeinterval isActive */
  isTimeIntervalActive?: TimeIntervalEvaluator;
  backoff?: BackoffPolicy;
  onFlush?: (g: AggregationGroup, ok: boolean, err?: unknown) => void;
  /** epoch ms before which no group flushes (--dispatch.start-delay); see DispatcherOptions.startAt */
  dispatchStartAt?: number;
  /** HA replicas: see AggregationGroupOptions.keepResolvedFor */
  keepResolvedFor?: (groupKey: string, groupInterval: number) => number;
  /** HA replicas: see DispatcherOptions.onNewGroup */
  onNewGroup?: (groupKey: string) => void;
  /** HA replicas: see DispatcherOptions.onFirstFlush */
  onFirstFlush?: (groupKey: string, refs: readonly IntegrationRef[], delay: number) => void;
  /** --enable-feature=receiver-name-in-metrics */
  receiverNameInMetrics?: boolean;
  /** the history recorder (src/history); omitted = nothing recorded */
  history?: HistorySink;
  /** the receivers' rate limiters, kept across reloads (the app's); created for this dispatch when omitted */
  rateLimits?: RateLimits;
  /** acknowledgements (src/ack): acknowledged groups get no repeat notifications; shared across reloads */
  acks?: Acks;
  /** escalation state (src/ack): needed for tocsin.yml escalation steps; shared across reloads */
  escalations?: Escalations;
}

export interface Dispatch {
  readonly route: Route;
  readonly dispatcher: Dispatcher;
  readonly inhibitor: Inhibitor;
  readonly nflog: Nflog;
  /** the config's time intervals by name with the evaluator, as the pipeline's time stages use them */
  readonly timeIntervals: TimeIntervals;
  /** receiver name -> its integrations' nflog identities, as the pipeline logs them */
  readonly integrationRefs: ReadonlyMap<string, readonly IntegrationRef[]>;
  start(): void;
  /** as start(), the groups rebuilt from the store between event-loop turns (after a start on stored alerts) */
  startInSlices(yieldTurn: () => Promise<void>): Promise<void>;
  stop(): void;
  /** receivers of the routes the labels match, in routing order (for GET /api/v2/alerts) */
  receiversFor(labels: LabelSet): string[];
  /** fingerprint of one alert inhibiting these labels now, without touching the marker */
  inhibitedBy(labels: LabelSet): string | undefined;
  /** a snapshot of the live groups; never blocks ingest or delivery */
  groups(): AlertGroupView[];
  /** tocsin.yml settings of a receiver as the pipeline applies them, with its rate limit's state now */
  receiverDelivery(receiver: string): { resolvedAfterMute: boolean; rateLimit?: RateLimitState };
  /** the live group with this key on this receiver */
  group(groupKey: string, receiver: string): AggregationGroup | undefined;
}

/** Creates the nflog over the SQLite file (call once per process; keep it across reloads). */
export function createNflog(o: { db?: DB; clock: Clock; logger?: Logger; registry?: Registry; retention?: number }): Nflog {
  return new Nflog({
    clock: o.clock,
    ...(o.db ? { store: sqliteNflogStore(o.db), batchWrites: true } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.registry ? { registry: o.registry } : {}),
    ...(o.retention !== undefined ? { retention: o.retention } : {}),
  });
}

export function createDispatch(o: CreateDispatchOptions): Dispatch {
  const route = buildRouteTree(o.config.route);
  const nflog = o.nflog ?? createNflog({ ...(o.db ? { db: o.db } : {}), clock: o.clock, logger: o.logger, registry: o.registry });
  const ownsNflog = !o.nflog;
  const log = o.notificationLog ?? nflog;
  const rendering = o.templates ? notifierRendering(o.templates, o.externalURL) : undefined;
  const renderText = o.renderText ?? rendering?.renderText;
  const renderHtml = o.renderHtml ?? rendering?.renderHtml;
  const deps: NotifierDeps = {
    externalURL: o.externalURL,
    userAgent: o.userAgent,
    logger: o.logger,
    ...(renderText ? { renderText } : {}),
    ...(renderHtml ? { renderHtml } : {}),
  };
  const receivers = new Map<string, Integration[]>();
  const refs = new Map<string, IntegrationRef[]>();
  for (const r of o.config.receivers) {
    const list: Integration[] = [];
    for (const ic of r.integrations) {
      const factory = notifierFactories[ic.type];
      if (!factory) throw new Error(`receiver "${r.name}": integration "${ic.type}" is not implemented`);
      list.push({ name: ic.type, index: ic.index, sendResolved: ic.send_resolved, notifier: factory(ic, deps) });
    }
    receivers.set(r.name, list);
    refs.set(
      r.name,
      list.map((i) => ({ groupName: r.name, integration: i.name, idx: i.index })),
    );
  }
  const inhibitor = new Inhibitor({ rules: o.config.inhibit_rules, alerts: o.alerts, marker: o.marker, clock: o.clock, registry: o.registry, ...(o.history ? { history: o.history } : {}) });
  const specs = new Map<string, readonly TimeIntervalSpec[]>();
  for (const ti of [...(o.config.time_intervals ?? []), ...(o.config.mute_time_intervals ?? [])]) specs.set(ti.name, ti.time_intervals);
  const timeIntervals: TimeIntervals = { specs, isActive: o.isTimeIntervalActive ?? isActive };
  const outboxSettings = (receiver: string) => receiverSettings(o.tocsin, receiver).outbox;
  const ownsRateLimits = !o.rateLimits;
  const rateLimits = o.rateLimits ?? new RateLimits(o.clock);
  const stages = buildPipeline({
    receivers,
    inhibitor,
    ...(o.silencer ? { silencer: o.silencer } : {}),
    timeIntervals,
    nflog: log,
    clock: o.clock,
    metrics: notifyMetrics(o.registry, { receiverNameInMetrics: o.receiverNameInMetrics, integrations: integrationTypes }),
    ...(o.backoff ? { backoff: o.backoff } : {}),
    ...(o.outbox ? { outbox: o.outbox } : {}),
    ...(o.tocsin ? { tocsin: o.tocsin } : {}),
    deliveryMetrics: deliveryMetrics(o.registry),
    rateLimits,
    ...(o.acks ? { acks: o.acks } : {}),
    ...(o.escalations
      ? {
          escalation: {
            escalations: o.escalations,
            stepsOf: (r: string) => receiverSettings(o.tocsin, r).escalation,
            ...(o.acks ? { ackedBy: (k: string, r: string, now: number) => o.acks?.activeFor(k, r, now)?.id } : {}),
            wake: (k: string, at: number) => dispatcher.wakeAt(k, at),
          },
        }
      : {}),
  });
  // the HTTP send thread (notifiers/shared/send-thread) starts while a new group waits out its group_wait, so that
  // its first notification does not wait for it
  const sendsHttp = o.config.receivers.some((r) => r.integrations.some((i) => i.type !== 'email'));
  const onNewGroup = sendsHttp
    ? (groupKey: string) => {
        preloadHttpClient();
        o.onNewGroup?.(groupKey);
      }
    : o.onNewGroup;
  const dispatcher: Dispatcher = new Dispatcher({
    route,
    alerts: o.alerts,
    stages,
    clock: o.clock,
    logger: o.logger,
    registry: o.registry,
    nflog: log,
    integrationRefs: refs,
    ...(o.onFlush ? { onFlush: o.onFlush } : {}),
    ...(o.dispatchStartAt !== undefined ? { startAt: o.dispatchStartAt } : {}),
    ...(o.keepResolvedFor ? { keepResolvedFor: o.keepResolvedFor } : {}),
    ...(onNewGroup ? { onNewGroup } : {}),
    ...(o.onFirstFlush ? { onFirstFlush: o.onFirstFlush } : {}),
    ...(o.history ? { history: o.history } : {}),
  });
  return {
    route,
    dispatcher,
    inhibitor,
    nflog,
    timeIntervals,
    integrationRefs: refs,
    start() {
      o.outbox?.configure(receivers, outboxSettings);
      inhibitor.start();
      dispatcher.start();
      if (ownsNflog) nflog.startMaintenance();
      wakeEscalations(o, dispatcher);
    },
    async startInSlices(yieldTurn) {
      o.outbox?.configure(receivers, outboxSettings);
      inhibitor.start();
      if (ownsNflog) nflog.startMaintenance();
      await dispatcher.startInSlices(yieldTurn);
      wakeEscalations(o, dispatcher);
    },
    stop() {
      dispatcher.stop();
      inhibitor.stop();
      if (ownsNflog) nflog.stop();
      if (ownsRateLimits) rateLimits.stop();
      // the groups' flushes are aborted above; close each notifier's connection pool (a reload builds new ones)
      for (const list of receivers.values()) for (const i of list) i.notifier.close?.().catch(() => undefined);
    },
    receiverDelivery(receiver) {
      const state = rateLimits.get(receiver)?.state(o.clock.now());
      return { resolvedAfterMute: receiverSettings(o.tocsin, receiver).resolved_after_mute, ...(state ? { rateLimit: state } : {}) };
    },
    receiversFor: (labels) => dispatcher.receiversFor(labels),
    inhibitedBy: (labels) => inhibitor.inhibitedBy(labels),
    groups() {
      const out: AlertGroupView[] = [];
      for (const g of dispatcher.groups()) {
        out.push({
          labels: g.labels,
          routeLabels: g.route.opts.labels,
          receiver: g.route.opts.receiver,
          groupKey: g.groupKey,
          routeId: g.route.id,
          mutedBy: g.mutedBy,
          alerts: [...g.alerts()],
          ...tocsinState(o, g.groupKey, g.route.opts.receiver),
        });
      }
      return out;
    },
    group(groupKey, receiver) {
      const g = dispatcher.group(groupKey);
      return g && g.route.opts.receiver === receiver && !g.destroyed ? g : undefined;
    },
  };
}

/**
 * After a restart or reload: each escalation under way flushes its group when its next step is due (not only at
 * the group's next flush, which may be a group_interval later).
 */
function wakeEscalations(o: CreateDispatchOptions, dispatcher: Dispatcher): void {
  if (!o.escalations) return;
  for (const s of o.escalations.all()) {
    if (s.stoppedAt !== undefined) continue;
    const next = receiverSettings(o.tocsin, s.receiver).escalation[s.steps];
    if (next) dispatcher.wakeAt(s.groupKey, s.startedAt + next.after);
  }
}

/** A group's ack and escalation, as GET /api/v2/alerts/groups shows them (only when there are). */
function tocsinState(o: CreateDispatchOptions, groupKey: string, receiver: string): Pick<AlertGroupView, 'ack' | 'escalation'> {
  const ack = o.acks?.activeFor(groupKey, receiver);
  const esc = o.escalations?.get(groupKey, receiver);
  if (!ack && !esc) return {};
  const steps = receiverSettings(o.tocsin, receiver).escalation;
  return {
    ...(ack ? { ack } : {}),
    ...(esc ? { escalation: { state: esc, steps } } : {}),
  };
}
