/**
 * @module store/copy-state-sqlite
 * The SQLite side of `tocsinctl storage copy`'s extra parts (src/store/copy-state.ts), over a storage directory:
 * the history events of `history.db` (or, for a store a release older, the `history` table still in
 * `tocsin.db`) read oldest first, and the acks, escalations, schedules and silence audit trail of `tocsin.db`.
 * The history is read as stored, not migrated (nothing of it is written); a row holding two events (a first-seen
 * alert's created and grouped, see src/store/history.ts) is read as the two.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SilenceAuditEntry } from '../silence/audit';
import { sqliteAckStorage, sqliteEscalationStorage } from './acks';
import { HISTORY_RECORD_COLUMNS, type HistoryRecord, type HistoryRecordRow, historyRecordFromRow, type StateParts } from './copy-state';
import { type DB, openDatabase } from './db';
import { isPairRow } from './history';
import { sqliteScheduleStore } from './silence-schedules';
import { SilenceStore } from './silences';

const hasHistory = (db: DB) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history'").get() !== undefined;

/** The parts over `main` (tocsin.db of `dir`); close() closes the history file it opened. */
export function sqliteStateParts(main: DB, dir: string): StateParts & { close(): void } {
  const own = dir !== ':memory:' && existsSync(join(dir, 'history.db')) ? openDatabase(dir, 'history.db') : undefined;
  const historyDb = own && hasHistory(own) ? own : hasHistory(main) ? main : undefined;
  const select = historyDb?.prepare(
    `SELECT ${HISTORY_RECORD_COLUMNS} FROM history
     WHERE time > @time OR (time = @time AND id >= @id) ORDER BY time, id LIMIT @limit`,
  );
  const silences = new SilenceStore(main);
  return {
    ...(select
      ? {
          history: {
            async read(after, limit) {
              const out: (HistoryRecord & { id: number })[] = [];
              // the cursor's own row again (a pair row's grouped event may follow the cursor), so one row more
              for (const r of select.all({ time: after?.time ?? -1, id: after?.id ?? -1, limit: limit + 1 }) as HistoryRecordRow[]) {
                const rec = historyRecordFromRow(r);
                const events = isPairRow(r) ? [{ ...rec, id: rec.id - 1, groupKey: null, receiver: null }, { ...rec, kind: 'alert_grouped', data: null }] : [rec];
                for (const e of events) if (!after || e.time > after.time || (e.time === after.time && e.id > after.id)) out.push(e);
              }
              return out.slice(0, limit);
            },
          },
        }
      : {}),
    acks: sqliteAckStorage(main),
    escalations: sqliteEscalationStorage(main),
    schedules: sqliteScheduleStore(main),
    audit: {
      async list(silenceId) {
        return silences.audit(silenceId);
      },
      async add(entries: readonly SilenceAuditEntry[]) {
        silences.put([], entries);
      },
    },
    close() {
      own?.close();
    },
  };
}
