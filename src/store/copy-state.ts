/**
 * @module store/copy-state
 * What `tocsinctl storage copy` copies beyond the Storage interface (src/store/copy-storage.ts): the history
 * events, acks and escalations, silence schedules and the silence audit trail. Each part is optional on either
 * side; a part is copied when the source can read it and the target can write it. Safe to run again:
 * - history: events already in the target are not stored twice (an event is the same when every column is:
 *   time, kind, fingerprint, group key, receiver, silence id, labels, data; N identical events in the source
 *   stand for N in the target); the target keeps its own. Read oldest first, in batches that never split a
 *   millisecond (so identical events of one millisecond are compared together).
 * - acks: an ack the target lacks is copied; one it has is replaced only when the source's has ended and the
 *   target's has not (the later state). Escalations likewise (stopped beats running). Schedules: copied when
 *   the target lacks them.
 * - audit: the entries of each silence the target holds that the target lacks (same JSON), in source order.
 */
import type { AckStorage, EscalationStorage } from '../ack/types';
import { groupReceiverKey } from '../ack/types';
import type { HistoryCursor } from '../history/storage';
import type { SilenceAuditEntry } from '../silence/audit';
import type { ScheduleStore } from '../silence/schedule';
import type { HistoryRow } from './history-rows';

/** A stored history event as its columns (labels and data as the stored JSON text, compared as such). */
export interface HistoryRecord {
  time: number;
  kind: string;
  fingerprint: string | null;
  groupKey: string | null;
  receiver: string | null;
  silenceId: string | null;
  alertname: string | null;
  labels: string | null;
  data: string | null;
}

/** A history row as both tables store it, with its alertname column. */
export interface HistoryRecordRow extends HistoryRow {
  alertname: string | null;
}

/** The columns both tables' readers select, oldest first after a (time, id) cursor. */
export const HISTORY_RECORD_COLUMNS = 'id, time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data';

export function historyRecordFromRow(r: HistoryRecordRow): HistoryRecord & { id: number } {
  return {
    id: Number(r.id),
    time: Number(r.time),
    kind: r.kind,
    fingerprint: r.fingerprint,
    groupKey: r.group_key,
    receiver: r.receiver,
    silenceId: r.silence_id,
    alertname: r.alertname,
    labels: r.labels,
    data: r.data,
  };
}

export interface HistoryRecords {
  /** oldest first, (time, id) order: at most `limit` records after `after` */
  read?(after: HistoryCursor | undefined, limit: number): Promise<(HistoryRecord & { id: number })[]>;
  /** stores, in order, those of `records` the store does not hold yet; resolves to how many it stored */
  add?(records: readonly HistoryRecord[]): Promise<number>;
}

export interface SilenceAuditTrail {
  /** a silence's entries, oldest first */
  list(silenceId: string): Promise<SilenceAuditEntry[]>;
  add(entries: readonly SilenceAuditEntry[]): Promise<void>;
}

/** The parts of one side (a SQLite directory, a PostgreSQL database). */
export interface StateParts {
  history?: HistoryRecords;
  acks?: AckStorage;
  escalations?: EscalationStorage;
  schedules?: ScheduleStore;
  audit?: SilenceAuditTrail;
}

export interface CopyStateResult {
  history: number;
  acks: number;
  escalations: number;
  schedules: number;
  audit: number;
}

/** The next batch of about `size` records after `after`, extended or cut so that it ends with a whole millisecond. */
async function nextBatch(read: NonNullable<HistoryRecords['read']>, after: HistoryCursor | undefined, size: number) {
  const rows = await read(after, size);
  if (rows.length < size) return rows;
  const last = rows[rows.length - 1]!.time;
  const whole = rows.filter((r) => r.time < last);
  if (whole.length > 0) return whole;
  // one millisecond holds the whole batch: read all of it
  const all = [...rows];
  for (;;) {
    const more = (await read({ time: all[all.length - 1]!.time, id: all[all.length - 1]!.id }, size)).filter((r) => r.time === last);
    all.push(...more);
    if (more.length < size) return all;
  }
}

export async function copyHistory(from: HistoryRecords, to: HistoryRecords, batchSize = 1000): Promise<number> {
  if (!from.read || !to.add) return 0;
  let copied = 0;
  let after: HistoryCursor | undefined;
  for (;;) {
    const batch = await nextBatch(from.read.bind(from), after, batchSize);
    if (batch.length === 0) return copied;
    copied += await to.add(batch.map(({ id: _id, ...r }) => r));
    const last = batch[batch.length - 1]!;
    after = { time: last.time, id: last.id };
  }
}

/**
 * Copies the parts both sides have. `silenceIds`: the silences the target holds after the silences were copied
 * (their audit trails are copied).
 */
export async function copyState(from: StateParts, to: StateParts, silenceIds: readonly string[]): Promise<CopyStateResult> {
  const result: CopyStateResult = { history: 0, acks: 0, escalations: 0, schedules: 0, audit: 0 };
  if (from.history && to.history) result.history = await copyHistory(from.history, to.history);
  if (from.acks && to.acks) {
    const there = new Map((await to.acks.loadAll()).map((a) => [a.id, a]));
    for (const a of await from.acks.loadAll()) {
      const t = there.get(a.id);
      if (t && !(a.endedAt !== undefined && t.endedAt === undefined)) continue;
      await to.acks.put(a);
      result.acks++;
    }
  }
  if (from.escalations && to.escalations) {
    const there = new Map((await to.escalations.loadAll()).map((e) => [groupReceiverKey(e.groupKey, e.receiver), e]));
    for (const e of await from.escalations.loadAll()) {
      const t = there.get(groupReceiverKey(e.groupKey, e.receiver));
      if (t && !(e.stoppedAt !== undefined && t.stoppedAt === undefined)) continue;
      await to.escalations.put(e);
      result.escalations++;
    }
  }
  if (from.schedules && to.schedules) {
    const there = new Set((await to.schedules.loadAll()).map((s) => s.id));
    for (const s of await from.schedules.loadAll()) {
      if (there.has(s.id)) continue;
      await to.schedules.put(s);
      result.schedules++;
    }
  }
  if (from.audit && to.audit) {
    for (const id of silenceIds) {
      // a multiset of the target's entries: each one found stands for one source entry
      const there = new Map<string, number>();
      for (const e of await to.audit.list(id)) {
        const k = JSON.stringify(e);
        there.set(k, (there.get(k) ?? 0) + 1);
      }
      const missing: SilenceAuditEntry[] = [];
      for (const e of await from.audit.list(id)) {
        const k = JSON.stringify(e);
        const n = there.get(k) ?? 0;
        if (n > 0) there.set(k, n - 1);
        else missing.push(e);
      }
      if (missing.length > 0) await to.audit.add(missing);
      result.audit += missing.length;
    }
  }
  return result;
}
