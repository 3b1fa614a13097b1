/**
 * `tocsinctl storage copy` (Tocsin only, issue 13): copies a single instance's SQLite state (alerts, silences,
 * notification log: src/store/copy-storage.ts; history events, acks and escalations, silence schedules and the
 * silence audit trail: src/store/copy-state.ts) into the PostgreSQL database of a replica cluster, so it grows
 * into a cluster without losing silences, history or notification history. Rerunnable: newer target state kept,
 * nothing stored twice, expired silences and nflog entries left out. The PostgreSQL URL comes from --to,
 * --to-file or $TOCSIN_STORAGE_URL and is never printed with its password.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { copyState } from '../../store/copy-state';
import { sqliteStateParts } from '../../store/copy-state-sqlite';
import { copyStorage } from '../../store/copy-storage';
import { openDatabase } from '../../store/db';
import { pgStateParts } from '../../store/postgres/copy-state';
import { redactPgUrl } from '../../store/postgres/connect';
import { PgStorage } from '../../store/postgres/pg-storage';
import { SqliteStorage } from '../../store/sqlite-storage';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { resolvePgUrl } from '../pg-url';

export interface StorageCopyOptions {
  'storage.path': string;
  to?: string;
  toFile?: string;
}

function targetUrl(o: StorageCopyOptions): string {
  const url = resolvePgUrl({ command: 'storage copy', url: o.to, urlFlag: '--to', file: o.toFile, fileFlag: '--to-file' });
  if (url === '') throw new CliError('storage copy: no target: give --to=postgres://..., --to-file=FILE or $TOCSIN_STORAGE_URL');
  return url;
}

export async function storageCopy(ctx: CommandContext, o: StorageCopyOptions): Promise<number> {
  const url = targetUrl(o);
  const file = join(o['storage.path'], 'tocsin.db');
  try {
    statSync(file);
  } catch (e) {
    throw new CliError(`storage copy: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); --storage.path names the directory holding tocsin.db`);
  }
  const db = openDatabase(o['storage.path']);
  const from = new SqliteStorage(db);
  const parts = sqliteStateParts(db, o['storage.path']);
  let to: PgStorage;
  try {
    to = await PgStorage.open({ url, replica: 'tocsinctl-storage-copy', max: 2 });
  } catch (e) {
    parts.close();
    await from.close();
    throw new CliError(`storage copy: cannot open PostgreSQL at ${redactPgUrl(url)}: ${(e as Error).message}`);
  }
  try {
    const r = await copyStorage(from, to, Date.now());
    // the audit trails of the silences PostgreSQL now holds
    const held = (await to.silences.get((await from.silences.loadAll()).map((s) => s.silence.id))).map((s) => s.silence.id);
    const x = await copyState(parts, pgStateParts(to.pool), held);
    if (ctx.output === 'json') ctx.io.out(`${JSON.stringify({ from: file, to: redactPgUrl(url), ...r, ...x })}\n`);
    else {
      ctx.io.out(
        `Copied ${file} into ${redactPgUrl(url)}: ${r.alerts} alerts, ${r.silences} silences, ${r.nflog} notification log entries, ` +
          `${x.history} history events, ${x.acks} acks, ${x.escalations} escalations, ${x.schedules} silence schedules, ${x.audit} silence audit entries\n`,
      );
    }
    return 0;
  } finally {
    parts.close();
    await from.close();
    await to.close();
  }
}
