/**
 * `tocsinctl import alertmanager-storage` (Tocsin only): moves an Alertmanager's state into Tocsin's SQLite
 * store, run while Tocsin is stopped. From Alertmanager's storage directory (its `silences` and `nflog`
 * snapshots): every silence within retention and every notification-log entry. With --from-url: the silences of
 * a running Alertmanager over its API v2 (its notification log is not in the API).
 *
 * Into PostgreSQL (--tocsin.storage.url, --tocsin.storage.url-file or $TOCSIN_STORAGE_URL, resolved as the
 * server does): everything is decoded and checked as for SQLite and written in one transaction into a
 * temporary SQLite store, which is then copied into PostgreSQL by copyStorage (as `tocsinctl storage copy`).
 * A bad directory or silence writes nothing to PostgreSQL; state already there that is newer (a silence
 * with a later updatedAt, an nflog entry with a later timestamp) is kept. The copy writes in batches: if the
 * connection fails part way, running the import again completes it. Refused while replicas run on the database
 * (as the SQLite import refuses a store a server has open): they read the notification log at start only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchTypeFromApi } from '../../matchers/matcher';
import { entryKey } from '../../nflog/nflog';
import { ImportError, type ImportReport, importAlertmanagerState, readAlertmanagerStorage } from '../../store/alertmanager/import';
import type { AmSilence } from '../../store/alertmanager/snapshot';
import { copyStorage } from '../../store/copy-storage';
import { openDatabase, StorageError } from '../../store/db';
import { redactPgUrl } from '../../store/postgres/connect';
import { PgStorage } from '../../store/postgres/pg-storage';
import { SqliteStorage } from '../../store/sqlite-storage';
import { parseDuration } from '../../types/duration';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import type { GettableSilence } from '../models';
import { resolvePgUrl } from '../pg-url';

export interface ImportOptions {
  'storage.path': string;
  'tocsin.storage.url'?: string;
  'tocsin.storage.urlFile'?: string;
  fromUrl?: string;
  'data.retention': string;
}

/** The silences of a running Alertmanager (API v2), kept `retention` after they end, as Alertmanager does. */
function fromApi(all: readonly GettableSilence[], retention: number): AmSilence[] {
  return all.map((s) => {
    const endsAt = Date.parse(s.endsAt);
    return {
      id: s.id,
      matcherSets: [s.matchers.map((m) => ({ type: matchTypeFromApi(m.isRegex, m.isEqual), name: m.name, value: m.value }))],
      startsAt: Date.parse(s.startsAt),
      endsAt,
      updatedAt: Date.parse(s.updatedAt),
      createdBy: s.createdBy,
      comment: s.comment,
      annotations: { ...(s.annotations ?? {}) },
      expiresAt: endsAt + retention,
      receiverMatcherSets: 0,
    };
  });
}

function printReport(ctx: CommandContext, r: ImportReport, viaApi: boolean): void {
  if (ctx.output === 'json') {
    ctx.io.out(`${JSON.stringify(r)}\n`);
    return;
  }
  const s = r.silences;
  const n = r.nflog;
  let out = `Imported from ${r.from} into ${r.into}:\n`;
  out += s.file
    ? `  silences: ${s.imported} (${s.active} active, ${s.pending} pending, ${s.expired} expired)` +
      `${s.replaced ? `, ${s.replaced} replacing ones with the same ID` : ''}` +
      `${s.kept ? `, ${s.kept} left as they were (a newer version is stored)` : ''}; ${s.pastRetention} past retention left out\n`
    : "  silences: none (no 'silences' file)\n";
  if (viaApi) out += '  notification log: not available over the API (import the storage directory for it)\n';
  else if (n.file) {
    const notes = [n.replaced ? `${n.replaced} replacing existing ones` : '', n.kept ? `${n.kept} left as they were (a newer entry is stored)` : ''].filter(Boolean);
    out += `  notification-log entries: ${n.imported}${notes.length ? ` (${notes.join(', ')})` : ''}; ${n.pastRetention} past retention left out\n`;
  } else out += "  notification log: none (no 'nflog' file)\n";
  ctx.io.out(out);
}

type State = Parameters<typeof importAlertmanagerState>[0];

/** a replica that sent a heartbeat this recently counts as running (heartbeats come every quarter lease, 2.5 s by default) */
const LIVE_WINDOW_MS = 60_000;

/**
 * Imports into PostgreSQL through a temporary SQLite store (checked and written in one transaction there
 * first), then copyStorage. The report counts what reached PostgreSQL: `kept` are records PostgreSQL already
 * held in a newer version.
 */
async function importIntoPostgres(state: State, from: string, url: string, now: number): Promise<ImportReport> {
  const tmp = mkdtempSync(join(tmpdir(), 'tocsin-import-'));
  try {
    const r = importAlertmanagerState(state, from, tmp, now);
    let pg: PgStorage;
    try {
      pg = await PgStorage.open({ url, replica: 'tocsinctl-import', max: 2 });
    } catch (e) {
      throw new CliError(`import: cannot open PostgreSQL at ${redactPgUrl(url)}: ${(e as Error).message}; nothing was imported`);
    }
    const staged = new SqliteStorage(openDatabase(tmp));
    try {
      const running = await pg.replicas.live(LIVE_WINDOW_MS);
      if (running.length > 0) {
        throw new CliError(
          `import: replicas are running on ${redactPgUrl(url)} (${running.map((x) => `${x.name} at ${x.address}`).join(', ')}): ` +
            'stop them before importing (a running replica does not read the imported notification log); nothing was imported. ' +
            'A replica stopped without leaving (killed) counts as running for a minute after its last heartbeat',
        );
      }
      const silenceIds = (await staged.silences.loadAll()).map((x) => x.silence.id);
      const silencesThere = (await pg.silences.get(silenceIds)).length;
      const nflogThere = new Map((await pg.nflog.loadAll()).map((e) => [entryKey(e.groupKey, e.receiver), e.timestamp]));
      const entries = await staged.nflog.loadAll();
      const c = await copyStorage(staged, pg, now);
      r.into = redactPgUrl(url);
      r.silences.kept = r.silences.imported - c.silences;
      r.silences.replaced = silencesThere - r.silences.kept;
      r.nflog.replaced = 0;
      r.nflog.kept = 0;
      for (const e of entries) {
        const t = nflogThere.get(entryKey(e.groupKey, e.receiver));
        if (t === undefined) continue;
        if (t > e.timestamp) r.nflog.kept++;
        else r.nflog.replaced++;
      }
      return r;
    } finally {
      await staged.close();
      await pg.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function importAlertmanagerStorageCommand(ctx: CommandContext, amDir: string | undefined, o: ImportOptions): Promise<number> {
  const url = resolvePgUrl({
    command: 'import',
    url: o['tocsin.storage.url'],
    urlFlag: '--tocsin.storage.url',
    file: o['tocsin.storage.urlFile'],
    fileFlag: '--tocsin.storage.url-file',
  });
  if (amDir !== undefined && o.fromUrl !== undefined) {
    throw new CliError('give either an Alertmanager storage directory or --from-url, not both');
  }
  const now = Date.now();
  const write = (state: State, from: string): Promise<ImportReport> | ImportReport =>
    url === '' ? importAlertmanagerState(state, from, o['storage.path'], now) : importIntoPostgres(state, from, url, now);
  try {
    if (o.fromUrl !== undefined) {
      let retention: number;
      try {
        retention = parseDuration(o['data.retention']);
      } catch (e) {
        throw new CliError(`invalid --data.retention: ${(e as Error).message}`);
      }
      const api = new CommandContext(ctx.io, { ...ctx.g, 'alertmanager.url': o.fromUrl });
      let silences: GettableSilence[];
      try {
        silences = await (await api.client()).getSilences([]);
      } finally {
        await api.close();
      }
      printReport(ctx, await write({ silences: fromApi(silences, retention), nflog: undefined }, o.fromUrl), true);
      return 0;
    }
    if (amDir === undefined) {
      throw new CliError("missing the Alertmanager storage directory (Alertmanager's --storage.path), or --from-url=<Alertmanager URL>");
    }
    printReport(ctx, await write(readAlertmanagerStorage(amDir), amDir), false);
    return 0;
  } catch (e) {
    if (e instanceof ImportError || e instanceof StorageError) throw new CliError(`import: ${e.message}`);
    throw e;
  }
}
