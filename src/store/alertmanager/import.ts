/**
 * @module store/alertmanager/import
 * Imports an Alertmanager storage directory (its `silences` and `nflog` snapshot files) into Tocsin's SQLite
 * store, for `tocsinctl import alertmanager-storage`. Silences keep their id, matchers, times, author, comment
 * and annotations, and Alertmanager's expiry (end + its retention), so expired ones within retention come along.
 * Notification-log entries keep their group key, receiver and time and Alertmanager's alert hashes (marked as
 * such; the dedup stage compares by that hash), so Tocsin does not re-send what Alertmanager sent. Everything is
 * decoded and checked first, then written in ONE transaction: a bad file stores nothing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createMatcher } from '../../matchers/matcher';
import { importedAlertId } from '../../nflog/alert-hash';
import { entryKey } from '../../nflog/nflog';
import type { NflogEntry } from '../../nflog/types';
import { toStoredSilence } from '../../silence/store';
import { silenceState } from '../../silence/types';
import { AmError } from '../../types/errors';
import { type DB, openDatabase } from '../db';
import { sqliteNflogStore } from '../nflog';
import { SilenceStore } from '../silences';
import { type AmNflogEntry, type AmSilence, decodeNflog, decodeSilences } from './snapshot';
import { WireError } from './protobuf';

/** The directory cannot be imported (not Alertmanager's, unreadable, or holding something Tocsin cannot represent). */
export class ImportError extends AmError {
  constructor(message: string) {
    super('AM_ERR_IMPORT', message);
  }
}

export interface ImportReport {
  from: string;
  into: string;
  silences: {
    imported: number;
    active: number;
    pending: number;
    expired: number;
    pastRetention: number;
    replaced: number;
    /** into PostgreSQL: not written because the store holds a newer version (a later updatedAt) */
    kept?: number;
    file: boolean;
  };
  nflog: {
    imported: number;
    pastRetention: number;
    replaced: number;
    /** into PostgreSQL: not written because the store holds a newer entry (a later timestamp) */
    kept?: number;
    file: boolean;
  };
}

export const SILENCES_FILE = 'silences';
export const NFLOG_FILE = 'nflog';

function readSnapshot<T>(dir: string, name: string, decode: (b: Uint8Array) => T[], what: string): T[] | undefined {
  const file = join(dir, name);
  if (!existsSync(file)) return undefined;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new ImportError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return decode(new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
  } catch (e) {
    if (e instanceof WireError) {
      throw new ImportError(`${file} is not an Alertmanager ${what} snapshot (${e.message}); nothing was imported`);
    }
    throw e;
  }
}

/** Decodes and checks the directory; throws ImportError when it is not an Alertmanager storage directory. */
export function readAlertmanagerStorage(dir: string): { silences: AmSilence[] | undefined; nflog: AmNflogEntry[] | undefined } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw new ImportError(`cannot read ${dir}: ${(e as Error).message}`);
  }
  if (!isDir) throw new ImportError(`${dir} is not a directory; give Alertmanager's --storage.path directory`);
  const silences = readSnapshot(dir, SILENCES_FILE, decodeSilences, 'silences');
  const nflog = readSnapshot(dir, NFLOG_FILE, decodeNflog, 'notification log');
  if (!silences && !nflog) {
    const tocsin = existsSync(join(dir, 'tocsin.db')) ? ' (it holds tocsin.db: it is a Tocsin storage directory)' : '';
    throw new ImportError(
      `${dir} is not an Alertmanager storage directory${tocsin}: it has neither a '${SILENCES_FILE}' nor an '${NFLOG_FILE}' snapshot file. ` +
        'Give the directory of Alertmanager\'s --storage.path (default "data/"), after stopping Alertmanager so it writes its snapshots.',
    );
  }
  return { silences, nflog };
}

function checkSilence(s: AmSilence): void {
  if (s.receiverMatcherSets > 0) {
    throw new ImportError(`silence ${s.id} has receiver matchers (Alertmanager 0.32+), which Tocsin does not support yet; nothing was imported`);
  }
  for (const set of s.matcherSets) {
    for (const m of set) {
      try {
        createMatcher(m.type, m.name, m.value);
      } catch (e) {
        throw new ImportError(`silence ${s.id}: matcher ${m.name}${m.type}${JSON.stringify(m.value)}: ${(e as Error).message}; nothing was imported`);
      }
    }
  }
}

function toEntry(e: AmNflogEntry): NflogEntry {
  return {
    groupKey: e.groupKey,
    receiver: { ...e.receiver },
    timestamp: e.timestamp,
    firingAlerts: e.firingAlerts.map(importedAlertId),
    resolvedAlerts: e.resolvedAlerts.map(importedAlertId),
    ...(Object.keys(e.receiverData).length > 0 ? { receiverData: { ...e.receiverData } } : {}),
    expiresAt: e.expiresAt,
  };
}

/**
 * Takes the file for this connection alone until it closes (SQLite's exclusive locking mode). A server running on
 * the same file holds it open, so this fails at once: the import refuses to write under a running Tocsin (which
 * would not see the rows), and a server cannot start during the import.
 */
function lockExclusively(db: DB, file: string): void {
  db.pragma('busy_timeout = 100');
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new ImportError(`${file} is in use: stop the Tocsin server that runs on it before importing (a running server would not see the imported state)`);
    }
    throw e;
  }
}

/**
 * Imports `amDir` into the SQLite store in `tocsinDir` (created if needed). Records Alertmanager would already
 * have garbage-collected (expires_at <= now) are left out and counted. Run it while Tocsin is stopped: a running
 * server does not see rows written under it.
 */
export function importAlertmanagerStorage(amDir: string, tocsinDir: string, now = Date.now()): ImportReport {
  return importAlertmanagerState(readAlertmanagerStorage(amDir), amDir, tocsinDir, now);
}

/** Writes decoded Alertmanager state (from its files, or silences from its API) into Tocsin's store, in one transaction. */
export function importAlertmanagerState(
  state: { silences: AmSilence[] | undefined; nflog: AmNflogEntry[] | undefined },
  from: string,
  tocsinDir: string,
  now: number,
): ImportReport {
  const { silences, nflog } = state;
  for (const s of silences ?? []) checkSilence(s);
  const report: ImportReport = {
    from,
    into: join(tocsinDir, 'tocsin.db'),
    silences: { imported: 0, active: 0, pending: 0, expired: 0, pastRetention: 0, replaced: 0, file: silences !== undefined },
    nflog: { imported: 0, pastRetention: 0, replaced: 0, file: nflog !== undefined },
  };
  const keepSilences = (silences ?? []).filter((s) => s.expiresAt > now);
  report.silences.pastRetention = (silences?.length ?? 0) - keepSilences.length;
  const keepEntries = (nflog ?? []).filter((e) => e.expiresAt > now);
  report.nflog.pastRetention = (nflog?.length ?? 0) - keepEntries.length;

  const db = openDatabase(tocsinDir);
  try {
    lockExclusively(db, report.into);
    const silenceStore = new SilenceStore(db);
    const nflogStore = sqliteNflogStore(db);
    const existingSilences = new Set(silenceStore.loadAll().map((r) => r.silence.id));
    const existingEntries = new Set(nflogStore.loadAll().map((e) => entryKey(e.groupKey, e.receiver)));
    const entries = keepEntries.map((e) => [entryKey(e.groupKey, e.receiver), toEntry(e)] as const);
    db.transaction(() => {
      silenceStore.put(keepSilences.map((s) => ({ silence: toStoredSilence(s), expiresAt: s.expiresAt })));
      nflogStore.upsertMany?.(entries);
    })();
    for (const s of keepSilences) {
      report.silences[silenceState(s, now)]++;
      if (existingSilences.has(s.id)) report.silences.replaced++;
    }
    report.silences.imported = keepSilences.length;
    report.nflog.imported = entries.length;
    report.nflog.replaced = entries.filter(([k]) => existingEntries.has(k)).length;
  } finally {
    db.close();
  }
  return report;
}
