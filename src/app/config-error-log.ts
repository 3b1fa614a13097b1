/**
 * How a config that failed to load is logged (at startup and on reload): upstream logs one record
 * `msg="Loading configuration file failed" file=... err=...`; Tocsin reports every problem, so it logs that
 * record once per problem, with the hint in its own field. No record carries a newline, in logfmt or JSON.
 */
import { ConfigError, formatConfigProblem } from '../types/errors';
import type { Logger } from '../types/logger';

export const CONFIG_LOAD_FAILED = 'Loading configuration file failed';

export function logConfigLoadFailure(logger: Logger, file: string, e: unknown): void {
  if (e instanceof ConfigError && e.problems.length > 0) {
    for (const p of e.problems) logger.error({ file, err: formatConfigProblem({ ...p, hint: undefined }), hint: p.hint }, CONFIG_LOAD_FAILED);
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  for (const line of message.split('\n')) if (line.trim() !== '') logger.error({ file, err: line }, CONFIG_LOAD_FAILED);
}
