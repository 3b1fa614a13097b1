/**
 * @module app/outbox
 * The persistent outbox as the composition root builds it: over the SQLite file (src/store/outbox.ts), long-lived
 * like the nflog (each (re)load hands it the new integrations), recording into the history. With PostgreSQL
 * replicas there is none yet: the storage interface (src/pipeline/outbox-storage.ts) is backend-agnostic, but no
 * PostgreSQL table exists, so `outbox` settings are ignored there, with a warning.
 */
import type { Registry } from 'prom-client';
import type { HistorySink } from '../history/sink';
import { Outbox } from '../pipeline/outbox';
import type { OutboxStorage } from '../pipeline/outbox-storage';
import type { DB } from '../store/db';
import { sqliteOutboxStorage } from '../store/outbox';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';

export interface AppOutbox {
  outbox: Outbox;
  storage: OutboxStorage;
}

/** The outbox over `db`, its queues rebuilt from the table (before any group flushes). */
export async function createOutbox(db: DB, o: { clock: Clock; logger: Logger; registry: Registry; history?: HistorySink }): Promise<AppOutbox> {
  const storage = sqliteOutboxStorage(db);
  const outbox = new Outbox({ storage, clock: o.clock, logger: o.logger.child({ component: 'outbox' }), registry: o.registry, ...(o.history ? { history: o.history } : {}) });
  await outbox.load();
  return { outbox, storage };
}
