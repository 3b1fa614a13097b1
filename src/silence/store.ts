/**
 * What Silences needs from persistence (implemented by src/store/silences.ts's SQLite SilenceStore; the
 * application wires it in, so this layer does not import upward).
 */
import type { MatchType } from '../matchers/types';

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

export interface SilencePersistence {
  /** every stored silence with its expiry (ms) and its stored size in bytes */
  loadAll(): { silence: StoredSilence; expiresAt: number; bytes: number }[];
  /** writes several silences atomically (e.g. expire old + create new), durably before returning */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[]): void;
  delete(ids: readonly string[]): void;
}
