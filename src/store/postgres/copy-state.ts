/**
 * @module store/postgres/copy-state
 * The PostgreSQL side of `tocsinctl storage copy`'s extra parts (src/store/copy-state.ts): history records read
 * oldest first and added without duplicates (one statement per batch: each record is stored unless the table
 * already holds as many events with the same columns as the batch has before it, counted at its millisecond
 * through the time index; the trigger of migration 6 then redoes the intervals of the alerts concerned), the
 * acks, escalations and schedules tables, and the silence audit trail.
 */
import type pg from 'pg';
import type { SilenceAuditEntry } from '../../silence/audit';
import { HISTORY_RECORD_COLUMNS, type HistoryRecord, type HistoryRecordRow, historyRecordFromRow, type StateParts } from '../copy-state';
import { pgAckStorage, pgEscalationStorage } from './acks';
import { pgScheduleStore } from './silence-schedules';

const ADD = `WITH src AS (
  SELECT t, k, f, g, r, s, a, l, d, n, row_number() OVER (PARTITION BY t, k, f, g, r, s, l, d ORDER BY n) AS rn
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    WITH ORDINALITY AS x(t, k, f, g, r, s, a, l, d, n)
)
INSERT INTO history (time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data, failed)
SELECT t, k, f, g, r, s, a, l, d, CASE WHEN k = 'notification' THEN strpos(d, '"outcome":"failure"') > 0 END
FROM src
WHERE rn > (SELECT count(*) FROM history h WHERE h.time = src.t AND h.kind = src.k AND h.fingerprint IS NOT DISTINCT FROM src.f
  AND h.group_key IS NOT DISTINCT FROM src.g AND h.receiver IS NOT DISTINCT FROM src.r AND h.silence_id IS NOT DISTINCT FROM src.s
  AND h.labels IS NOT DISTINCT FROM src.l AND h.data IS NOT DISTINCT FROM src.d)
ORDER BY n`;

export function pgStateParts(pool: pg.Pool): StateParts {
  return {
    history: {
      async read(after, limit) {
        const { rows } = await pool.query<HistoryRecordRow>(
          `SELECT ${HISTORY_RECORD_COLUMNS} FROM history WHERE (time, id) > ($1::bigint, $2::bigint) ORDER BY time, id LIMIT $3`,
          [after?.time ?? -1, after?.id ?? -1, limit],
        );
        return rows.map(historyRecordFromRow);
      },
      async add(records: readonly HistoryRecord[]) {
        if (records.length === 0) return 0;
        const cols = (f: (r: HistoryRecord) => string | number | null) => records.map(f);
        const r = await pool.query(ADD, [
          cols((r) => r.time),
          cols((r) => r.kind),
          cols((r) => r.fingerprint),
          cols((r) => r.groupKey),
          cols((r) => r.receiver),
          cols((r) => r.silenceId),
          cols((r) => r.alertname),
          cols((r) => r.labels),
          cols((r) => r.data),
        ]);
        return r.rowCount ?? 0;
      },
    },
    acks: pgAckStorage(pool),
    escalations: pgEscalationStorage(pool),
    schedules: pgScheduleStore(pool),
    audit: {
      async list(silenceId) {
        const { rows } = await pool.query<{ body: string }>('SELECT body FROM silence_audit WHERE silence_id = $1 ORDER BY id', [silenceId]);
        return rows.map((r) => JSON.parse(r.body) as SilenceAuditEntry);
      },
      async add(entries) {
        await pool.query('INSERT INTO silence_audit (silence_id, time, body) SELECT s, t, b FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS x(s, t, b, n) ORDER BY n', [
          entries.map((e) => e.silenceId),
          entries.map((e) => e.time),
          entries.map((e) => JSON.stringify(e)),
        ]);
      },
    },
  };
}
