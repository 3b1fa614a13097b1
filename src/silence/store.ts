/**
 * What Silences needs from persistence (implemented by src/store/silences.ts's SQLite SilenceStore; the
 * application wires it in, so this layer does not import upward).
 */
import type { MatchType } from '../matchers/types';
import type { SilenceAuditEntry } from './audit';

/** The stored (plain data) form of a silence. */
export interface StoredSilence {
  id: string;
  matcherSets: { type: MatchType; name: string; value: string }[][];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
  annotations: Record<string, string>;
}

/** The stored form of a silence (a copy: no frozen objects, no compiled matchers). */
export function toStoredSilence(
  s: Readonly<Omit<StoredSilence, 'matcherSets'>> & {
    readonly matcherSets: readonly (readonly { readonly type: MatchType; readonly name: string; readonly value: string }[])[];
  },
): StoredSilence {
  return {
    id: s.id,
    matcherSets: s.matcherSets.map((set) => set.map((m) => ({ type: m.type, name: m.name, value: m.value }))),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    updatedAt: s.updatedAt,
    createdBy: s.createdBy,
    comment: s.comment,
    annotations: { ...s.annotations },
  };
}

export interface SilencePersistence {
  /** every stored silence with its expiry (ms) and its stored size in bytes */
  loadAll(): { silence: StoredSilence; expiresAt: number; bytes: number }[];
  /**
   * writes several silences atomically (e.g. expire old + create new), with the audit entries of the change in
   * the same transaction (a store that keeps no audit trail ignores them): durably before returning, or, for a
   * store that commits off the event loop (SQLite's writer thread), returns the commit's promise (Silences
   * changes memory at once and undoes the change if the commit fails)
   */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[], audit?: readonly SilenceAuditEntry[]): void | Promise<void>;
  /** deletes silences (garbage collection) and their audit trails */
  delete(ids: readonly string[]): void;
  /** a silence's audit trail, oldest first (absent: the store keeps none) */
  audit?(silenceId: string): SilenceAuditEntry[] | Promise<SilenceAuditEntry[]>;
  /**
   * A store whose put() only starts its write (shared PostgreSQL): the write the last put() started; a group
   * commit (Silences.setDurably) resolves once it has, and rejects with its error.
   */
  takeWrite?(): Promise<void> | undefined;
  /** resolves once every write started so far has settled (a store that commits off the event loop) */
  settled?(): Promise<void>;
}
