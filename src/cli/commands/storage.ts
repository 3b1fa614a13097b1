/**
 * `tocsinctl storage check` (Tocsin only): looks at the server's SQLite file directly, without a server. Runs
 * SQLite's integrity_check read-only and counts the rows of the alerts, silences and nflog tables; a file that
 * is not a database or is corrupt exits non-zero with how to recover (the server refuses to start on it).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isCorruption, recoveryHint } from '../../store/db';
import type { CommandContext } from '../context';
import { CliError } from '../errors';

/** the tables the report counts, in the order printed */
const TABLES = ['alerts', 'silences', 'nflog'] as const;

export interface StorageReport {
  file: string;
  /** true when integrity_check says ok and every table could be read */
  ok: boolean;
  /** integrity_check's findings, or the error that stopped it */
  problems: string[];
  /** row counts of the tables that exist (none in a new, empty file) */
  counts: Partial<Record<(typeof TABLES)[number], number>>;
}

/** Checks `<dir>/tocsin.db` read-only. Throws CliError when there is no such file. */
export function checkStorage(dir: string): StorageReport {
  const file = join(dir, 'tocsin.db');
  try {
    if (!statSync(file).isFile()) throw new CliError(`storage: ${file} is not a file`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`storage: cannot read ${file} (${(e as Error).message}); --storage.path names the directory holding tocsin.db`);
  }
  const report: StorageReport = { file, ok: true, problems: [], counts: {} };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    report.problems.push(...rows.map((r) => r.integrity_check).filter((m) => m !== 'ok'));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const present = new Set(tables.map((r) => r.name));
    for (const t of TABLES) {
      if (!present.has(t)) continue;
      try {
        report.counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      } catch (e) {
        report.problems.push(`${t}: ${sqliteMessage(e)}`);
      }
    }
  } catch (e) {
    report.problems.push(sqliteMessage(e));
  } finally {
    db?.close();
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** The message of a SQLite error (what it says about the file); anything else is a bug and is rethrown. */
function sqliteMessage(e: unknown): string {
  if (isCorruption((e as { code?: unknown }).code) || (e as Error).name === 'SqliteError') return (e as Error).message;
  throw e;
}

/** Prints the report; exit status 1 (with the recovery hint) when the file is damaged. */
export function storageCheck(ctx: CommandContext, dir: string): number {
  const r = checkStorage(dir);
  if (ctx.output === 'json') {
    ctx.io.out(`${JSON.stringify(r)}\n`);
  } else {
    let s = `${r.file}: ${r.ok ? 'ok' : 'CORRUPT'}\n`;
    for (const p of r.problems) s += `  ${p}\n`;
    for (const t of TABLES) if (r.counts[t] !== undefined) s += `${t}: ${r.counts[t]}\n`;
    if (r.ok && Object.keys(r.counts).length === 0) s += 'no Tocsin tables yet (an empty database; the server creates them)\n';
    ctx.io.out(s);
  }
  if (r.ok) return 0;
  ctx.io.err(`tocsinctl: error: storage: ${r.file} is not a valid SQLite database (${r.problems[0]}). ${recoveryHint(r.file)}\n`);
  return 1;
}
