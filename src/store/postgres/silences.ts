/**
 * @module store/postgres/silences
 * Silences on PostgreSQL: one row per silence (JSON body, as in SQLite). Every write also sends a
 * notification on the channel SILENCES_CHANNEL in the SAME statement, so it is delivered exactly when the
 * write commits (PostgreSQL queues NOTIFY until commit, and drops it on rollback). Other replicas listen
 * (src/store/postgres/listener.ts) and re-read the named silences: a silence created, updated or expired on
 * one replica takes effect on all within the notification latency (milliseconds), well under the 1 s the
 * issue asks for. The payload names the writing replica, so a replica can skip its own changes.
 */
import type { SilenceAuditEntry } from '../../silence/audit';
import { ReplicaStore } from './replica-store';
import type { SilenceStorage, StoredSilence, StoredSilenceRow } from '../storage';

export const SILENCES_CHANNEL = 'tocsin_silences';

/** What a replica learns from a notification: these silence ids changed (or 'all': re-read everything). */
export interface SilenceChange {
  /** the replica that wrote */
  from: string;
  ids: readonly string[] | 'all';
}

/** NOTIFY payloads must stay under 8000 bytes; larger change sets ask listeners to re-read everything. */
const MAX_PAYLOAD = 7000;

export function encodeSilenceChange(from: string, ids: readonly string[]): string {
  const payload = JSON.stringify({ from, ids });
  return Buffer.byteLength(payload) <= MAX_PAYLOAD ? payload : JSON.stringify({ from, ids: 'all' });
}

/** Parses a payload; anything unreadable means "re-read everything" (never drop a change). */
export function decodeSilenceChange(payload: string | undefined): SilenceChange {
  try {
    const v = JSON.parse(payload ?? '') as { from?: unknown; ids?: unknown };
    const from = typeof v.from === 'string' ? v.from : '';
    if (Array.isArray(v.ids) && v.ids.every((x) => typeof x === 'string')) return { from, ids: v.ids as string[] };
    return { from, ids: 'all' };
  } catch {
    return { from: '', ids: 'all' };
  }
}

interface Row {
  body: string;
  expires_at: number;
}

function toRow(r: Row): StoredSilenceRow {
  return { silence: JSON.parse(r.body) as StoredSilence, expiresAt: r.expires_at, bytes: Buffer.byteLength(r.body) };
}

export class PgSilenceStore extends ReplicaStore implements SilenceStorage {

  async loadAll(): Promise<StoredSilenceRow[]> {
    const { rows } = await this.pool.query<Row>('SELECT body, expires_at FROM silences');
    return rows.map(toRow);
  }

  async get(ids: readonly string[]): Promise<StoredSilenceRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<Row>('SELECT body, expires_at FROM silences WHERE id = ANY($1::text[])', [ids]);
    return rows.map(toRow);
  }

  /** The silences and their audit entries (src/silence/audit.ts) in one statement, so one transaction. */
  async put(items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[] = []): Promise<void> {
    if (items.length === 0) return;
    // one row per id (the last item wins): ON CONFLICT cannot update a row twice in one statement
    const byId = new Map(items.map((it) => [it.silence.id, it]));
    const ids = [...byId.keys()];
    const rows = [...byId.values()];
    await this.pool.query(
      `WITH w AS (
         INSERT INTO silences (id, body, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ORDER BY 1
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at
         RETURNING id),
       a AS (
         INSERT INTO silence_audit (silence_id, time, body)
         SELECT s, t, b FROM unnest($6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY AS x(s, t, b, n) ORDER BY n
         RETURNING 1)
       SELECT pg_notify($4, $5) FROM (SELECT count(*) FROM w) AS c, (SELECT count(*) FROM a) AS d`,
      [
        ids,
        rows.map((it) => JSON.stringify(it.silence)),
        rows.map((it) => it.expiresAt),
        SILENCES_CHANNEL,
        encodeSilenceChange(this.replica, ids),
        audit.map((e) => e.silenceId),
        audit.map((e) => e.time),
        audit.map((e) => JSON.stringify(e)),
      ],
    );
  }

  /** A silence's audit trail, oldest first. */
  async audit(silenceId: string): Promise<SilenceAuditEntry[]> {
    const { rows } = await this.pool.query<{ body: string }>('SELECT body FROM silence_audit WHERE silence_id = $1 ORDER BY id', [silenceId]);
    return rows.map((r) => JSON.parse(r.body) as SilenceAuditEntry);
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `WITH d AS (DELETE FROM silences WHERE id = ANY($1::text[]) RETURNING id),
       a AS (DELETE FROM silence_audit WHERE silence_id = ANY($1::text[]) RETURNING 1)
       SELECT pg_notify($2, $3) FROM (SELECT count(*) AS n FROM d) AS c, (SELECT count(*) FROM a) AS e WHERE c.n > 0`,
      [ids, SILENCES_CHANNEL, encodeSilenceChange(this.replica, ids)],
    );
  }
}
