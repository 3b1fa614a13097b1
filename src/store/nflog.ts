/**
 * @module store/nflog
 * SQLite storage for the notification log (src/nflog). One row per entry key; written synchronously in
 * WAL mode so it survives kill -9 once upsert() / upsertMany() returns (upsertMany: one transaction).
 */
import type { NflogStore } from '../nflog/nflog';
import type { NflogIntent } from '../nflog/types';
import type { NflogEntry } from '../pipeline/types';
import { type DB, migrate } from './db';
import { type NflogRow, nflogEntryFromRow } from './rows';

const MIGRATIONS = [
  `CREATE TABLE nflog (
     key TEXT PRIMARY KEY,
     group_key TEXT NOT NULL,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     idx INTEGER NOT NULL,
     timestamp INTEGER NOT NULL,
     firing TEXT NOT NULL,
     resolved TEXT NOT NULL,
     receiver_data TEXT,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX nflog_expires ON nflog (expires_at);`,
  // 2: intents (resolved_after_mute): the alerts a notification about to be sent has firing, by entry key
  `CREATE TABLE nflog_intent (
     key TEXT PRIMARY KEY,
     group_key TEXT NOT NULL,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     idx INTEGER NOT NULL,
     firing TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
];

export function sqliteNflogStore(db: DB): NflogStore {
  migrate(db, 'nflog', MIGRATIONS);
  const upsert = db.prepare(
    `INSERT INTO nflog (key, group_key, receiver, integration, idx, timestamp, firing, resolved, receiver_data, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET timestamp = excluded.timestamp, firing = excluded.firing, resolved = excluded.resolved,
       receiver_data = excluded.receiver_data, expires_at = excluded.expires_at`,
  );
  const all = db.prepare('SELECT group_key, receiver, integration, idx, timestamp, firing, resolved, receiver_data, expires_at FROM nflog');
  const del = db.prepare('DELETE FROM nflog WHERE expires_at <= ?');
  const delIntents = db.prepare('DELETE FROM nflog_intent WHERE expires_at <= ?');
  const putIntent = db.prepare(
    `INSERT INTO nflog_intent (key, group_key, receiver, integration, idx, firing, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET firing = excluded.firing, expires_at = excluded.expires_at`,
  );
  const delIntent = db.prepare('DELETE FROM nflog_intent WHERE key = ?');
  const intents = db.prepare('SELECT group_key, receiver, integration, idx, firing, expires_at FROM nflog_intent');
  const size = db.prepare("SELECT COALESCE(SUM(LENGTH(key) + LENGTH(firing) + LENGTH(resolved) + 64), 0) AS n FROM nflog");
  const write = (key: string, e: NflogEntry): void => {
    upsert.run(
      key,
      e.groupKey,
      e.receiver.groupName,
      e.receiver.integration,
      e.receiver.idx,
      e.timestamp,
      JSON.stringify(e.firingAlerts),
      JSON.stringify(e.resolvedAlerts),
      e.receiverData ? JSON.stringify(e.receiverData) : null,
      e.expiresAt,
    );
  };
  // one transaction (one WAL commit) for many entries: all or none
  const writeMany = db.transaction((entries: Iterable<readonly [string, NflogEntry]>) => {
    for (const [key, e] of entries) write(key, e);
  });
  return {
    loadAll(): NflogEntry[] {
      return (all.all() as NflogRow[]).map(nflogEntryFromRow);
    },
    upsert(key: string, e: NflogEntry): void {
      write(key, e);
    },
    upsertMany(entries: Iterable<readonly [string, NflogEntry]>): void {
      writeMany(entries);
    },
    deleteExpired(now: number): number {
      delIntents.run(now);
      return del.run(now).changes;
    },
    loadIntents(): NflogIntent[] {
      const rows = intents.all() as { group_key: string; receiver: string; integration: string; idx: number; firing: string; expires_at: number }[];
      return rows.map((r) => ({
        groupKey: r.group_key,
        receiver: { groupName: r.receiver, integration: r.integration, idx: r.idx },
        firing: JSON.parse(r.firing) as string[],
        expiresAt: r.expires_at,
      }));
    },
    putIntent(key: string, i: NflogIntent | undefined): void {
      if (!i) delIntent.run(key);
      else putIntent.run(key, i.groupKey, i.receiver.groupName, i.receiver.integration, i.receiver.idx, JSON.stringify(i.firing), i.expiresAt);
    },
    sizeBytes(): number {
      return (size.get() as { n: number }).n;
    },
  };
}
