/**
 * @module app/ha/pg-alert-sync
 * MemAlerts over PostgreSQL: memory stays the read path; every put is merged by fingerprint in the shared
 * store (PgAlertStore.sync, upstream's rule against the STORED row; a re-send that changes nothing but
 * updatedAt and a small endsAt extension is not written), in one statement per event-loop turn, and a stored
 * result that differs from memory's is taken back into memory, so replicas that receive the same alerts
 * converge. A change-feed poller takes in what other replicas stored (an alert only one replica received);
 * rows this replica wrote last are not read back. A put that the store would not write anyway (a re-send that
 * changes nothing but updatedAt and a small endsAt extension, judged against the row as this replica knows it)
 * makes no round trip at all: the API answers at once.
 */
import type { AlertPersistence, MemAlerts } from '../../provider/mem-alerts';
import { needsWrite } from '../../store/alert-merge';
import type { PgStorage } from '../../store/postgres/pg-storage';
import type { Alert } from '../../types/alert';
import type { Clock } from '../../types/clock';
import type { Logger } from '../../types/logger';
import type { StorageHealth } from './storage-health';
import { LastWrite, TurnBatch } from './turn-batch';

export class PgAlertSync implements AlertPersistence {
  readonly #storage: PgStorage;
  readonly #health: StorageHealth;
  readonly #logger: Logger;
  #initial: Alert[];
  #cursor: string;
  #mem: MemAlerts | undefined;
  readonly #last = new LastWrite();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  readonly #merges: TurnBatch<readonly Alert[]>;
  readonly #clock: Clock;
  /**
   * fingerprint -> the row as this replica last knew it stored: read at start, written by this replica, or
   * read from the change feed (other replicas' writes). A put whose merge the store would not write (see
   * needsWrite) needs no round trip.
   */
  readonly #stored = new Map<string, Alert>();

  private constructor(o: { storage: PgStorage; health: StorageHealth; logger: Logger; clock: Clock }, initial: Alert[], cursor: string) {
    this.#storage = o.storage;
    this.#health = o.health;
    this.#logger = o.logger;
    this.#initial = initial;
    this.#cursor = cursor;
    this.#clock = o.clock;
    for (const a of initial) this.#stored.set(a.fingerprint, a);
    this.#merges = new TurnBatch(
      async (batches) => {
        const { written, newer } = await this.#health.track(this.#storage.alerts.sync(batches.flat(), o.clock.now()));
        for (const a of written) this.#stored.set(a.fingerprint, a);
        // only what differs from the alerts memory holds comes back (another replica stored something newer)
        if (newer.length > 0) this.#mem?.applyStored(newer);
        return undefined;
      },
      // at most 2 statements under way: requests arriving meanwhile share the next one (group commit)
      { maxInFlight: 2 },
    );
  }

  /** Reads every stored alert (and the change-feed cursor after them). */
  static async open(o: { storage: PgStorage; health: StorageHealth; logger: Logger; clock: Clock }): Promise<PgAlertSync> {
    const { alerts, cursor } = await o.storage.alerts.changesSince('0');
    return new PgAlertSync(o, alerts, cursor);
  }

  /** The memory this store feeds (MemAlerts is built over this object, then attached). */
  attach(mem: MemAlerts): void {
    this.#mem = mem;
  }

  loadAll(): Alert[] {
    const a = this.#initial;
    this.#initial = [];
    return a;
  }

  save(alerts: readonly Alert[]): void {
    // while the database is unreachable every write goes there (and fails: 503), as the API promises
    const now = this.#clock.now();
    const changed = this.#health.up ? alerts.filter((a) => needsWrite(a, this.#stored.get(a.fingerprint), now)) : alerts;
    if (changed.length === 0) {
      this.#last.take(); // nothing of this call to wait for
      return;
    }
    this.#last.started(this.#merges.add(changed));
  }

  delete(fingerprints: readonly string[]): void {
    for (const fp of fingerprints) this.#stored.delete(fp);
    // each replica collects its own garbage; deleting an already deleted row is a no-op
    this.#health.track(this.#storage.alerts.delete(fingerprints)).catch((err: unknown) => this.#logger.warn({ err }, 'Deleting alerts from PostgreSQL failed'));
  }

  /** The write the last save() started (the API awaits it before answering: an acknowledged POST is durable). */
  takeWrite(): Promise<void> | undefined {
    return this.#last.take();
  }

  /** Polls the change feed every `interval` ms. */
  startFeed(interval: number): void {
    this.#timer = setInterval(() => void this.poll(), interval);
    this.#timer.unref();
  }

  /** One read of the change feed into memory (rows may be read twice: taking them in is idempotent). */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const { alerts, cursor } = await this.#health.track(this.#storage.alerts.changesSince(this.#cursor, { othersOnly: true }));
      this.#cursor = cursor;
      for (const a of alerts) this.#stored.set(a.fingerprint, a);
      if (alerts.length > 0) this.#mem?.applyStored(alerts);
    } catch {
      // health logged it; the next poll continues from the same cursor
    } finally {
      this.#polling = false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
