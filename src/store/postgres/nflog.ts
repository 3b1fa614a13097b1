/**
 * @module store/postgres/nflog
 * The notification log on PostgreSQL: one row per entry key (as SQLite's), plus a version that every write
 * of the key bumps. upsertMany() writes a whole batch in one round trip (INSERT ... SELECT FROM unnest ...
 * ON CONFLICT) and never replaces a stored entry by an older one (upstream's nflog merge keeps the newest
 * timestamp), so a replica replaying or copying entries cannot move the log backwards.
 */
import { PoolStore } from './replica-store';
import type { NflogEntry, NflogStorage, VersionedNflogEntry } from '../storage';
import type { NflogIntent } from '../../nflog/types';
import { type NflogRow, nflogEntryFromRow } from '../rows';

interface Row extends NflogRow {
  version: number;
}

export const NFLOG_COLUMNS = 'key, group_key, receiver, integration, idx, timestamp, firing, resolved, receiver_data, expires_at';

/** The parameters $1..$10 of an unnest over NFLOG_COLUMNS (see UNNEST_NFLOG). */
export function nflogArrays(entries: readonly (readonly [string, NflogEntry])[]): unknown[] {
  return [
    entries.map(([k]) => k),
    entries.map(([, e]) => e.groupKey),
    entries.map(([, e]) => e.receiver.groupName),
    entries.map(([, e]) => e.receiver.integration),
    entries.map(([, e]) => e.receiver.idx),
    entries.map(([, e]) => e.timestamp),
    entries.map(([, e]) => JSON.stringify(e.firingAlerts)),
    entries.map(([, e]) => JSON.stringify(e.resolvedAlerts)),
    entries.map(([, e]) => (e.receiverData ? JSON.stringify(e.receiverData) : null)),
    entries.map(([, e]) => e.expiresAt),
  ];
}

export const UNNEST_NFLOG = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::text[],
  $8::text[], $9::text[], $10::bigint[]) AS n(${NFLOG_COLUMNS})`;

/** The ON CONFLICT clause shared by every nflog write: replace the entry, bump its version. */
export const NFLOG_UPSERT = `ON CONFLICT (key) DO UPDATE SET timestamp = excluded.timestamp, firing = excluded.firing,
  resolved = excluded.resolved, receiver_data = excluded.receiver_data, expires_at = excluded.expires_at,
  version = nflog.version + 1`;

export function toNflogEntry(r: Row): VersionedNflogEntry {
  return { ...nflogEntryFromRow(r), version: r.version };
}

export class PgNflogStore extends PoolStore implements NflogStorage {
  async loadAll(): Promise<VersionedNflogEntry[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${NFLOG_COLUMNS}, version FROM nflog`);
    return rows.map(toNflogEntry);
  }

  /** The stored entries of these aggregation groups (a replica that takes a group over reads its history). */
  async byGroups(groupKeys: readonly string[]): Promise<VersionedNflogEntry[]> {
    if (groupKeys.length === 0) return [];
    const { rows } = await this.pool.query<Row>(`SELECT ${NFLOG_COLUMNS}, version FROM nflog WHERE group_key = ANY($1::text[])`, [groupKeys]);
    return rows.map(toNflogEntry);
  }

  async upsertMany(entries: Iterable<readonly [string, NflogEntry]>): Promise<void> {
    // one row per key (the last wins), in key order (concurrent batches lock rows in the same order)
    const byKey = new Map<string, NflogEntry>();
    for (const [k, e] of entries) byKey.set(k, e);
    if (byKey.size === 0) return;
    const sorted = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await this.pool.query(
      `INSERT INTO nflog (${NFLOG_COLUMNS}) SELECT * FROM ${UNNEST_NFLOG} ${NFLOG_UPSERT} WHERE nflog.timestamp <= excluded.timestamp`,
      nflogArrays(sorted),
    );
  }

  async deleteExpired(now: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM nflog WHERE expires_at <= $1', [now]);
    await this.pool.query('DELETE FROM nflog_intent WHERE expires_at <= $1', [now]);
    return r.rowCount ?? 0;
  }

  /**
   * Stores an intent (resolved_after_mute): its alerts join those stored for the key (the union: an intent
   * written by an earlier attempt, or by the replica that owned the group before, keeps its alerts), the later
   * expiry wins.
   */
  async putIntent(key: string, i: NflogIntent): Promise<void> {
    await this.pool.query(
      `INSERT INTO nflog_intent AS t (key, group_key, receiver, integration, idx, firing, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7)
       ON CONFLICT (key) DO UPDATE SET
         firing = t.firing || ARRAY(SELECT f FROM unnest(excluded.firing) AS f WHERE f <> ALL (t.firing)),
         expires_at = greatest(t.expires_at, excluded.expires_at)`,
      [key, i.groupKey, i.receiver.groupName, i.receiver.integration, i.receiver.idx, [...i.firing], i.expiresAt],
    );
  }

  /**
   * After an entry for the key is stored: the stored intent keeps only the alerts that entry does not list
   * (`listed`: its firing and resolved alerts); none left, the row goes.
   */
  async settleIntent(key: string, listed: readonly string[]): Promise<void> {
    await this.pool.query(
      // one change per row in one statement: the row goes when the entry lists all its alerts, else it is trimmed
      `WITH gone AS (DELETE FROM nflog_intent WHERE key = $1 AND firing <@ $2::text[] RETURNING key)
       UPDATE nflog_intent SET firing = ARRAY(SELECT f FROM unnest(firing) AS f WHERE f <> ALL ($2::text[]))
       WHERE key = $1 AND firing && $2::text[] AND NOT EXISTS (SELECT 1 FROM gone)`,
      [key, [...listed]],
    );
  }

  /** The stored intents of these aggregation groups (all of them without `groupKeys`), unexpired. */
  async intents(now: number, groupKeys?: readonly string[]): Promise<NflogIntent[]> {
    if (groupKeys && groupKeys.length === 0) return [];
    const { rows } = await this.pool.query<{ group_key: string; receiver: string; integration: string; idx: number; firing: string[]; expires_at: string | number }>(
      `SELECT group_key, receiver, integration, idx, firing, expires_at FROM nflog_intent WHERE expires_at > $1${groupKeys ? ' AND group_key = ANY($2::text[])' : ''}`,
      groupKeys ? [now, groupKeys] : [now],
    );
    return rows.map((r) => ({
      groupKey: r.group_key,
      receiver: { groupName: r.receiver, integration: r.integration, idx: Number(r.idx) },
      firing: r.firing,
      expiresAt: Number(r.expires_at),
    }));
  }

  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT COALESCE(SUM(octet_length(key) + octet_length(firing) + octet_length(resolved) + 64), 0)::bigint AS n FROM nflog',
    );
    return rows[0]?.n ?? 0;
  }
}
