/**
 * `tocsinctl storage copy` (Tocsin only, issue 13): copies a single instance's SQLite state (alerts, silences,
 * notification log) into the PostgreSQL database of a replica cluster, so it grows into a cluster without
 * losing silences or notification history (src/store/copy-storage.ts: rerunnable, newer target state kept,
 * expired silences and nflog entries left out). The PostgreSQL URL comes from --to, --to-file or
 * $TOCSIN_STORAGE_URL and is never printed with its password.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { copyStorage } from '../../store/copy-storage';
import { openDatabase } from '../../store/db';
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
  const from = new SqliteStorage(openDatabase(o['storage.path']));
  let to: PgStorage;
  try {
    to = await PgStorage.open({ url, replica: 'tocsinctl-storage-copy', max: 2 });
  } catch (e) {
    await from.close();
    throw new CliError(`storage copy: cannot open PostgreSQL at ${redactPgUrl(url)}: ${(e as Error).message}`);
  }
  try {
    const r = await copyStorage(from, to, Date.now());
    if (ctx.output === 'json') ctx.io.out(`${JSON.stringify({ from: file, to: redactPgUrl(url), ...r })}\n`);
    else ctx.io.out(`Copied ${file} into ${redactPgUrl(url)}: ${r.alerts} alerts, ${r.silences} silences, ${r.nflog} notification log entries\n`);
    return 0;
  } finally {
    await from.close();
    await to.close();
  }
}
