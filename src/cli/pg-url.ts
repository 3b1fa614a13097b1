/**
 * The PostgreSQL URL a tocsinctl command writes to, resolved as the server resolves --tocsin.storage.url
 * (src/app/flags.ts): the flag, else the first line of the file flag, else $TOCSIN_STORAGE_URL. Errors never
 * echo the URL (it may hold a password; print it with redactPgUrl).
 */
import { readFileSync } from 'node:fs';
import { CliError } from './errors';

export interface PgUrlSource {
  /** the command, for error messages ("storage copy") */
  command: string;
  url: string | undefined;
  urlFlag: string;
  file: string | undefined;
  fileFlag: string;
}

/** The URL, or '' when none of the three gives one. */
export function resolvePgUrl(s: PgUrlSource, env: Readonly<Record<string, string | undefined>> = process.env): string {
  let url = s.url ?? '';
  if (url === '' && s.file) {
    try {
      url = readFileSync(s.file, 'utf8').trim();
    } catch (e) {
      throw new CliError(`${s.command}: cannot read ${s.fileFlag} ${s.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (url === '') throw new CliError(`${s.command}: ${s.fileFlag} ${s.file} is empty`);
  }
  if (url === '') url = env.TOCSIN_STORAGE_URL?.trim() ?? '';
  if (url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError(`${s.command}: the URL (${s.urlFlag}, ${s.fileFlag} or $TOCSIN_STORAGE_URL) must be a postgres:// or postgresql:// URL`);
  }
  return url;
}
