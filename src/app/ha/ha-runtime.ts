/**
 * @module app/ha/ha-runtime
 * Tocsin as one of several replicas over PostgreSQL (--tocsin.storage.url; docs/ha-design.md): the shared
 * store, and the parts that keep this replica's memory in step with it and decide which replica notifies:
 * alerts (merge + change feed), silences (LISTEN/NOTIFY), the shared notification log (flush claims),
 * group leases and the replica heartbeat (cluster peers), storage maintenance, and failing open.
 */
import type { Registry } from 'prom-client';
import type { ClusterStatus } from '../../api/types';
import type { Nflog } from '../../nflog/nflog';
import type { IntegrationRef, NflogIntent } from '../../nflog/types';
import { PgStorage } from '../../store/postgres/pg-storage';
import type { VersionedNflogEntry } from '../../store/storage';
import type { Clock } from '../../types/clock';
import type { Logger } from '../../types/logger';
import { GroupLeases } from './group-leases';
import { PgAlertSync } from './pg-alert-sync';
import { PgSilenceSync } from './pg-silence-sync';
import { claimAheadLead, SharedNotificationLog } from './shared-nflog';
import { StorageHealth } from './storage-health';

export interface HaOptions {
  /** postgres:// URL (never logged as is: redactPgUrl) */
  url: string;
  /** this replica's unique name */
  replica: string;
  /** host:port of this replica's API, shown to peers */
  address: string;
  /** group lease ttl, ms (--tocsin.ha.lease-duration, default 10 s) */
  leaseDuration: number;
  /** change-feed poll interval for alerts, ms (default 1000) */
  alertPollInterval?: number;
}

export class HaRuntime {
  readonly storage: PgStorage;
  readonly health: StorageHealth;
  readonly alerts: PgAlertSync;
  readonly silences: PgSilenceSync;
  readonly #o: HaOptions;
  readonly #logger: Logger;
  readonly #registry: Registry;
  #nflogEntries: VersionedNflogEntry[];
  #nflogIntents: NflogIntent[];
  #leases: GroupLeases | undefined;
  #sharedLog: SharedNotificationLog | undefined;
  #maintenance: NodeJS.Timeout | undefined;
  /** timers of the claims ahead of first flushes (onFirstFlush) */
  readonly #aheadTimers = new Set<NodeJS.Timeout>();

  private constructor(
    o: HaOptions,
    logger: Logger,
    registry: Registry,
    storage: PgStorage,
    health: StorageHealth,
    alerts: PgAlertSync,
    silences: PgSilenceSync,
    nflog: VersionedNflogEntry[],
    intents: NflogIntent[],
  ) {
    this.#o = o;
    this.#logger = logger;
    this.#registry = registry;
    this.storage = storage;
    this.health = health;
    this.alerts = alerts;
    this.silences = silences;
    this.#nflogEntries = nflog;
    this.#nflogIntents = intents;
  }

  /** Connects, migrates the schema and reads the shared state (rejects, with nothing left open, if any fails). */
  static async open(o: HaOptions, deps: { clock: Clock; logger: Logger; registry: Registry }): Promise<HaRuntime> {
    const logger = deps.logger.child({ component: 'ha' });
    const storage = await PgStorage.open({ url: o.url, replica: o.replica, logger });
    try {
      const health = new StorageHealth(logger);
      const alerts = await PgAlertSync.open({ storage, health, logger, clock: deps.clock });
      const silences = await PgSilenceSync.open({ storage, health, logger });
      const nflog = await storage.nflog.loadAll();
      const intents = await storage.nflog.intents(Date.now());
      return new HaRuntime(o, logger, deps.registry, storage, health, alerts, silences, nflog, intents);
    } catch (e) {
      await storage.close().catch(() => undefined);
      throw e;
    }
  }

  /** The notification log the pipeline uses, over the process's in-memory Nflog (filled from the store). */
  notificationLog(nflog: Nflog, claimTtl: number): SharedNotificationLog {
    const log = new SharedNotificationLog({ nflog, storage: this.storage, leases: () => this.#leases, health: this.health, logger: this.#logger, claimTtl });
    log.load(this.#nflogEntries);
    log.loadIntents(this.#nflogIntents);
    this.#nflogEntries = [];
    this.#nflogIntents = [];
    this.#sharedLog = log;
    return log;
  }

  /** Starts the heartbeat (first one awaited), the alert change feed and the store's maintenance. */
  async start(groupKeys: () => Iterable<string>, maintenanceInterval: number, retentionGrace: number): Promise<void> {
    this.#leases = new GroupLeases({
      storage: this.storage,
      health: this.health,
      logger: this.#logger,
      registry: this.#registry,
      name: this.#o.replica,
      address: this.#o.address,
      ttl: this.#o.leaseDuration,
      groupKeys,
      onAcquire: async (keys) => {
        const [entries, intents] = await this.health.track(Promise.all([this.storage.nflog.byGroups(keys), this.storage.nflog.intents(Date.now(), keys)]));
        this.#sharedLog?.load(entries);
        this.#sharedLog?.loadIntents(intents);
      },
    });
    await this.#leases.start();
    this.alerts.startFeed(this.#o.alertPollInterval ?? 1000);
    this.#maintenance = setInterval(() => void this.#maintain(retentionGrace), maintenanceInterval);
    this.#maintenance.unref();
    this.#logger.info({ replica: this.#o.replica, leaseDuration: `${this.#o.leaseDuration / 1000}s` }, 'Running as a replica over PostgreSQL');
  }

  async #maintain(grace: number): Promise<void> {
    this.#sharedLog?.prune(Date.now());
    try {
      await this.storage.nflog.deleteExpired(Date.now());
      await this.storage.flushClaims.gc(grace);
      await this.storage.leases.gc(grace);
    } catch (err) {
      this.#logger.warn({ err }, 'PostgreSQL maintenance failed');
    }
  }

  get leases(): GroupLeases | undefined {
    return this.#leases;
  }

  /**
   * A group this replica does not own keeps its resolved alerts for two lease periods plus a group_interval
   * after their end: if the owner dies before notifying the resolution, the replica that takes the group over
   * still has them to send.
   */
  keepResolvedFor(): (groupKey: string, groupInterval: number) => number {
    return (groupKey, groupInterval) => {
      if (this.#leases?.epochOf(groupKey) === undefined) return 2 * this.#o.leaseDuration + groupInterval;
      // owned, but a notification of it is claimed by another replica (one that died mid-send): keep them until
      // a flush of this replica has claimed and decided it
      return this.#sharedLog?.busy(groupKey) ? Number.POSITIVE_INFINITY : 0;
    };
  }

  /**
   * A new aggregation group: if this replica is its preferred owner, the lease is claimed (and the group's
   * history read) now, batched with the other groups created in this turn, rather than when its first flush
   * is due (which then needs no round trip for it).
   */
  onNewGroup(): (groupKey: string) => void {
    return (groupKey) => this.#leases?.prefetch(groupKey);
  }

  /**
   * A group's first flush is due in `delay` ms: its notifications are claimed a little before
   * (claimAheadLead: half the wait, at most 1 s), so that the flush sends without a round trip to PostgreSQL
   * (SharedNotificationLog.claimAhead). A flush due sooner than 200 ms claims as it goes.
   */
  onFirstFlush(): (groupKey: string, refs: readonly IntegrationRef[], delay: number) => void {
    return (groupKey, refs, delay) => {
      const lead = claimAheadLead(delay);
      if (lead === 0 || refs.length === 0 || !this.#sharedLog) return;
      const timer = setTimeout(() => {
        this.#aheadTimers.delete(timer);
        void this.#sharedLog?.claimAhead(groupKey, refs);
      }, delay - lead);
      timer.unref();
      this.#aheadTimers.add(timer);
    };
  }

  /** The writes the last synchronous store calls started (the API awaits them before answering). */
  durable(): Promise<void> | undefined {
    const a = this.alerts.takeWrite();
    const s = this.silences.takeWrite();
    if (a && s) return Promise.all([a, s]).then(() => undefined);
    return a ?? s;
  }

  /** `cluster` of GET /api/v2/status: the replicas that sent a heartbeat recently, this one first. */
  cluster(): ClusterStatus {
    const live = this.#leases?.live ?? [];
    const me = { name: this.#o.replica, address: this.#o.address };
    return { name: me.name, status: 'ready', peers: [me, ...live.filter((r) => r.name !== me.name).map((r) => ({ name: r.name, address: r.address }))] };
  }

  async close(): Promise<void> {
    clearInterval(this.#maintenance);
    for (const t of this.#aheadTimers) clearTimeout(t);
    this.#aheadTimers.clear();
    this.alerts.stop();
    await this.#leases?.stop();
    await this.silences.stop();
    await this.storage.close().catch(() => undefined);
  }
}
