import { parseGoDuration } from '../../go/duration';
import { parseDuration } from '../../types/duration';
import type { ApiClient } from '../client';
import type { CommandContext } from '../context';
import { ApiStatusError, CliError } from '../errors';
import { parseEach, parseKeyValues, toApiMatcher, withAlertnameHeuristic } from '../matchers';
import type { GettableSilence, PostableSilence } from '../models';
import { parseRfc3339 } from '../time';

export interface SilenceAddOptions {
  author: string;
  requireComment: boolean;
  duration: string;
  start?: string;
  end?: string;
  comment?: string;
  annotation?: string[];
}

/** A Prometheus duration flag (-d), with amtool's zero check. */
function silenceDuration(s: string): number {
  let ms: number;
  try {
    ms = parseDuration(s);
  } catch (err) {
    throw new CliError(`--duration: ${(err as Error).message}`);
  }
  if (ms === 0) throw new CliError('silence duration must be greater than 0');
  return ms;
}

/** `silence add` (upstream cli/silence_add.go). Prints the new silence's ID. */
export async function silenceAdd(ctx: CommandContext, groups: string[], o: SilenceAddOptions): Promise<void> {
  const m = ctx.matchers();
  const matchers = parseEach(withAlertnameHeuristic(groups, m, ctx.mode), m, ctx.mode);
  if (matchers.length === 0) throw new CliError('no matchers specified');
  const startsAt = o.start ? parseRfc3339(o.start, '--start') : ctx.io.now();
  const endsAt = o.end
    ? parseRfc3339(o.end, '--end')
    : new Date(startsAt.getTime() + silenceDuration(o.duration));
  if (startsAt.getTime() > endsAt.getTime()) throw new CliError('silence cannot start after it ends');
  const comment = o.comment ?? '';
  if (o.requireComment && comment === '') throw new CliError('comment required by config');
  const annotations = parseKeyValues(o.annotation ?? [], m, ctx.mode, 'annotations');
  const s: PostableSilence = {
    matchers: matchers.map(toApiMatcher),
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: o.author,
    comment,
  };
  if (Object.keys(annotations).length > 0) s.annotations = annotations;
  const client = await ctx.client();
  ctx.io.out(`${await client.postSilence(s)}\n`);
}

export interface SilenceQueryOptions {
  expired?: boolean;
  quiet?: boolean;
  createdBy?: string;
  id?: string;
  within?: string;
}

/** `silence query` (upstream cli/silence_query.go): server-side filter, client-side time filters. */
export async function silenceQuery(ctx: CommandContext, groups: string[], o: SilenceQueryOptions): Promise<void> {
  const m = ctx.matchers();
  const filter = withAlertnameHeuristic(groups, m, ctx.mode);
  parseEach(filter, m, ctx.mode);
  let within = 0;
  if (o.within !== undefined) {
    try {
      within = parseGoDuration(o.within);
    } catch (err) {
      throw new CliError(`--within: ${(err as Error).message}`);
    }
  }
  const client = await ctx.client();
  const all = await client.getSilences(filter);
  const now = ctx.io.now().getTime();
  const shown = all.filter((s) => {
    const end = Date.parse(s.endsAt);
    if (!o.expired && end < now) return false;
    if (o.expired && end > now) return false;
    if (!o.expired && within > 0 && end > now + within) return false;
    if (o.expired && within > 0 && end < now - within) return false;
    if (o.createdBy && s.createdBy !== o.createdBy) return false;
    if (o.id && s.id !== o.id) return false;
    return true;
  });
  if (o.quiet) {
    ctx.io.out(shown.map((s) => `${s.id}\n`).join(''));
    return;
  }
  ctx.io.out(ctx.formatter().silences(shown));
}

/** IDs from the arguments, or (none given, stdin not a terminal) whitespace-separated from stdin. */
async function idsFrom(ctx: CommandContext, ids: string[]): Promise<string[]> {
  if (ids.length > 0 || ctx.io.stdinIsTTY) return ids;
  return (await ctx.io.readStdin()).split(/\s+/).filter((s) => s !== '');
}

/** `silence expire` (upstream cli/silence_expire.go); also reads IDs from stdin (`query -q | expire`). */
export async function silenceExpire(ctx: CommandContext, args: string[]): Promise<void> {
  const ids = await idsFrom(ctx, args);
  if (ids.length === 0) throw new CliError('no silence IDs specified');
  const client = await ctx.client();
  for (const id of ids) {
    try {
      await client.deleteSilence(id);
    } catch (err) {
      const done = ids.indexOf(id);
      if (done > 0) ctx.io.err(`expired before the failure: ${ids.slice(0, done).join(' ')}\n`);
      throw err;
    }
  }
}

export interface SilenceUpdateOptions {
  quiet?: boolean;
  duration?: string;
  start?: string;
  end?: string;
  comment?: string;
}

/** `silence update` (upstream cli/silence_update.go). Prints the resulting silences. */
export async function silenceUpdate(ctx: CommandContext, args: string[], o: SilenceUpdateOptions): Promise<void> {
  const ids = await idsFrom(ctx, args);
  if (ids.length === 0) throw new CliError('no silence IDs specified');
  const client = await ctx.client();
  const updated: GettableSilence[] = [];
  for (const id of ids) {
    const sil = await client.getSilence(id);
    if (o.start) sil.startsAt = parseRfc3339(o.start, '--start').toISOString();
    if (o.end) sil.endsAt = parseRfc3339(o.end, '--end').toISOString();
    else if (o.duration) sil.endsAt = new Date(Date.parse(sil.startsAt) + silenceDuration(o.duration)).toISOString();
    if (Date.parse(sil.startsAt) > Date.parse(sil.endsAt)) throw new CliError('silence cannot start after it ends');
    if (o.comment) sil.comment = o.comment;
    const post: PostableSilence = {
      id: sil.id,
      matchers: sil.matchers,
      startsAt: sil.startsAt,
      endsAt: sil.endsAt,
      createdBy: sil.createdBy,
      comment: sil.comment,
    };
    if (sil.annotations && Object.keys(sil.annotations).length > 0) post.annotations = sil.annotations;
    sil.id = await client.postSilence(post);
    updated.push(sil);
  }
  if (o.quiet) {
    ctx.io.out(updated.map((s) => `${s.id}\n`).join(''));
    return;
  }
  ctx.io.out(ctx.formatter().silences(updated));
}

export interface SilenceImportOptions {
  force?: boolean;
  worker: string;
}

/** POST one silence; an unknown ID (404) is created as a new silence, as amtool does. */
async function importOne(client: ApiClient, s: PostableSilence): Promise<string> {
  try {
    return await client.postSilence(s);
  } catch (err) {
    if (err instanceof ApiStatusError && err.status === 404 && s.id) {
      const { id: _drop, ...fresh } = s;
      return await client.postSilence(fresh);
    }
    throw err;
  }
}

/**
 * `silence import` (upstream cli/silence_import.go): a JSON array as written by `silence query -o json`,
 * from a file or stdin, posted by --worker concurrent workers. The whole input is parsed before the
 * first request, so malformed JSON creates nothing. Each created ID is printed as soon as it exists;
 * on any failure the error names how many were created.
 */
export async function silenceImport(
  ctx: CommandContext,
  file: string | undefined,
  o: SilenceImportOptions,
  readFile: (path: string) => string,
): Promise<void> {
  const workers = Number(o.worker);
  if (!Number.isInteger(workers) || workers < 1) throw new CliError(`--worker must be a positive integer, got '${o.worker}'`);
  let text: string;
  if (file !== undefined) {
    try {
      text = readFile(file);
    } catch (err) {
      throw new CliError(`path '${file}' does not exist or cannot be read: ${(err as Error).message}`);
    }
  } else {
    text = await ctx.io.readStdin();
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CliError(`couldn't unmarshal input data, is it JSON?: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new CliError("couldn't unmarshal input data, is it JSON?: expected an array of silences");
  const client = await ctx.client();
  const items = data as PostableSilence[];
  const created: string[] = [];
  let failed = 0;
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < items.length) {
      const raw = items[next++] as unknown;
      const src = (raw ?? {}) as Record<string, unknown>;
      const s: PostableSilence = {
        matchers: src.matchers as PostableSilence['matchers'],
        startsAt: src.startsAt as string,
        endsAt: src.endsAt as string,
        createdBy: src.createdBy as string,
        comment: src.comment as string,
      };
      if (src.annotations !== undefined) s.annotations = src.annotations as PostableSilence['annotations'];
      if (!o.force && typeof src.id === 'string' && src.id !== '') s.id = src.id;
      try {
        const id = await importOne(client, s);
        created.push(id);
        ctx.io.out(`${id}\n`);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        failed++;
        ctx.io.err(`Error adding silence id='${String(src.id ?? '')}': ${(err as Error).message}\n`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, Math.max(items.length, 1)) }, work));
  } catch (err) {
    throw new CliError(`${(err as Error).message} (${created.length} of ${items.length} silences were created before that)`);
  }
  if (failed > 0) {
    throw new CliError(
      `couldn't import ${failed} out of ${items.length} silences (created ${created.length}: ${created.length > 0 ? created.join(', ') : 'none'})`,
    );
  }
}
