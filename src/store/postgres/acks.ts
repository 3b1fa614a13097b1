/**
 * @module store/postgres/acks
 * Acks and escalation state on PostgreSQL (the tables of migration 3), behind the interfaces of src/ack/types.ts.
 * Replicas read the acks again periodically (Acks.refresh), so an ack made on one replica applies on all.
 */
import type pg from 'pg';
import type { Ack, AckStorage, EscalationState, EscalationStorage } from '../../ack/types';

export function pgAckStorage(pool: pg.Pool): AckStorage {
  return {
    async loadAll() {
      const r = await pool.query<{ body: string }>('SELECT body FROM acks ORDER BY created_at');
      return r.rows.map((x) => JSON.parse(x.body) as Ack);
    },
    async put(a) {
      await pool.query(
        `INSERT INTO acks (id, group_key, receiver, created_at, ended_at, body) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, body = excluded.body`,
        [a.id, a.groupKey, a.receiver, a.createdAt, a.endedAt ?? null, JSON.stringify(a)],
      );
    },
    async deleteEndedBefore(time) {
      return (await pool.query('DELETE FROM acks WHERE ended_at < $1', [time])).rowCount ?? 0;
    },
  };
}

export function pgEscalationStorage(pool: pg.Pool): EscalationStorage {
  return {
    async get(groupKey, receiver) {
      const r = await pool.query<{ body: string }>('SELECT body FROM escalations WHERE group_key = $1 AND receiver = $2', [groupKey, receiver]);
      return r.rows[0] ? (JSON.parse(r.rows[0].body) as EscalationState) : undefined;
    },
    async loadAll() {
      const r = await pool.query<{ body: string }>('SELECT body FROM escalations');
      return r.rows.map((x) => JSON.parse(x.body) as EscalationState);
    },
    async put(s) {
      await pool.query(
        'INSERT INTO escalations (group_key, receiver, body) VALUES ($1, $2, $3) ON CONFLICT (group_key, receiver) DO UPDATE SET body = excluded.body',
        [s.groupKey, s.receiver, JSON.stringify(s)],
      );
    },
    async delete(groupKey, receiver) {
      await pool.query('DELETE FROM escalations WHERE group_key = $1 AND receiver = $2', [groupKey, receiver]);
    },
  };
}
