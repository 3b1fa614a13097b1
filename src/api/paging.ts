/**
 * @module api/paging
 * Tocsin-only paging of GET /api/v2/alerts and /api/v2/alerts/groups: `limit` (a positive integer: at most that
 * many alerts or groups) and `cursor` (from the previous page). Without `limit` the answer is upstream's, whole.
 * When more items follow, the `X-Tocsin-Next-Cursor` response header carries the cursor of the next page; the body
 * stays upstream's JSON array, so Go clients (which send neither parameter) see nothing new.
 */
import type { Request } from 'express';
import { swaggerError } from './errors';

export const NEXT_CURSOR_HEADER = 'X-Tocsin-Next-Cursor';

export interface Paging {
  /** at most this many items (Infinity without `limit`) */
  limit: number;
  /** list only items after this one in the answer's order */
  cursor: string | undefined;
}

const lastValue = (v: unknown): string | undefined => {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined || last === null ? undefined : String(last);
};

/** Reads `limit` and `cursor`; throws a 400 ApiError naming the parameter when one is malformed. */
export function parsePaging(q: Request['query']): Paging {
  const l = lastValue(q.limit);
  let limit = Number.POSITIVE_INFINITY;
  if (l !== undefined && l !== '') {
    if (!/^[0-9]{1,9}$/.test(l) || Number(l) === 0) {
      throw swaggerError(400, `limit in query must be a positive integer, got ${JSON.stringify(l)}`);
    }
    limit = Number(l);
  }
  const c = lastValue(q.cursor);
  return { limit, cursor: c === undefined || c === '' ? undefined : c };
}

/** The cursor of a group: its labels and receiver, as base64url JSON. */
export function groupCursor(labels: Readonly<Record<string, string>>, receiver: string): string {
  return Buffer.from(JSON.stringify([labels, receiver]), 'utf8').toString('base64url');
}

/** Decodes a groupCursor(); throws a 400 ApiError for anything else. */
export function parseGroupCursor(cursor: string): { labels: Record<string, string>; receiver: string } {
  const bad = () => swaggerError(400, `cursor in query is not a cursor of this endpoint: ${JSON.stringify(cursor)}`);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[1] !== 'string' || typeof v[0] !== 'object' || v[0] === null || Array.isArray(v[0])) throw bad();
  for (const x of Object.values(v[0] as object)) if (typeof x !== 'string') throw bad();
  return { labels: v[0] as Record<string, string>, receiver: v[1] };
}
