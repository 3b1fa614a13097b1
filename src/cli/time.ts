import { goQuote } from '../types/labels';
import { CliError } from './errors';

/** Go's zero time as the API client serialises it. */
export const ZERO_TIME = '0001-01-01T00:00:00.000Z';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a --start / --end value (Go time.Parse(time.RFC3339, s)). */
export function parseRfc3339(s: string, flag: string): Date {
  const d = RFC3339.test(s) ? new Date(s) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) {
    throw new CliError(`${flag}: parsing time ${goQuote(s)} as "2006-01-02T15:04:05Z07:00": not an RFC3339 time`);
  }
  return d;
}
