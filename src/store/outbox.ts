/**
 * @module store/outbox
 * SQLite storage for the persistent outbox (src/pipeline/outbox.ts): one row per stored notification in the
 * `outbox` table. Ids are AUTOINCREMENT, so a deleted entry's id is never given to another one (a replay by id
 * can never hit a different notification). Every call is one statement or transaction, durable when it returns
 * (WAL, synchronous=NORMAL: safe against kill -9).
 */
import type { OutboxEntry, OutboxNotification, OutboxPatch, OutboxState, OutboxStorage } from '../pipeline/outbox-storage';
import type { StoredRequest } from '../pipeline/payload-capture';
import { type DB, migrate } from './db';

const MIGRATIONS = [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     state TEXT NOT NULL,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     idx INTEGER NOT NULL,
     group_key TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     deadline_at INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL,
     last_error TEXT,
     updated_at INTEGER NOT NULL,
     notification TEXT NOT NULL,
     payload TEXT NOT NULL
   );
   CREATE INDEX outbox_state ON outbox (state, id);
   CREATE INDEX outbox_receiver ON outbox (receiver, state, id);`,
];

interface Row {
  id: number;
  state: string;
  created_at: number;
  deadline_at: number;
  next_attempt_at: number;
  attempts: number;
  last_error: string | null;
  updated_at: number;
  notification: string;
  payload: string;
}

const COLUMNS = 'id, state, created_at, deadline_at, next_attempt_at, attempts, last_error, updated_at, notification, payload';

function fromRow(r: Row): OutboxEntry {
  return {
    id: r.id,
    state: r.state as OutboxState,
    notification: JSON.parse(r.notification) as OutboxNotification,
    payload: JSON.parse(r.payload) as StoredRequest[],
    createdAt: r.created_at,
    deadlineAt: r.deadline_at,
    nextAttemptAt: r.next_attempt_at,
    attempts: r.attempts,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    updatedAt: r.updated_at,
  };
}

const PATCH_COLUMNS: Record<keyof OutboxPatch, string> = {
  state: 'state',
  payload: 'payload',
  nextAttemptAt: 'next_attempt_at',
  attempts: 'attempts',
  lastError: 'last_error',
  updatedAt: 'updated_at',
};

export function sqliteOutboxStorage(db: DB): OutboxStorage {
  migrate(db, 'outbox', MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO outbox (state, receiver, integration, idx, group_key, created_at, deadline_at, next_attempt_at, attempts, last_error, updated_at, notification, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`);
  const live = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE state != 'dead' ORDER BY id`);
  const del = db.prepare('DELETE FROM outbox WHERE id = ?');
  const dead = db.prepare(`SELECT receiver, integration, COUNT(*) AS count FROM outbox WHERE state = 'dead' GROUP BY receiver, integration`);
  return {
    async add(e) {
      const n = e.notification;
      const r = insert.run(e.state, n.receiver, n.integration, n.index, n.groupKey, e.createdAt, e.deadlineAt, e.nextAttemptAt, e.attempts, e.lastError ?? null, e.updatedAt, JSON.stringify(n), JSON.stringify(e.payload));
      return { ...e, id: Number(r.lastInsertRowid) };
    },
    async get(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? fromRow(r) : undefined;
    },
    async loadLive() {
      return (live.all() as Row[]).map(fromRow);
    },
    async update(id, patch, from) {
      const sets: string[] = [];
      const args: (string | number | null)[] = [];
      for (const [k, v] of Object.entries(patch) as [keyof OutboxPatch, unknown][]) {
        if (v === undefined) continue;
        sets.push(`${PATCH_COLUMNS[k]} = ?`);
        args.push(k === 'payload' ? JSON.stringify(v) : (v as string | number));
      }
      if (sets.length === 0) return byId.get(id) !== undefined;
      const where = from !== undefined ? 'id = ? AND state = ?' : 'id = ?';
      args.push(id);
      if (from !== undefined) args.push(from);
      return db.prepare(`UPDATE outbox SET ${sets.join(', ')} WHERE ${where}`).run(...args).changes > 0;
    },
    async remove(id) {
      return del.run(id).changes > 0;
    },
    async list(q) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.state === 'dead') where.push("state = 'dead'");
      else if (q.state === 'pending') where.push("state != 'dead'");
      if (q.receiver !== undefined) {
        where.push('receiver = ?');
        args.push(q.receiver);
      }
      if (q.before !== undefined) {
        where.push('id < ?');
        args.push(q.before);
      }
      const limit = Math.max(1, q.limit);
      const rows = db.prepare(`SELECT ${COLUMNS} FROM outbox${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...args, limit + 1) as Row[];
      const entries = rows.slice(0, limit).map(fromRow);
      const last = entries[entries.length - 1];
      return rows.length > limit && last ? { entries, next: last.id } : { entries };
    },
    async countDead() {
      return dead.all() as { receiver: string; integration: string; count: number }[];
    },
  };
}
