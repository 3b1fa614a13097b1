/**
 * The composition root (upstream app/app.go + app/reloader.go). Two layers:
 * - Core: long-lived parts that survive reloads (SQLite file, alert store, marker, silences, nflog).
 * - Subsystems: everything built from one config (route tree, inhibitor, dispatcher + pipeline, API view).
 *   `buildSubsystems(loaded)` builds them all; reload = load + build new first (anything can fail there),
 *   then stop the old ones and start the new ones ("reaching this point means the reload will succeed").
 * To plug a subsystem in: add its long-lived part to `Core` (built in `App.create`) and/or its per-config
 * part to `Subsystems` (built in `buildSubsystems`, started in `start()`, stopped in `stop()`).
 */
import type { RequestHandler, Router } from 'express';
import { Gauge, type Registry } from 'prom-client';
import { Acks } from '../ack/acks';
import { Escalations } from '../ack/escalations';
import { alertGroupsRoutes } from '../api/alert-groups';
import { ackRoutes } from '../api/tocsin-acks';
import { ackJson, escalationJson } from '../api/ack-json';
import { receiverSettings } from '../types/tocsin-config';
import { sqliteAckStorage, sqliteEscalationStorage } from '../store/acks';
import { pgAckStorage, pgEscalationStorage } from '../store/postgres/acks';
import { explainRoutes } from '../api/explain';
import { historyRoutes } from '../api/tocsin-history';
import { notificationRoutes } from '../api/tocsin-notifications';
import { createHttpApp } from '../api/server';
import { silenceAuditRoutes } from '../api/silence-audit';
import { silenceScheduleRoutes } from '../api/silence-schedules';
import { type SilenceRoutesDeps, silenceLeanRoutes, silenceRoutes } from '../api/silences';
import { type ReloadResult, sqliteStorageBytes } from '../api/tocsin-status';
import type { ApiDeps, ApiView, ClusterStatus, RequestLimits } from '../api/types';
import { uiRoutes } from '../api/ui';
import type { LoadedConfig } from '../config/types';
import { matcherModeFromFeatures } from '../matchers/parse';
import type { Nflog } from '../nflog/nflog';
import type { NotificationLog } from '../pipeline/types';
import { defaultUserAgent } from '../notifiers/shared/http-sender';
import { registerAlertsByState } from '../provider/alerts-by-state';
import { MemAlerts } from '../provider/mem-alerts';
import { RateLimits } from '../pipeline/rate-limit';
import { createDispatch, createNflog, type Dispatch } from './create-dispatch';
import { Silencer, Silences } from '../silence';
import { muteShareWarning } from '../silence/hygiene';
import { SilenceScheduler } from '../silence/scheduler';
import { pgScheduleStore } from '../store/postgres/silence-schedules';
import { sqliteScheduleStore } from '../store/silence-schedules';
import { TemplateSet } from '../templates/template-set';
import { AlertStore } from '../store/alerts';
import { SqliteWriterThread } from '../store/sqlite-writer-thread';
import { WalCheckpointer } from '../store/wal-checkpoint';
import { type DB, openDatabase, StorageError, storageError } from '../store/db';
import { SilenceStore } from '../store/silences';
import { type Alert, isResolved } from '../types/alert';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import { AlertMarker, type AlertState, type AlertStatus } from '../types/marker';
import { logConfigLoadFailure } from './config-error-log';
import { type AppHistory, createHistory } from './history';
import { type AppOutbox, createOutbox } from './outbox';
import { EventRecorder } from './event-recorder/recorder';
import { metricLabelFeatures } from './features';
// the PostgreSQL parts load only with --tocsin.storage.url: the `pg` package costs a SQLite start ~50-100 ms
import type { HaOptions, HaRuntime } from './ha/ha-runtime';
import { ALERTMANAGER_COMPAT_VERSION, TOCSIN_VERSION, versionInfo } from './version';

export interface AppOptions {
  configFile: string;
  /** ':memory:' for tests that need no durability */
  storagePath: string;
  /** --data.retention ms */
  dataRetention: number;
  /** --alerts.gc-interval ms */
  alertsGcInterval: number;
  /** --alerts.per-alertname-limit (0 = no limit) */
  perAlertnameLimit?: number;
  /** --data.maintenance-interval ms (silences and nflog GC); default 15m */
  maintenanceInterval?: number;
  /** --silences.max-silences, --silences.max-silence-size-bytes (0 = no limit), --log.silences */
  maxSilences?: number;
  maxSilenceSizeBytes?: number;
  logSilences?: boolean;
  externalURL: string;
  routePrefix: string;
  features: readonly string[];
  clock: Clock;
  logger: Logger;
  registry: Registry;
  loadConfig(file: string): Promise<LoadedConfig>;
  /** serve the web UI (default true) */
  ui?: boolean;
  getConcurrency?: number;
  webTimeout?: number;
  /** middleware run before every route (basic auth, web config headers) */
  before?: RequestHandler[];
  /** --tocsin.api.* request limits (default DEFAULT_REQUEST_LIMITS) */
  requestLimits?: RequestLimits;
  /** --dispatch.start-delay ms: no notification before App.create time + this, across reloads (default 0) */
  dispatchStartDelay?: number;
  /** --tocsin.storage.url: run as a replica over PostgreSQL instead of on the SQLite file (src/app/ha) */
  ha?: HaOptions;
  /** --tocsin.history.*: omitted or enabled=false = no history recorded (the API answers empty pages) */
  history?: { enabled: boolean; retention: number; maxEvents: number; payloadBytes?: number };
}

/** Long-lived parts. */
interface Core {
  /** the SQLite file (absent with PostgreSQL) */
  db?: DB;
  /** the SQLite alert table (absent with PostgreSQL); big saves go through its writer thread */
  alertStore?: { store: AlertStore; writer?: SqliteWriterThread };
  /** tocsin.db's WAL checkpoints, run on the writer thread (absent with PostgreSQL and in memory) */
  walCheckpoints?: WalCheckpointer;
  /** the PostgreSQL replica parts (absent with SQLite) */
  ha?: HaRuntime;
  /** what the pipeline logs to: the nflog, or with PostgreSQL the shared log over it */
  notificationLog: NotificationLog;
  alerts: MemAlerts;
  marker: AlertMarker;
  /** the notification log: outlives reloads so a reload never re-sends what was delivered */
  nflog: Nflog;
  /** silences: durable, shared by every config */
  silences: Silences;
  /** the silence Muter; records silencedBy in the marker during flushes */
  silencer: Silencer;
  /** recurring silences */
  scheduler: SilenceScheduler;
  /** epoch ms before which no group flushes (start time + --dispatch.start-delay) */
  dispatchStartAt?: number;
  /** notifiers' User-Agent (`Alertmanager/<version>`), read from package.json once per process */
  userAgent: string;
  /** the history (src/history): its table, the batch writer every hook records into, the background retention */
  history: AppHistory;
  /** the persistent outbox (SQLite only): outlives reloads */
  outbox?: AppOutbox;
  /** tocsin.yml `rate_limit`: the receivers' limiters by name, kept across reloads (in memory) */
  rateLimits: RateLimits;
  /** acknowledgements and escalation state (src/ack): durable, shared by every config */
  acks: Acks;
  escalations: Escalations;
}

/** Parts built from one config; rebuilt on reload. */
interface Subsystems {
  loaded: LoadedConfig;
  /** route tree + inhibitor + pipeline + dispatcher (src/app/create-dispatch.ts) */
  dispatch: Dispatch;
  view: ApiView;
}

export class App {
  readonly options: AppOptions;
  readonly core: Core;
  readonly http: ReturnType<typeof createHttpApp>;
  readonly startTime: number;
  #current: Subsystems;
  #reloading: Promise<void> = Promise.resolve();
  readonly #metrics: {
    hash: Gauge;
    success: Gauge;
    successTime: Gauge;
    receivers: Gauge;
    integrations: Gauge;
  };
  #closed = false;
  /** the subsystems run: set once the stored alerts are restored */
  #dispatching = false;
  /** for the `tocsin` object of GET /api/v2/status */
  #lastReload: ReloadResult = { success: true, time: 0 };
  #lastSuccessTime = 0;
  /** the stored alerts are loaded and the dispatcher has rebuilt its groups from them: /-/ready answers 200 */
  #ready = false;
  /**
   * settles when the stored alerts are loaded and the dispatcher has rebuilt its groups from them (rejects with
   * a StorageError if reading them failed)
   */
  readonly restored: Promise<void>;

  private constructor(options: AppOptions, core: Core, first: Subsystems) {
    this.options = options;
    this.core = core;
    this.#current = first;
    this.startTime = options.clock.now();
    const reg = options.registry;
    this.#metrics = {
      hash: new Gauge({ name: 'alertmanager_config_hash', help: 'Hash of the currently loaded alertmanager configuration. Note that this is not a cryptographically strong hash.', registers: [reg] }),
      success: new Gauge({ name: 'alertmanager_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.', registers: [reg] }),
      successTime: new Gauge({ name: 'alertmanager_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload.', registers: [reg] }),
      receivers: new Gauge({ name: 'alertmanager_receivers', help: 'Number of configured receivers.', registers: [reg] }),
      integrations: new Gauge({ name: 'alertmanager_integrations', help: 'Number of configured integrations.', registers: [reg] }),
    };
    const byGroup = metricLabelFeatures(options.features).groupKeyInMetrics ? () => this.#current.dispatch.groups() : undefined;
    registerStaticMetrics(reg, core, options.clock, (a) => this.#current.view.alertStatus(a).state, byGroup);
    this.#recordReload(first.loaded);
    const apiDeps: ApiDeps = {
      alerts: core.alerts,
      view: () => this.#current.view,
      clock: options.clock,
      logger: options.logger,
      registry: reg,
      matcherMode: matcherModeFromFeatures(options.features),
      versionInfo: versionInfo(),
      startTime: this.startTime,
      requestLimits: options.requestLimits,
      cluster: (): ClusterStatus => core.ha?.cluster() ?? { status: 'disabled', peers: [] },
      // PostgreSQL: the shared store's writes; SQLite: the alert writes of the writer thread
      ...(core.ha ? { durable: () => core.ha?.durable() } : core.alertStore ? { durable: () => core.alertStore?.store.takeWrite() } : {}),
      tocsinStatus: () => ({
        version: TOCSIN_VERSION,
        lastReload: this.#lastReload,
        lastSuccessTime: this.#lastSuccessTime,
        storageBytes: core.db ? sqliteStorageBytes(core.db.name) : null,
        startTime: this.startTime,
        ...(this.#current.loaded.tocsin ? { config: { file: this.#current.loaded.tocsin.file, original: this.#current.loaded.tocsin.original } } : {}),
      }),
    };
    // routers under /api/v2 besides alerts/status/receivers; each reads the current subsystems per request
    const silenceDeps: SilenceRoutesDeps = {
      silences: core.silences,
      logger: options.logger,
      clock: options.clock,
      matcherMode: apiDeps.matcherMode,
      requestLimits: options.requestLimits,
      ...(core.ha ? { durable: () => core.ha?.durable() } : {}),
      muteWarning: (id) => {
        const share = this.#current.loaded.tocsin?.config.silences.warn_mute_share ?? 0;
        const s = share > 0 ? core.silences.get(id) : undefined;
        return s ? muteShareWarning(s, core.alerts.all(), options.clock.now(), share) : undefined;
      },
    };
    // built with the Express app, on the first request for it (src/api/server.ts)
    let apiRouters: Router[] | undefined;
    const buildApiRouters = (): Router[] => [
      alertGroupsRoutes({ ...apiDeps, alertGroups: () => this.#current.dispatch.groups() }),
      silenceRoutes(silenceDeps),
      silenceAuditRoutes({ silences: core.silences }),
      silenceScheduleRoutes({ scheduler: core.scheduler, requestLimits: options.requestLimits }),
      historyRoutes({
        storage: core.history.storage,
        subscribe: (l) => core.history.writer?.subscribe(l) ?? (() => undefined),
        clock: options.clock,
        logger: options.logger,
        matcherMode: apiDeps.matcherMode,
      }),
      notificationRoutes(core.outbox ? { outbox: core.outbox } : {}),
      ackRoutes({
        acks: core.acks,
        clock: options.clock,
        logger: options.logger.child({ component: 'acks' }),
        requestLimits: options.requestLimits,
        onCreated: (ack) => core.escalations.acknowledged(ack.groupKey, ack.receiver, ack.id, ack.createdAt),
        groupAlerts: (groupKey, receiver) => {
          const g = this.#current.dispatch.group(groupKey, receiver);
          return g ? [...g.alerts()] : undefined;
        },
      }),
      explainRoutes({
        alerts: core.alerts,
        clock: options.clock,
        current: () => ({ config: this.#current.loaded.config, dispatch: this.#current.dispatch }),
        silencedBy: (labels, fp) => core.silencer.silencedBy(labels, fp),
        ...(core.outbox ? { outboxPending: (r: string, i: string, idx: number, fp: string) => core.outbox?.outbox.pendingWith(r, i, idx, fp) } : {}),
        tocsinState: (groupKey, receiver) => {
          const ack = core.acks.activeFor(groupKey, receiver);
          const esc = core.escalations.get(groupKey, receiver);
          const steps = receiverSettings(this.#current.loaded.tocsin?.config, receiver).escalation;
          return { ...(ack ? { ack: ackJson(ack) } : {}), ...(esc ? { escalation: escalationJson(esc, steps) } : {}) };
        },
      }),
    ];
    this.http = createHttpApp({
      ...apiDeps,
      routePrefix: options.routePrefix,
      reload: () => this.reload(),
      apiRouters: () => {
        apiRouters ??= buildApiRouters();
        return apiRouters;
      },
      ui: options.ui === false ? undefined : () => uiRoutes({ routePrefix: options.routePrefix }),
      before: options.before ?? [],
      getConcurrency: options.getConcurrency ?? 0,
      timeout: options.webTimeout ?? 0,
      ready: () => this.#ready,
      leanRoutes: silenceLeanRoutes(silenceDeps),
    });
    // the stored alerts load in slices once the caller has started listening (/-/ready answers 503 meanwhile);
    // alerts put meanwhile merge with their stored versions (MemAlerts.restore)
    // the dispatcher starts after that, from every alert then in the store (no group flushes half-restored),
    // rebuilding its groups in slices too
    const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    this.restored = yieldTurn()
      .then(() => core.alerts.restore(yieldTurn))
      .then(
        async () => {
          options.logger.info({ alerts: core.alerts.count() }, 'Loaded alerts from storage');
          if (this.#closed) return;
          this.#dispatching = true;
          await this.#current.dispatch.startInSlices(yieldTurn);
          core.outbox?.outbox.start();
          this.#ready = true;
        },
        (e: unknown) => {
          // SQLite: a damaged page met while loading names the file; PostgreSQL errors are already StorageErrors
          throw core.db ? storageError(e, core.db.name) : e;
        },
      );
    this.restored.catch(() => undefined); // the caller handles it; no unhandled rejection before it looks
  }

  /**
   * Open storage, load the config (throws ConfigError if it is bad) and build everything. The stored alerts
   * then load in slices (`restored`; /-/ready answers 503 until then) and the subsystems start after them.
   */
  static async create(options: AppOptions): Promise<App> {
    const dispatchStartAt = options.clock.now() + (options.dispatchStartDelay ?? 0);
    const loaded = await options.loadConfig(options.configFile);
    const ha = options.ha ? await openHa(options) : undefined;
    const db = ha ? undefined : openDatabase(options.storagePath);
    let history: AppHistory | undefined;
    // alert saves of a POST (chunks of up to 500) are written off the event loop; the API awaits their commit
    const alertWriter = db && !db.memory ? new SqliteWriterThread(db.name) : undefined;
    try {
      const marker = new AlertMarker();
      const recorder = options.features.includes('event-recorder')
        ? await EventRecorder.create({ config: loaded.config.event_recorder ?? {}, logger: options.logger.child({ component: 'eventrecorder' }), userAgent: defaultUserAgent(), version: TOCSIN_VERSION, registry: options.registry })
        : undefined;
      history = createHistory({ db, pg: ha?.storage.pool }, options, recorder);
      const alertStore = db ? { store: new AlertStore(db, alertWriter ? { writer: alertWriter, logger: options.logger.child({ component: 'alerts' }) } : {}), ...(alertWriter ? { writer: alertWriter } : {}) } : undefined;
      const sink = history.writer ? { history: history.writer } : {};
      const alerts = new MemAlerts({
        ...sink,
        clock: options.clock,
        logger: options.logger.child({ component: 'alerts' }),
        store: ha ? ha.alerts : alertStore!.store,
        deferLoad: true,
        gcInterval: options.alertsGcInterval,
        perAlertnameLimit: options.perAlertnameLimit ?? 0,
        registry: options.registry,
        alertNamesInMetrics: metricLabelFeatures(options.features).alertNamesInMetrics,
      });
      ha?.alerts.attach(alerts);
      alerts.onDelete((fps) => {
        for (const fp of fps) marker.delete(fp);
      });
      const nflog = createNflog({ ...(db ? { db } : {}), clock: options.clock, logger: options.logger.child({ component: 'nflog' }), registry: options.registry, retention: options.dataRetention });
      const silences = new Silences({
        ...sink,
        // SQLite: a silence write goes behind the writer thread's requests while it has some (never waits for its lock)
        store: ha ? ha.silences : new SilenceStore(db!, alertWriter ? { writer: alertWriter, logger: options.logger.child({ component: 'silences' }) } : {}),
        clock: options.clock,
        logger: options.logger.child({ component: 'silences' }),
        registry: options.registry,
        retention: options.dataRetention,
        maxSilences: options.maxSilences,
        maxSilenceSizeBytes: options.maxSilenceSizeBytes,
        matcherMode: matcherModeFromFeatures(options.features),
        logSilences: options.logSilences,
        firing: function* () {
          const now = options.clock.now();
          for (const a of alerts.all()) if (!isResolved(a, now)) yield a.labels;
        },
      });
      ha?.silences.attach(silences);
      // recurring silences, in the SQLite file or the replicas' shared database
      const scheduler = new SilenceScheduler({
        silences,
        store: ha ? pgScheduleStore(ha.storage.pool) : sqliteScheduleStore(db!),
        clock: options.clock,
        logger: options.logger.child({ component: 'silence-schedules' }),
        matcherMode: matcherModeFromFeatures(options.features),
      });
      const silencer = new Silencer({ silences, marker, clock: options.clock, ...sink });
      // a deleted alert's cached silence result goes with it (else the cache keeps every fingerprint ever seen
      // until the next silence change)
      alerts.onDelete((fps) => {
        for (const fp of fps) silencer.forget(fp);
      });
      // a claim holds a notification against other replicas for the flush deadline (at least 10 s)
      const notificationLog = ha ? ha.notificationLog(nflog, Math.max(10_000, options.ha!.leaseDuration)) : nflog;
      const outbox = db ? await createOutbox(db, { clock: options.clock, logger: options.logger, registry: options.registry, ...sink }) : undefined;
      const ackLogger = options.logger.child({ component: 'acks' });
      const acks = new Acks({ ...sink, storage: ha ? pgAckStorage(ha.storage.pool) : sqliteAckStorage(db!), clock: options.clock, logger: ackLogger, retention: options.dataRetention });
      const escalations = new Escalations({ ...sink, storage: ha ? pgEscalationStorage(ha.storage.pool) : sqliteEscalationStorage(db!), clock: options.clock, logger: ackLogger });
      await acks.load();
      await escalations.load();
      const walCheckpoints = db && alertWriter ? new WalCheckpointer(db, alertWriter, { clock: options.clock, logger: options.logger.child({ component: 'storage' }) }) : undefined;
      const core: Core = { ...(db ? { db } : {}), ...(alertStore ? { alertStore } : {}), ...(walCheckpoints ? { walCheckpoints } : {}), ...(ha ? { ha } : {}), notificationLog, alerts, marker, nflog, silences, silencer, dispatchStartAt, scheduler, userAgent: defaultUserAgent(), history, rateLimits: new RateLimits(options.clock), acks, escalations, ...(outbox ? { outbox } : {}) };
      const first = buildSubsystems(core, loaded, options);
      const app = new App(options, core, first);
      // the first heartbeat before any group flushes: the replica knows the live replicas and its leases
      await ha?.start(() => app.#groupKeys(), options.maintenanceInterval ?? 15 * 60_000, options.dataRetention);
      alerts.start();
      nflog.startMaintenance();
      silences.startMaintenance(options.maintenanceInterval ?? 15 * 60_000);
      walCheckpoints?.start();
      await scheduler.start();
      // replicas on PostgreSQL read each other's acks every few seconds
      acks.startMaintenance(options.maintenanceInterval ?? 15 * 60_000, ha ? ACK_REFRESH_INTERVAL : undefined);
      history.retention?.start();
      history.writer?.record({ time: options.clock.now(), kind: 'alertmanager_startup', data: { version: TOCSIN_VERSION, alerts: alerts.count() } });
      return app;
    } catch (e) {
      await alertWriter?.close();
      await history?.close();
      await ha?.close();
      if (!db) throw e;
      db.close();
      // a damaged page met while loading alerts, silences or the nflog: name the file, not the config
      throw storageError(e, db.name);
    }
  }

  *#groupKeys(): IterableIterator<string> {
    for (const g of this.#current.dispatch.dispatcher.groups()) yield g.groupKey;
  }

  get loaded(): LoadedConfig {
    return this.#current.loaded;
  }

  /**
   * Reload the config file. A bad file keeps the old config running and rejects with the errors.
   * Concurrent reloads are serialised.
   */
  reload(): Promise<void> {
    const run = async () => {
      const { logger } = this.options;
      let next: Subsystems;
      try {
        const loaded = await this.options.loadConfig(this.options.configFile);
        next = buildSubsystems(this.core, loaded, this.options);
      } catch (e) {
        this.#metrics.success.set(0);
        this.#lastReload = { success: false, time: this.options.clock.now(), error: (e as Error).message };
        this.core.history.writer?.record({ time: this.#lastReload.time, kind: 'config_reload', data: { success: false, error: (e as Error).message } });
        logConfigLoadFailure(logger, this.options.configFile, e);
        throw e;
      }
      // reaching this point means the reload will succeed
      const old = this.#current;
      if (this.#dispatching) stopSubsystems(old);
      this.#current = next;
      if (this.#dispatching) startSubsystems(next);
      this.#recordReload(next.loaded);
      this.core.history.recorder?.applyConfig(next.loaded.config.event_recorder);
      this.core.history.writer?.record({ time: this.options.clock.now(), kind: 'config_reload', data: { success: true, hash: next.loaded.hash } });
      logger.info({ file: this.options.configFile }, 'Completed loading of configuration file');
    };
    const p = this.#reloading.then(run, run);
    this.#reloading = p.catch(() => undefined);
    return p;
  }

  #recordReload(loaded: LoadedConfig): void {
    // tocsin.yml silences.expire_unmatched_after, applied by the silences' maintenance passes
    this.core.silences.setExpireUnmatchedAfter(loaded.tocsin?.config.silences.expire_unmatched_after ?? 0);
    this.#metrics.hash.set(configHashAsFloat(loaded.hash));
    this.#metrics.success.set(1);
    this.#lastReload = { success: true, time: this.options.clock.now() };
    this.#lastSuccessTime = this.#lastReload.time;
    this.#metrics.successTime.set(Math.floor(this.options.clock.now() / 1000));
    const receivers = loaded.config.receivers;
    this.#metrics.receivers.set(receivers.length);
    this.#metrics.integrations.set(receivers.reduce((n, r) => n + r.integrations.length, 0));
  }

  /** Stop timers and subsystems and close the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reloading;
    // before the flushes are aborted: a flush cut short by the shutdown is not stored (it runs again after the restart)
    this.core.outbox?.outbox.stop();
    this.core.alerts.stop();
    if (this.#dispatching) stopSubsystems(this.#current);
    this.core.rateLimits.stop();
    await this.restored.catch(() => undefined); // ends at its next page/slice once stopped
    this.core.nflog.stop();
    this.core.scheduler.stop();
    this.core.silences.stop();
    this.core.acks.stop();
    this.core.history.retention?.stop();
    this.core.history.writer?.record({ time: this.options.clock.now(), kind: 'alertmanager_shutdown' });
    await this.core.history.writer?.close();
    await this.core.history.recorder?.close();
    await this.core.history.close();
    await this.core.walCheckpoints?.stop();
    await this.core.silences.settled(); // the last silence commits on the writer thread
    await this.core.alertStore?.store.settled();
    await this.core.alertStore?.writer?.close();
    await this.core.ha?.close();
    this.core.db?.close();
  }
}

/** how often a replica on PostgreSQL reads the acks other replicas made */
const ACK_REFRESH_INTERVAL = 2_000;

/** PostgreSQL that cannot be reached or migrated at start is a storage error (exit code of a bad SQLite file). */
async function openHa(options: AppOptions): Promise<HaRuntime> {
  const ha = options.ha!;
  const { HaRuntime } = await import('./ha/ha-runtime');
  try {
    return await HaRuntime.open(ha, { clock: options.clock, logger: options.logger, registry: options.registry });
  } catch (e) {
    const where = (await import('../store/postgres/connect')).redactPgUrl(ha.url);
    throw new StorageError(where, `storage: cannot open PostgreSQL at ${where}: ${(e as Error).message}`, { cause: e });
  }
}

function buildSubsystems(core: Core, loaded: LoadedConfig, options: AppOptions): Subsystems {
  // default templates + the config's `templates:` files; a broken template fails the load like upstream
  const templates = TemplateSet.loadSync({ globs: loaded.config.templates, now: () => options.clock.now() });
  if (!core.outbox && loaded.tocsin && Object.values(loaded.tocsin.config.receivers).some((r) => r.outbox)) {
    options.logger.warn('tocsin.yml: the persistent outbox needs the SQLite storage; with PostgreSQL replicas the receivers\' outbox settings are ignored');
  }
  const dispatch = createDispatch({
    dispatchStartAt: core.dispatchStartAt,
    config: loaded.config,
    ...(loaded.tocsin ? { tocsin: loaded.tocsin.config } : {}),
    ...(core.outbox ? { outbox: core.outbox.outbox } : {}),
    alerts: core.alerts,
    marker: core.marker,
    nflog: core.nflog,
    notificationLog: core.notificationLog,
    ...(core.ha ? { keepResolvedFor: core.ha.keepResolvedFor(), onNewGroup: core.ha.onNewGroup(), onFirstFlush: core.ha.onFirstFlush() } : {}),
    userAgent: core.userAgent,
    clock: options.clock,
    logger: options.logger.child({ component: 'dispatcher' }),
    registry: options.registry,
    externalURL: options.externalURL,
    silencer: core.silencer,
    // notifier fields and messages render with the loaded templates (createDispatch builds the template data)
    templates,
    receiverNameInMetrics: metricLabelFeatures(options.features).receiverNameInMetrics,
    ...(core.history.writer ? { history: core.history.writer } : {}),
    rateLimits: core.rateLimits,
    acks: core.acks,
    escalations: core.escalations,
  });
  const view: ApiView = {
    loaded,
    receiversFor: (labels) => dispatch.receiversFor(labels),
    alertStatus: (alert: Alert): AlertStatus => {
      // computed at request time as upstream's API does (silences, then inhibitions), without touching the marker
      const silencedBy = core.silencer.silencedBy(alert.labels, alert.fingerprint);
      const inhibitor = dispatch.inhibitedBy(alert.labels);
      const inhibitedBy = inhibitor !== undefined ? [inhibitor] : [];
      const suppressed = silencedBy.length > 0 || inhibitedBy.length > 0;
      return { state: suppressed ? 'suppressed' : 'active', silencedBy, inhibitedBy, mutedBy: [] };
    },
  };
  return { loaded, dispatch, view };
}

function startSubsystems(s: Subsystems): void {
  s.dispatch.start();
}

function stopSubsystems(s: Subsystems): void {
  s.dispatch.stop();
}

/** upstream sets alertmanager_config_hash to the md5 of the config as a float; we use the first 52 bits of ours. */
export function configHashAsFloat(hexHash: string): number {
  return Number.parseInt(hexHash.slice(0, 13) || '0', 16);
}

/** `byGroup`: --enable-feature=group-key-in-metrics, alertmanager_alerts per aggregation group (upstream master) */
function registerStaticMetrics(
  reg: Registry,
  core: Core,
  clock: Clock,
  stateNow: (a: Alert) => AlertState,
  byGroup?: () => Iterable<{ groupKey: string; alerts: readonly Alert[] }>,
): void {
  new Gauge({
    name: 'alertmanager_build_info',
    help: 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which alertmanager was built, and the goos and goarch for the build.',
    labelNames: ['version', 'revision', 'branch', 'goversion', 'goos', 'goarch', 'tags'],
    registers: [reg],
  }).set(
    {
      version: ALERTMANAGER_COMPAT_VERSION,
      revision: `tocsin-${TOCSIN_VERSION}`,
      branch: 'tocsin',
      goversion: `node${process.versions.node}`,
      goos: process.platform,
      goarch: process.arch,
      tags: 'unknown',
    },
    1,
  );
  new Gauge({
    name: 'tocsin_build_info',
    help: 'A metric with a constant \'1\' value labeled by the Tocsin version and the Node.js version running it.',
    labelNames: ['version', 'nodeversion'],
    registers: [reg],
  }).set({ version: TOCSIN_VERSION, nodeversion: process.versions.node }, 1);
  new Gauge({ name: 'alertmanager_cluster_enabled', help: 'Indicates whether the clustering is enabled or not.', registers: [reg] }).set(core.ha ? 1 : 0);
  // computed when scraped, with the state GET /api/v2/alerts reports (src/provider/alerts-by-state.ts)
  registerAlertsByState(reg, { alerts: core.alerts, marker: core.marker, clock, stateNow, ...(byGroup ? { byGroup } : {}) });
}
