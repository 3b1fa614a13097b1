/**
 * @module store/silence-schedules
 * SQLite storage of silence schedules (src/silence/schedule.ts): one row per schedule, JSON body. A deleted
 * schedule's row goes; the silences it generated stay in the silences table like any other.
 */
import type { ScheduleStore, SilenceSchedule } from '../silence/schedule';
import { type DB, migrate } from './db';

const MIGRATIONS = [
  `CREATE TABLE silence_schedules (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
];

export function sqliteScheduleStore(db: DB): ScheduleStore {
  migrate(db, 'silence_schedules', MIGRATIONS);
  const all = db.prepare('SELECT body FROM silence_schedules ORDER BY created_at, id');
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO silence_schedules (id, body, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body',
  );
  const del = db.prepare<[string]>('DELETE FROM silence_schedules WHERE id = ?');
  return {
    async loadAll() {
      return (all.all() as { body: string }[]).map((r) => JSON.parse(r.body) as SilenceSchedule);
    },
    async put(s) {
      upsert.run(s.id, JSON.stringify(s), s.createdAt);
    },
    async delete(id) {
      del.run(id);
    },
  };
}
