/**
 * @module api/tocsin-history-series
 * GET /api/v2/tocsin/history/series: the History page's chart (src/history/series.ts) as JSON.
 * - `kind`: `alerts` (alerts firing per bucket, the default) or `notifications` (attempts per receiver,
 *   failed ones under `failures`);
 * - `by`: `alertname` (the default for alerts) or any label name; `receiver` (the only choice for notifications);
 * - `since` / `until`: RFC 3339 or a duration back from now (default the last hour), widened to whole steps;
 * - `step`: bucket width as a duration (default: about 120 buckets), at most 1000 buckets;
 * - `top`: the largest series kept, 1..50 (default 10); the rest are summed into one series `other`.
 * Body: `{"kind", "by", "since", "until", "stepSeconds", "series": [{"name", "values": [...], "failures"?, "other"?}]}`,
 * one value per bucket, the first bucket starting at `since`. A bad parameter answers 400 naming it.
 */
import type { Request } from 'express';
import { formatApiTime } from '../go/strfmt-time';
import { defaultStep, MAX_BUCKETS, MAX_TOP, SERIES_KINDS, type SeriesKind, type SeriesQuery, type SeriesResult, seriesWindow } from '../history/series';
import { parseDuration } from '../types/duration';
import { ApiError } from './errors';
import { one, parseTime } from './history-params';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MIN_STEP = 1000;

export function parseSeriesQuery(now: number, q: Request['query']): SeriesQuery {
  const kindText = one(q, 'kind') ?? 'alerts';
  if (!(SERIES_KINDS as readonly string[]).includes(kindText)) throw new ApiError(400, `bad kind: ${JSON.stringify(kindText)} is not one of ${SERIES_KINDS.join(', ')}`);
  const kind = kindText as SeriesKind;
  const by = one(q, 'by') ?? (kind === 'alerts' ? 'alertname' : 'receiver');
  if (kind === 'notifications' && by !== 'receiver') throw new ApiError(400, `bad by: notifications are counted by receiver, not ${JSON.stringify(by)}`);
  if (kind === 'alerts' && !LABEL_NAME.test(by)) throw new ApiError(400, `bad by: ${JSON.stringify(by)} is not a label name`);
  const sinceText = one(q, 'since');
  const untilText = one(q, 'until');
  const until = untilText !== undefined ? parseTime('until', untilText, now) : now;
  const since = sinceText !== undefined ? parseTime('since', sinceText, now) : until - 3600_000;
  if (since >= until) throw new ApiError(400, `bad since: ${JSON.stringify(sinceText)} is not before until`);
  const stepText = one(q, 'step');
  let step = defaultStep(until - since);
  if (stepText !== undefined) {
    try {
      step = parseDuration(stepText);
    } catch {
      throw new ApiError(400, `bad step: ${JSON.stringify(stepText)} is not a duration such as 5m`);
    }
    if (step < MIN_STEP) throw new ApiError(400, `bad step: ${JSON.stringify(stepText)} is shorter than 1s`);
  }
  const w = seriesWindow(since, until, step);
  if (w.buckets > MAX_BUCKETS) throw new ApiError(400, `bad step: ${JSON.stringify(stepText)} makes ${w.buckets} buckets, at most ${MAX_BUCKETS}`);
  const topText = one(q, 'top');
  let top = 10;
  if (topText !== undefined) {
    top = Number(topText);
    if (!/^\d+$/.test(topText) || top < 1 || top > MAX_TOP) throw new ApiError(400, `bad top: ${JSON.stringify(topText)} is not a whole number from 1 to ${MAX_TOP}`);
  }
  return { kind, by, since: w.since, until: w.until, step, top };
}

export function seriesJson(r: SeriesResult): Record<string, unknown> {
  return { kind: r.kind, by: r.by, since: formatApiTime(r.since), until: formatApiTime(r.until), stepSeconds: r.step / 1000, series: r.series };
}
