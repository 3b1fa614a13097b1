/**
 * @module app/ha/pg-silence-sync
 * Silences over PostgreSQL: memory (the Silences index) is the read path; writes go to the shared store in
 * one transaction per event-loop turn (the API answers once stored), and other replicas' writes arrive by
 * LISTEN/NOTIFY (PgStorage.watchSilences) within milliseconds. After the listener reconnects, or after a
 * write that could not be stored, every silence is re-read (one query), so memory ends equal to the store.
 */
import type { Silences } from '../../silence/silences';
import type { SilenceAuditEntry } from '../../silence/audit';
import type { SilencePersistence, StoredSilence } from '../../silence/store';
import type { PgListener } from '../../store/postgres/listener';
import type { PgStorage } from '../../store/postgres/pg-storage';
import type { SilenceChange } from '../../store/postgres/silences';
import { StorageUnavailableError, type StoredSilenceRow } from '../../store/storage';
import type { Logger } from '../../types/logger';
import type { StorageHealth } from './storage-health';
import { LastWrite, TurnBatch } from './turn-batch';

type Item = { silence: StoredSilence; expiresAt: number };

export class PgSilenceSync implements SilencePersistence {
  readonly #storage: PgStorage;
  readonly #health: StorageHealth;
  readonly #logger: Logger;
  #initial: StoredSilenceRow[];
  #silences: Silences | undefined;
  #listener: PgListener | undefined;
  readonly #last = new LastWrite();
  readonly #puts: TurnBatch<{ items: readonly Item[]; audit: readonly SilenceAuditEntry[] }>;

  private constructor(o: { storage: PgStorage; health: StorageHealth; logger: Logger }, initial: StoredSilenceRow[]) {
    this.#storage = o.storage;
    this.#health = o.health;
    this.#logger = o.logger;
    this.#initial = initial;
    this.#puts = new TurnBatch(async (batches) => {
      await this.#health.track(this.#storage.silences.put(batches.flatMap((b) => b.items), batches.flatMap((b) => b.audit)));
      return undefined;
    });
    // memory may hold a change that was not stored: the store is the truth once it is back
    o.health.onRecover(() => void this.resync());
  }

  /** Starts listening, then reads every silence (the order the listener needs: nothing is missed between). */
  static async open(o: { storage: PgStorage; health: StorageHealth; logger: Logger }): Promise<PgSilenceSync> {
    let self: PgSilenceSync | undefined;
    const listener = o.storage.watchSilences(
      (c) => void self?.changed(c),
      () => void self?.resync(),
    );
    await listener.start();
    const sync = new PgSilenceSync(o, await o.storage.silences.loadAll());
    sync.#listener = listener;
    self = sync;
    return sync;
  }

  attach(silences: Silences): void {
    this.#silences = silences;
  }

  loadAll(): StoredSilenceRow[] {
    const rows = this.#initial;
    this.#initial = [];
    return rows;
  }

  put(items: readonly Item[], audit: readonly SilenceAuditEntry[] = []): void {
    // refused before memory changes: nothing half-stored while the database is known to be down
    if (!this.#health.up) throw new StorageUnavailableError('PostgreSQL is unreachable');
    this.#last.started(this.#puts.add({ items, audit }), () => void this.resync());
  }

  audit(silenceId: string): Promise<SilenceAuditEntry[]> {
    return this.#health.track(this.#storage.silences.audit(silenceId));
  }

  delete(ids: readonly string[]): void {
    this.#health.track(this.#storage.silences.delete(ids)).catch((err: unknown) => this.#logger.warn({ err }, 'Deleting silences from PostgreSQL failed'));
  }

  takeWrite(): Promise<void> | undefined {
    return this.#last.take();
  }

  /** Another replica changed these silences: read them back (an id not returned was deleted). */
  async changed(c: SilenceChange): Promise<void> {
    if (c.ids === 'all') return this.resync();
    try {
      const rows = await this.#health.track(this.#storage.silences.get(c.ids));
      const found = new Set(rows.map((r) => r.silence.id));
      this.#silences?.applyStored(rows, c.ids.filter((id) => !found.has(id)));
    } catch (err) {
      this.#logger.warn({ err }, 'Reading changed silences failed; re-reading all');
      void this.resync();
    }
  }

  /** Re-reads every silence into memory; retried by the next recovery if the database is still away. */
  async resync(): Promise<void> {
    try {
      const rows = await this.#health.track(this.#storage.silences.loadAll());
      this.#silences?.replaceAll(rows);
    } catch (err) {
      this.#logger.warn({ err }, 'Re-reading silences failed');
    }
  }

  async stop(): Promise<void> {
    await this.#listener?.stop();
  }
}
