/**
 * @module api/history-params
 * Query parameters shared by the history endpoints (src/api/tocsin-history.ts, tocsin-history-series.ts).
 */
import type { Request } from 'express';
import { parseDuration } from '../types/duration';
import { ApiError } from './errors';
import { queryList } from './query-params';

/** One value of a single-valued parameter (the last if repeated). */
export function one(q: Request['query'], name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  return queryList(v).at(-1);
}

export function parseTime(name: string, v: string, now: number): number {
  const t = Date.parse(v);
  if (/^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(t)) return t;
  try {
    return now - parseDuration(v);
  } catch {
    throw new ApiError(400, `bad ${name}: ${JSON.stringify(v)} is neither an RFC 3339 time nor a duration such as 2h`);
  }
}
