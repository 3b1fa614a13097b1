/**
 * @module api/tocsin-status
 * The `tocsin` object that GET /api/v2/status carries after upstream's fields (Tocsin extension; Go clients such as
 * amtool ignore unknown fields): Tocsin's version, the last reload attempt, the size of the SQLite state and the
 * process start time. The web UI's status page shows it (src/ui/web/pages/status.ts).
 */
import { statSync } from 'node:fs';
import { formatApiTime } from '../go/strfmt-time';

export interface ReloadResult {
  success: boolean;
  /** epoch ms of the attempt */
  time: number;
  /** why it failed (absent on success) */
  error?: string;
}

export interface TocsinStatus {
  version: string;
  lastReload: ReloadResult;
  /** epoch ms of the last successful load (initial load or reload) */
  lastSuccessTime: number;
  /** SQLite file + WAL in bytes; null for an in-memory database */
  storageBytes: number | null;
  /** epoch ms */
  startTime: number;
  /** the loaded --tocsin.config.file (absent when none is given) */
  config?: { file: string; original: string };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Size of the SQLite database file plus its write-ahead log; null when there is no file (`:memory:`). */
export function sqliteStorageBytes(dbFile: string): number | null {
  if (dbFile === '' || dbFile === ':memory:') return null;
  return fileSize(dbFile) + fileSize(`${dbFile}-wal`);
}

/** The JSON of the `tocsin` object (times RFC 3339 UTC). */
export function tocsinStatusJson(s: TocsinStatus): string {
  return JSON.stringify({
    version: s.version,
    lastReload: {
      success: s.lastReload.success,
      time: formatApiTime(s.lastReload.time),
      ...(s.lastReload.error !== undefined ? { error: s.lastReload.error } : {}),
    },
    lastSuccessTime: formatApiTime(s.lastSuccessTime),
    storageBytes: s.storageBytes,
    startTime: formatApiTime(s.startTime),
    ...(s.config ? { config: { file: s.config.file, original: s.config.original } } : {}),
  });
}
