/**
 * @module api/silence-schedules
 * Tocsin's recurring silences (src/silence/scheduler.ts), under /api/v2/tocsin/silence-schedules:
 * - POST (body PostableSilenceSchedule: `rrule` or `cron`) -> `{"scheduleID"}` once stored and its due silences created;
 * - POST .../preview (same body, `?count=N`, default 5, at most 100) -> `{"occurrences": [...]}`, nothing stored;
 * - GET -> every schedule with its next occurrences (`?count=N`, default 3); GET .../{id} -> one;
 * - DELETE .../{id} -> `{"expiredSilences": [...]}`: the schedule goes and its pending silences are expired;
 *   the silence of an occurrence in progress runs to its end unless `?expireActive=true`.
 * Bad input answers 400 with a message that starts with the field's name (`rrule: ...`, `timeZone: ...`).
 */
import express, { type Request, type Response, type Router } from 'express';
import { formatApiTime, GoTimeError, parseStrfmtDateTime } from '../go/strfmt-time';
import { matcherToApi, matchTypeFromApi, createMatcher } from '../matchers/matcher';
import type { Occurrence, ScheduleInput, SilenceScheduler } from '../silence/scheduler';
import type { SilenceSchedule } from '../silence/schedule';
import type { SilenceMatcherInput } from '../silence/types';
import { formatDuration, parseDuration } from '../types/duration';
import type { OccurrenceWire, SilenceScheduleWire } from '../wire/silence-schedules';
import { ApiError, sendError } from './errors';
import { readJsonText } from './json-body';
import { sendJson } from './respond';
import { authUser } from './silences';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './types';

export interface SilenceScheduleRoutesDeps {
  scheduler: SilenceScheduler;
  requestLimits?: RequestLimits | undefined;
}

const bad = (field: string, message: string) => new ApiError(400, `${field}: ${message}`);

function field(o: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) throw bad(name, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw bad(name, 'must be a string');
  return v;
}

function decodeMatchers(v: unknown): SilenceMatcherInput[] {
  if (!Array.isArray(v) || v.length === 0) throw bad('matchers', 'at least one matcher is required');
  return v.map((raw, i) => {
    const m = raw as Record<string, unknown> | null;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw bad(`matchers.${i}`, 'must be an object');
    if (typeof m.name !== 'string') throw bad(`matchers.${i}.name`, 'is required');
    if (typeof m.value !== 'string') throw bad(`matchers.${i}.value`, 'is required');
    if (typeof m.isRegex !== 'boolean') throw bad(`matchers.${i}.isRegex`, 'is required');
    if (m.isEqual !== undefined && typeof m.isEqual !== 'boolean') throw bad(`matchers.${i}.isEqual`, 'must be a boolean');
    return { type: matchTypeFromApi(m.isRegex, m.isEqual as boolean | undefined), name: m.name, value: m.value };
  });
}

/** The body of POST (and preview) as the scheduler's input; 400 naming the field. */
export function decodeScheduleBody(text: string): ScheduleInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `body: not JSON: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ApiError(400, 'body: must be a JSON object');
  const o = doc as Record<string, unknown>;
  const matchers = decodeMatchers(o.matchers);
  const rrule = field(o, 'rrule', false);
  const cron = field(o, 'cron', false);
  if ((rrule === undefined) === (cron === undefined)) throw bad('rrule', 'give one of rrule (RFC 5545) and cron');
  const durationText = field(o, 'duration', true)!;
  let duration: number;
  try {
    duration = parseDuration(durationText);
  } catch (e) {
    throw bad('duration', (e as Error).message);
  }
  const timeZone = field(o, 'timeZone', true)!;
  const createdBy = field(o, 'createdBy', true)!;
  const comment = field(o, 'comment', true)!;
  const startsText = field(o, 'startsAt', false);
  let startsAt: number | undefined;
  if (startsText !== undefined) {
    try {
      startsAt = parseStrfmtDateTime(startsText);
    } catch (e) {
      if (e instanceof GoTimeError) throw bad('startsAt', e.message);
      throw e;
    }
  }
  return { matchers, rrule, cron, duration, timeZone, createdBy, comment, startsAt };
}

function occurrenceJson(o: Occurrence): OccurrenceWire {
  return { startsAt: formatApiTime(o.startsAt), endsAt: formatApiTime(o.endsAt), silenceID: o.silenceId };
}

export function scheduleJson(s: SilenceSchedule, next: Occurrence[]): SilenceScheduleWire {
  return {
    id: s.id,
    matchers: s.matchers.map((m) => matcherToApi(createMatcher(m.type, m.name, m.value))),
    ...(s.cron !== undefined ? { cron: s.cron } : { rrule: s.rrule ?? '' }),
    duration: formatDuration(s.duration),
    timeZone: s.timeZone,
    startsAt: formatApiTime(s.startsAt),
    createdBy: s.createdBy,
    comment: s.comment,
    createdAt: formatApiTime(s.createdAt),
    nextOccurrences: next.map(occurrenceJson),
  };
}

function count(req: Request, dflt: number): number {
  const raw = req.query.count;
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw bad('count', 'must be an integer from 1 to 100');
  return n;
}

export function silenceScheduleRoutes(deps: SilenceScheduleRoutesDeps): Router {
  const router = express.Router();
  const limits = deps.requestLimits ?? DEFAULT_REQUEST_LIMITS;
  const base = '/tocsin/silence-schedules';

  router.post(base, async (req: Request, res: Response) => {
    try {
      const s = await deps.scheduler.add(decodeScheduleBody(await readJsonText(req, limits)));
      sendJson(res, 200, JSON.stringify({ scheduleID: s.id }));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.post(`${base}/preview`, async (req: Request, res: Response) => {
    try {
      const n = count(req, 5);
      const occurrences = deps.scheduler.preview(decodeScheduleBody(await readJsonText(req, limits)), n);
      sendJson(res, 200, JSON.stringify({ occurrences: occurrences.map(occurrenceJson) }));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get(base, (req: Request, res: Response) => {
    try {
      const n = count(req, 3);
      sendJson(res, 200, JSON.stringify(deps.scheduler.list().map((s) => scheduleJson(s, deps.scheduler.occurrences(s.id, n)))));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get(`${base}/:id`, (req: Request, res: Response) => {
    try {
      const s = deps.scheduler.get(String(req.params.id));
      if (!s) throw new ApiError(404, 'silence schedule not found');
      sendJson(res, 200, JSON.stringify(scheduleJson(s, deps.scheduler.occurrences(s.id, count(req, 3)))));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete(`${base}/:id`, async (req: Request, res: Response) => {
    try {
      const expireActive = req.query.expireActive === 'true' || req.query.expireActive === '1';
      const user = authUser(res);
      const expired = await deps.scheduler.delete(String(req.params.id), { expireActive, ...(user ? { user } : {}) });
      sendJson(res, 200, JSON.stringify({ expiredSilences: expired }));
    } catch (e) {
      sendError(res, e);
    }
  });

  return router;
}
