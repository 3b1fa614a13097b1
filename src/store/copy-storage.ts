/**
 * @module store/copy-storage
 * Copies the state of one Storage backend into another (issue 13: a single SQLite instance grows into a
 * PostgreSQL cluster without losing silences or notification history). Safe to run again and against a
 * target that already has state: alerts go through the merge rule, a silence already stored with a newer
 * updatedAt is kept, an nflog entry with a newer timestamp is kept. Expired silences and nflog entries are
 * not copied. `tocsinctl storage copy` runs it (src/cli/commands/storage-copy.ts).
 */
import { entryKey } from '../nflog/nflog';
import type { NflogEntry, Storage } from './storage';

export interface CopyResult {
  alerts: number;
  silences: number;
  nflog: number;
}

function* batches<T>(xs: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}

export async function copyStorage(from: Storage, to: Storage, now: number, batchSize = 1000): Promise<CopyResult> {
  const result: CopyResult = { alerts: 0, silences: 0, nflog: 0 };
  for (const b of batches(await from.alerts.loadAll(), batchSize)) {
    await to.alerts.merge(b, now);
    result.alerts += b.length;
  }
  const silences = (await from.silences.loadAll()).filter((s) => s.expiresAt > now);
  for (const b of batches(silences, batchSize)) {
    const there = new Map((await to.silences.get(b.map((s) => s.silence.id))).map((s) => [s.silence.id, s.silence.updatedAt]));
    const newer = b.filter((s) => (there.get(s.silence.id) ?? -Infinity) < s.silence.updatedAt);
    await to.silences.put(newer.map((s) => ({ silence: s.silence, expiresAt: s.expiresAt })));
    result.silences += newer.length;
  }
  const entries = (await from.nflog.loadAll()).filter((e) => e.expiresAt > now);
  for (const b of batches(entries, batchSize)) {
    await to.nflog.upsertMany(b.map((e): [string, NflogEntry] => [entryKey(e.groupKey, e.receiver), e]));
    result.nflog += b.length;
  }
  return result;
}
