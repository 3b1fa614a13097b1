/**
 * @module api/tocsin-history
 * Tocsin's history API (issue 14), under /api/v2/tocsin/:
 * - GET history: stored events, newest first, one page per call:
 *   `filter` (matchers on alert labels, repeatable), `fingerprint`, `receiver`, `groupKey`, `kind` (repeatable or
 *   comma-separated), `since` / `until` (RFC 3339, or a duration back from now such as `2h`), `limit`
 *   (1..1000, default 100), `cursor` (the `next` of the previous page). Body `{"events": [...], "next": ...}`.
 *   A bad parameter answers 400 naming it.
 * - GET history/series: the History page's chart (src/api/tocsin-history-series.ts).
 * - GET events: the same filters (not the time window or paging) as a live Server-Sent Events stream.
 */
import express, { type Request, type Response, type Router } from 'express';
import { formatApiTime } from '../go/strfmt-time';
import { type HistoryEvent, HISTORY_KINDS, type HistoryKind, isHistoryKind, type StoredHistoryEvent } from '../history/event';
import { buildSeries } from '../history/series';
import type { HistoryCursor, HistoryQuery, HistoryStorage } from '../history/storage';
import { type MatcherParseMode, parseMatcher } from '../matchers/parse';
import type { Matcher } from '../matchers/types';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import { matchFilterLabels } from './alert-filters';
import { ApiError, sendError } from './errors';
import { queryList } from './query-params';
import { one, parseTime } from './history-params';
import { sendJson } from './respond';
import { parseSeriesQuery, seriesJson } from './tocsin-history-series';

export interface HistoryRoutesDeps {
  storage: HistoryStorage;
  /** committed events as they are stored (the batch writer's subscribe) */
  subscribe(listener: (events: readonly HistoryEvent[]) => void): () => void;
  clock: Clock;
  logger: Logger;
  matcherMode: MatcherParseMode;
  /** SSE keep-alive comment period (default 15 s) */
  heartbeatMs?: number;
}

export const MAX_HISTORY_LIMIT = 1000;

/** The wire form of an event: `time` in RFC 3339, the concerned ids, and the kind's own fields under `data`. */
export function historyEventJson(e: HistoryEvent | StoredHistoryEvent): Record<string, unknown> {
  return {
    ...('id' in e ? { id: e.id } : {}),
    time: formatApiTime(e.time),
    kind: e.kind,
    ...(e.fingerprint !== undefined ? { fingerprint: e.fingerprint } : {}),
    ...(e.labels !== undefined ? { labels: e.labels } : {}),
    ...(e.groupKey !== undefined ? { groupKey: e.groupKey } : {}),
    ...(e.receiver !== undefined ? { receiver: e.receiver } : {}),
    ...(e.silenceId !== undefined ? { silenceId: e.silenceId } : {}),
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
}

export function encodeCursor(c: HistoryCursor): string {
  return Buffer.from(`${c.time}.${c.id}`).toString('base64url');
}

function decodeCursor(s: string): HistoryCursor {
  const m = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(s, 'base64url').toString());
  if (!m) throw new ApiError(400, `bad cursor: ${JSON.stringify(s)} is not a cursor from a previous page`);
  return { time: Number(m[1]), id: Number(m[2]) };
}

interface Filters {
  matchers: Matcher[];
  fingerprint?: string;
  receiver?: string;
  groupKey?: string;
  kinds: HistoryKind[];
}

function parseFilters(deps: HistoryRoutesDeps, q: Request['query']): Filters {
  const matchers: Matcher[] = [];
  for (const f of queryList(q.filter)) {
    try {
      matchers.push(parseMatcher(f, { mode: deps.matcherMode, logger: deps.logger, origin: 'api' }));
    } catch (e) {
      throw new ApiError(400, `bad filter: ${(e as Error).message}`);
    }
  }
  const kinds: HistoryKind[] = [];
  for (const k of queryList(q.kind).flatMap((v) => v.split(','))) {
    const kind = k.trim();
    if (kind === '') continue;
    if (!isHistoryKind(kind)) throw new ApiError(400, `bad kind: ${JSON.stringify(kind)} is not one of ${HISTORY_KINDS.join(', ')}`);
    kinds.push(kind);
  }
  const fingerprint = one(q, 'fingerprint');
  const receiver = one(q, 'receiver');
  const groupKey = one(q, 'groupKey');
  return { matchers, kinds, ...(fingerprint ? { fingerprint } : {}), ...(receiver ? { receiver } : {}), ...(groupKey ? { groupKey } : {}) };
}

function passes(f: Filters, e: HistoryEvent): boolean {
  if (f.kinds.length > 0 && !f.kinds.includes(e.kind)) return false;
  if (f.fingerprint !== undefined && e.fingerprint !== f.fingerprint) return false;
  if (f.receiver !== undefined && e.receiver !== f.receiver) return false;
  if (f.groupKey !== undefined && e.groupKey !== f.groupKey) return false;
  if (f.matchers.length > 0 && (!e.labels || !matchFilterLabels(f.matchers, e.labels))) return false;
  return true;
}

/** Parses the history query parameters (throws ApiError 400 naming the bad one). */
export function parseHistoryQuery(deps: HistoryRoutesDeps, q: Request['query']): HistoryQuery {
  const f = parseFilters(deps, q);
  const now = deps.clock.now();
  const since = one(q, 'since');
  const until = one(q, 'until');
  const limitText = one(q, 'limit');
  let limit = 100;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new ApiError(400, `bad limit: ${JSON.stringify(limitText)} is not a whole number from 1 to ${MAX_HISTORY_LIMIT}`);
    }
  }
  const cursor = one(q, 'cursor');
  const { matchers } = f;
  // an alertname="X" matcher narrows the rows read through its index
  const alertname = matchers.find((m) => m.name === 'alertname' && m.type === '=' && m.value !== '')?.value;
  return {
    limit,
    ...(f.fingerprint !== undefined ? { fingerprint: f.fingerprint } : {}),
    ...(f.receiver !== undefined ? { receiver: f.receiver } : {}),
    ...(f.groupKey !== undefined ? { groupKey: f.groupKey } : {}),
    ...(f.kinds.length > 0 ? { kinds: f.kinds } : {}),
    ...(alertname !== undefined ? { alertname } : {}),
    ...(since !== undefined ? { since: parseTime('since', since, now) } : {}),
    ...(until !== undefined ? { until: parseTime('until', until, now) } : {}),
    ...(matchers.length > 0 ? { match: (labels) => matchFilterLabels(matchers, labels) } : {}),
    ...(cursor ? { after: decodeCursor(cursor) } : {}),
  };
}

export function historyRoutes(deps: HistoryRoutesDeps): Router {
  const router = express.Router();

  router.get('/tocsin/history', async (req: Request, res: Response) => {
    try {
      const page = await deps.storage.query(parseHistoryQuery(deps, req.query));
      const body = { events: page.events.map(historyEventJson), next: page.next ? encodeCursor(page.next) : null };
      sendJson(res, 200, JSON.stringify(body));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/tocsin/history/series', async (req: Request, res: Response) => {
    try {
      const q = parseSeriesQuery(deps.clock.now(), req.query);
      // SQLite and PostgreSQL both aggregate; a server with no history store at all has an empty chart
      const cells = deps.storage.series ? await deps.storage.series(q) : [];
      sendJson(res, 200, JSON.stringify(seriesJson(buildSeries(q, cells))));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/tocsin/events', (req: Request, res: Response) => {
    let f: Filters;
    try {
      f = parseFilters(deps, req.query);
    } catch (e) {
      sendError(res, e);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(': tocsin history events\n\n');
    const unsubscribe = deps.subscribe((events) => {
      let out = '';
      for (const e of events) if (passes(f, e)) out += `event: ${e.kind}\ndata: ${JSON.stringify(historyEventJson(e))}\n\n`;
      if (out !== '') res.write(out);
    });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), deps.heartbeatMs ?? 15_000);
    beat.unref();
    const end = () => {
      clearInterval(beat);
      unsubscribe();
    };
    req.on('close', end);
    res.on('error', end);
  });

  return router;
}
