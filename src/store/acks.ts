/**
 * @module store/acks
 * SQLite storage of acknowledgements and escalation state (src/ack): one row per ack, kept after it ends (the
 * audit of who acknowledged what, and when it ended and why), and one row per group escalating on a receiver.
 * Each write is its own transaction, durable in the WAL before it returns (kill -9 loses nothing written).
 */
import type { Ack, AckStorage, EscalationState, EscalationStorage } from '../ack/types';
import { type DB, migrate } from './db';

const MIGRATIONS = [
  `CREATE TABLE acks (
     id TEXT PRIMARY KEY,
     group_key TEXT NOT NULL,
     receiver TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     ended_at INTEGER,
     body TEXT NOT NULL
   );
   CREATE INDEX acks_ended_at ON acks (ended_at) WHERE ended_at IS NOT NULL;
   CREATE TABLE escalations (
     group_key TEXT NOT NULL,
     receiver TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (group_key, receiver)
   );`,
];

export function sqliteAckStorage(db: DB): AckStorage {
  migrate(db, 'acks', MIGRATIONS);
  const upsert = db.prepare(
    `INSERT INTO acks (id, group_key, receiver, created_at, ended_at, body) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET ended_at = excluded.ended_at, body = excluded.body`,
  );
  const all = db.prepare('SELECT body FROM acks ORDER BY created_at');
  const trim = db.prepare('DELETE FROM acks WHERE ended_at < ?');
  return {
    async loadAll() {
      return (all.all() as { body: string }[]).map((r) => JSON.parse(r.body) as Ack);
    },
    async put(a) {
      upsert.run(a.id, a.groupKey, a.receiver, a.createdAt, a.endedAt ?? null, JSON.stringify(a));
    },
    async deleteEndedBefore(time) {
      return trim.run(time).changes;
    },
  };
}

export function sqliteEscalationStorage(db: DB): EscalationStorage {
  migrate(db, 'acks', MIGRATIONS);
  const upsert = db.prepare('INSERT INTO escalations (group_key, receiver, body) VALUES (?, ?, ?) ON CONFLICT(group_key, receiver) DO UPDATE SET body = excluded.body');
  const del = db.prepare('DELETE FROM escalations WHERE group_key = ? AND receiver = ?');
  const all = db.prepare('SELECT body FROM escalations');
  const one = db.prepare('SELECT body FROM escalations WHERE group_key = ? AND receiver = ?');
  return {
    async get(groupKey, receiver) {
      const r = one.get(groupKey, receiver) as { body: string } | undefined;
      return r ? (JSON.parse(r.body) as EscalationState) : undefined;
    },
    async loadAll() {
      return (all.all() as { body: string }[]).map((r) => JSON.parse(r.body) as EscalationState);
    },
    async put(s) {
      upsert.run(s.groupKey, s.receiver, JSON.stringify(s));
    },
    async delete(groupKey, receiver) {
      del.run(groupKey, receiver);
    },
  };
}
