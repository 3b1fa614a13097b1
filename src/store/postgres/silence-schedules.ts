/**
 * @module store/postgres/silence-schedules
 * Silence schedules on PostgreSQL, shared by every replica: one row per schedule (JSON body), as in SQLite.
 * Each replica's scheduler re-reads them on every pass, so a schedule added or deleted on one replica is run
 * (or stopped) by all within a pass; the occurrence silences they create have derived ids, so two replicas
 * creating the same occurrence write one silence.
 */
import type pg from 'pg';
import type { ScheduleStore, SilenceSchedule } from '../../silence/schedule';

export function pgScheduleStore(pool: pg.Pool): ScheduleStore {
  return {
    async loadAll() {
      const { rows } = await pool.query<{ body: string }>('SELECT body FROM silence_schedules ORDER BY created_at, id');
      return rows.map((r) => JSON.parse(r.body) as SilenceSchedule);
    },
    async put(s) {
      await pool.query(
        'INSERT INTO silence_schedules (id, body, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET body = excluded.body',
        [s.id, JSON.stringify(s), s.createdAt],
      );
    },
    async delete(id) {
      await pool.query('DELETE FROM silence_schedules WHERE id = $1', [id]);
    },
  };
}
