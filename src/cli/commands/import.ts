/**
 * `tocsinctl import alertmanager-storage` (Tocsin only): moves an Alertmanager's state into Tocsin's SQLite
 * store, run while Tocsin is stopped. From Alertmanager's storage directory (its `silences` and `nflog`
 * snapshots): every silence within retention and every notification-log entry. With --from-url: the silences of
 * a running Alertmanager over its API v2 (its notification log is not in the API).
 */
import { matchTypeFromApi } from '../../matchers/matcher';
import { ImportError, type ImportReport, importAlertmanagerState, importAlertmanagerStorage } from '../../store/alertmanager/import';
import type { AmSilence } from '../../store/alertmanager/snapshot';
import { StorageError } from '../../store/db';
import { parseDuration } from '../../types/duration';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import type { GettableSilence } from '../models';

export interface ImportOptions {
  'storage.path': string;
  'tocsin.storage.url'?: string;
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
      `${s.replaced ? `, ${s.replaced} replacing ones with the same ID` : ''}; ${s.pastRetention} past retention left out\n`
    : "  silences: none (no 'silences' file)\n";
  if (viaApi) out += '  notification log: not available over the API (import the storage directory for it)\n';
  else if (n.file) {
    out += `  notification-log entries: ${n.imported}${n.replaced ? ` (${n.replaced} replacing existing ones)` : ''}; ${n.pastRetention} past retention left out\n`;
  } else out += "  notification log: none (no 'nflog' file)\n";
  ctx.io.out(out);
}

export async function importAlertmanagerStorageCommand(ctx: CommandContext, amDir: string | undefined, o: ImportOptions): Promise<number> {
  if (o['tocsin.storage.url'] !== undefined) {
    throw new CliError(
      '--tocsin.storage.url: PostgreSQL storage does not exist in Tocsin yet (it is being built, issue 13); ' +
        'import into SQLite with --storage.path=<dir> (the --storage.path the server runs with)',
    );
  }
  if (amDir !== undefined && o.fromUrl !== undefined) {
    throw new CliError('give either an Alertmanager storage directory or --from-url, not both');
  }
  const now = Date.now();
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
      const r = importAlertmanagerState({ silences: fromApi(silences, retention), nflog: undefined }, o.fromUrl, o['storage.path'], now);
      printReport(ctx, r, true);
      return 0;
    }
    if (amDir === undefined) {
      throw new CliError("missing the Alertmanager storage directory (Alertmanager's --storage.path), or --from-url=<Alertmanager URL>");
    }
    printReport(ctx, importAlertmanagerStorage(amDir, o['storage.path'], now), false);
    return 0;
  } catch (e) {
    if (e instanceof ImportError || e instanceof StorageError) throw new CliError(`import: ${e.message}`);
    throw e;
  }
}
