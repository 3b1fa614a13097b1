/**
 * Silence endpoints of API v2 (upstream api/v2/api.go get/post/delete silence handlers, api/v2/compat.go), mounted
 * by the server under /api/v2:
 *   GET /silences (filter, active, pending, expired), POST /silences, GET|DELETE /silence/{silenceID}.
 * Status codes and texts follow upstream: handler errors are JSON strings, go-swagger errors `{"code","message"}`.
 */
import { StorageUnavailableError } from '../store/storage';
import { AUTH_USER } from '../web/basic-auth';
import express, { type Request, type Response, type Router } from 'express';
import { matcherEquals, matcherToApi, matchTypeFromApi } from '../matchers/matcher';
import { DEFAULT_PARSE_MODE, type MatcherParseMode, parseMatcher } from '../matchers/parse';
import type { Matcher } from '../matchers/types';
import type { Silences } from '../silence/silences';
import { apiSilenceState, type Silence, type SilenceInput, type SilenceMatcherInput, type SilenceState } from '../silence/types';
import { type Clock, systemClock } from '../types/clock';
import { NotFoundError } from '../types/errors';
import { goQuote } from '../types/labels';
import type { Logger } from '../types/logger';
import { goJsonKind, scanGoJson } from '../go/json-scan';
import { formatApiTime, GoTimeError, parseStrfmtDateTime } from '../go/strfmt-time';
import { ApiError, sendError, swaggerError } from './errors';
import { readJsonText } from './json-body';
import type { LeanHandler, LeanRoute } from './lean-routes';
import { queryBool } from './query-params';
import { goJsonString, labelSetJson, sendJson } from './respond';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './types';

export interface SilenceRoutesDeps {
  silences: Silences;
  /** shared storage: the write of the last silences call, awaited before answering (see ApiDeps.durable) */
  durable?(): Promise<void> | undefined;
  logger: Logger;
  /** defaults to systemClock; pass the Silences' clock */
  clock?: Clock | undefined;
  /** parser for `filter` (from --enable-feature); default fallback */
  matcherMode?: MatcherParseMode | undefined;
  /** body size limits (default DEFAULT_REQUEST_LIMITS) */
  requestLimits?: RequestLimits | undefined;
  /**
   * tocsin.yml silences.warn_mute_share: the warning for a silence just created or updated, if it mutes too many
   * firing alerts; answered in the POST's extra `warnings` field (Go clients ignore it)
   */
  muteWarning?(silenceId: string): string | undefined;
}

/** the basic-auth user who made the request, when basic auth is on (recorded in the history) */
export function authUser(res: Response): string | undefined {
  const u: unknown = res.locals[AUTH_USER];
  return typeof u === 'string' ? u : undefined;
}

// strfmt UUID
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const STATE_ORDER: Record<SilenceState, number> = { active: 1, pending: 2, expired: 3 };

// --- JSON -----------------------------------------------------------------------------------------------------

function matcherJson(m: Matcher): string {
  const { isEqual, isRegex } = matcherToApi(m);
  return `{"isEqual":${isEqual},"isRegex":${isRegex},"name":${goJsonString(m.name)},"value":${goJsonString(m.value)}}`;
}

class MultipleSetsError extends Error {}

/** gettableSilence as go-swagger writes it: own fields (id, status, updatedAt), then the silence's, by name. */
export function gettableSilenceJson(s: Silence, state: SilenceState): string {
  if (s.matcherSets.length > 1) {
    throw new MultipleSetsError(`silence '${s.id}' has multiple matcher sets which is not supported by this API version`);
  }
  const matchers = (s.matcherSets[0] ?? []).map(matcherJson).join(',');
  const ann = Object.keys(s.annotations).length > 0 ? `"annotations":${labelSetJson(s.annotations)},` : '';
  return (
    `{"id":${goJsonString(s.id)},"status":{"state":"${state}"},"updatedAt":"${formatApiTime(s.updatedAt)}",` +
    `${ann}"comment":${goJsonString(s.comment)},"createdBy":${goJsonString(s.createdBy)},` +
    `"endsAt":"${formatApiTime(s.endsAt)}","matchers":[${matchers}],"startsAt":"${formatApiTime(s.startsAt)}"}`
  );
}

/** Upstream SortSilences: active by endsAt ascending, then pending by startsAt, then expired by endsAt descending. */
export function sortSilences(items: { s: Silence; state: SilenceState }[]): void {
  items.sort((a, b) => {
    if (a.state !== b.state) return STATE_ORDER[a.state] - STATE_ORDER[b.state];
    if (a.state === 'active') return a.s.endsAt - b.s.endsAt;
    if (a.state === 'pending') return a.s.startsAt - b.s.startsAt;
    return b.s.endsAt - a.s.endsAt;
  });
}

/** Upstream CheckSilenceMatchesFilterLabels: every filter matcher appears verbatim in one of the silence's sets. */
export function silenceHasFilterMatchers(s: Silence, filters: readonly Matcher[]): boolean {
  return s.matcherSets.some((set) =>
    filters.every((f) => set.some((m) => matcherEquals(m, f))),
  );
}

// --- body decoding (go-swagger: JSON decode 400, then schema validation 422) ------------------------------------

type Refusal = { status: number; code: number; message: string };

class DecodeError extends Error {}

interface DecodedSilence {
  input: SilenceInput;
}

function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new DecodeError(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type string`);
  return v;
}

function bool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new DecodeError(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type bool`);
  return v;
}

function time(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new DecodeError(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type string`);
  try {
    return parseStrfmtDateTime(v);
  } catch (e) {
    if (e instanceof GoTimeError) throw new DecodeError(e.message);
    throw e;
  }
}

function parseFailure(message: string): Refusal {
  return { status: 400, code: 400, message: `parsing silence body from "" failed, because ${message}` };
}

/** Decodes a postableSilence body; returns a refusal (400/422) in go-swagger's words, or the silence input. */
export function decodePostableSilence(text: string): Refusal | DecodedSilence {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const scan = scanGoJson(text);
    if (!scan.ok) return parseFailure(scan.message);
    if (scan.empty) return { status: 422, code: 602, message: 'silence in body is required' };
    doc = JSON.parse(text.slice(0, scan.end));
  }
  if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
    // go-swagger decodes the allOf parts separately; the first is the anonymous `id` struct [0.25 observed]
    return parseFailure(
      `json: cannot unmarshal ${goJsonKind(doc)} into Go value of type struct { ID string "json:\\"id,omitempty\\"" }`,
    );
  }
  const o = (doc ?? {}) as Record<string, unknown>;
  let id: string | undefined;
  let comment: string | undefined;
  let createdBy: string | undefined;
  let startsAt: number | undefined;
  let endsAt: number | undefined;
  let annotations: Record<string, string> | undefined;
  let matchers: ({ name?: string; value?: string; isRegex?: boolean; isEqual?: boolean } | null)[] | undefined;
  try {
    id = str(o.id, '.id');
    comment = str(o.comment, 'Silence.comment');
    createdBy = str(o.createdBy, 'Silence.createdBy');
    startsAt = time(o.startsAt, 'Silence.startsAt');
    endsAt = time(o.endsAt, 'Silence.endsAt');
    if (o.annotations !== undefined && o.annotations !== null) {
      if (typeof o.annotations !== 'object' || Array.isArray(o.annotations)) {
        throw new DecodeError(`json: cannot unmarshal ${goJsonKind(o.annotations)} into Go struct field Silence.annotations of type models.LabelSet`);
      }
      annotations = {};
      for (const [k, v] of Object.entries(o.annotations as Record<string, unknown>)) {
        annotations[k] = str(v, `Silence.annotations`) ?? '';
      }
    }
    if (o.matchers !== undefined && o.matchers !== null) {
      if (!Array.isArray(o.matchers)) {
        throw new DecodeError(`json: cannot unmarshal ${goJsonKind(o.matchers)} into Go struct field Silence.matchers of type models.Matchers`);
      }
      matchers = o.matchers.map((raw) => {
        if (raw === null) return null;
        if (typeof raw !== 'object' || Array.isArray(raw)) {
          throw new DecodeError(`json: cannot unmarshal ${goJsonKind(raw)} into Go struct field Silence.matchers of type models.Matcher`);
        }
        const m = raw as Record<string, unknown>;
        const out: { name?: string; value?: string; isRegex?: boolean; isEqual?: boolean } = {};
        const name = str(m.name, 'Matcher.matchers.name');
        const value = str(m.value, 'Matcher.matchers.value');
        const isRegex = bool(m.isRegex, 'Matcher.matchers.isRegex');
        const isEqual = bool(m.isEqual, 'Matcher.matchers.isEqual');
        if (name !== undefined) out.name = name;
        if (value !== undefined) out.value = value;
        if (isRegex !== undefined) out.isRegex = isRegex;
        if (isEqual !== undefined) out.isEqual = isEqual;
        return out;
      });
    }
  } catch (e) {
    if (e instanceof DecodeError) return parseFailure(e.message);
    throw e;
  }

  // Schema validation, in the generated model's field order.
  const errs: { code: number; message: string }[] = [];
  if (comment === undefined) errs.push({ code: 602, message: 'comment in body is required' });
  if (createdBy === undefined) errs.push({ code: 602, message: 'createdBy in body is required' });
  if (endsAt === undefined) errs.push({ code: 602, message: 'endsAt in body is required' });
  if (matchers === undefined) errs.push({ code: 602, message: 'matchers in body is required' });
  else if (matchers.length < 1) errs.push({ code: 612, message: 'matchers in body should have at least 1 items' });
  else {
    matchers.forEach((m, i) => {
      if (m === null) return;
      if (m.isRegex === undefined) errs.push({ code: 602, message: `matchers.${i}.isRegex in body is required` });
      if (m.name === undefined) errs.push({ code: 602, message: `matchers.${i}.name in body is required` });
      if (m.value === undefined) errs.push({ code: 602, message: `matchers.${i}.value in body is required` });
    });
  }
  if (startsAt === undefined) errs.push({ code: 602, message: 'startsAt in body is required' });
  // Only the first problem is reported [0.25 observed: comment and createdBy missing -> comment only].
  if (errs.length > 0) return { status: 422, code: errs[0]!.code, message: errs[0]!.message };

  // PostableSilenceToProto: one matcher set; isEqual defaults to true.
  const set: SilenceMatcherInput[] = [];
  for (const m of matchers!) {
    if (m === null) continue;
    set.push({ type: matchTypeFromApi(m.isRegex === true, m.isEqual), name: m.name!, value: m.value! });
  }
  return {
    input: {
      id: id || undefined,
      matcherSets: [set],
      startsAt: startsAt!,
      endsAt: endsAt!,
      createdBy: createdBy!,
      comment: comment!,
      annotations: annotations ?? {},
    },
  };
}

// --- routes ---------------------------------------------------------------------------------------------------

/**
 * POST /silences (upstream postSilencesHandler): creates or updates a silence and answers once it is durable
 * (Silences.setDurably: one group commit for the POSTs arriving together). Plain node:http, so that the same
 * handler serves the Express route and the lean route (src/api/lean-routes.ts).
 */
function postSilence(deps: SilenceRoutesDeps): LeanHandler {
  const clock = deps.clock ?? systemClock;
  const limits = deps.requestLimits ?? DEFAULT_REQUEST_LIMITS;
  return async (req, res, user) => {
    try {
      const decoded = decodePostableSilence(await readJsonText(req, limits));
      if ('status' in decoded) throw swaggerError(decoded.status, decoded.message, decoded.code);
      const sil = decoded.input;
      if (sil.startsAt >= sil.endsAt) throw new ApiError(400, 'Failed to create silence: start time must be before end time');
      if (sil.endsAt < clock.now()) throw new ApiError(400, "Failed to create silence: end time can't be in the past");
      let id: string;
      try {
        id = await deps.silences.setDurably(sil, user);
      } catch (e) {
        deps.logger.error({ err: e }, 'Failed to create silence');
        throw e;
      }
      const warning = deps.muteWarning?.(id);
      sendJson(res, 200, `{"silenceID":${goJsonString(id)}${warning ? `,"warnings":[${goJsonString(warning)}]` : ''}}`);
    } catch (e) {
      sendError(res, e);
    }
  };
}

/** The silence routes served in front of Express (src/api/lean-routes.ts): POST /silences. */
export function silenceLeanRoutes(deps: SilenceRoutesDeps): LeanRoute[] {
  return [{ method: 'POST', path: '/silences', handle: postSilence(deps) }];
}

export function silenceRoutes(deps: SilenceRoutesDeps): Router {
  const router = express.Router();
  const clock = deps.clock ?? systemClock;
  const mode = deps.matcherMode ?? DEFAULT_PARSE_MODE;

  router.get('/silences', (req: Request, res: Response) => {
    const params = new URL(req.originalUrl, 'http://localhost').searchParams;
    const filters: Matcher[] = [];
    try {
      for (const f of params.getAll('filter')) filters.push(parseMatcher(f, { mode, logger: deps.logger, origin: 'api' }));
    } catch (e) {
      deps.logger.debug({ err: e }, 'Failed to parse matchers');
      sendError(res, new ApiError(400, (e as Error).message));
      return;
    }
    const states: SilenceState[] = [];
    if (queryBool(params.getAll('active'), true)) states.push('active');
    if (queryBool(params.getAll('expired'), true)) states.push('expired');
    if (queryBool(params.getAll('pending'), true)) states.push('pending');
    const now = clock.now();
    const items: { s: Silence; state: SilenceState }[] = [];
    for (const s of deps.silences.query({ states })) {
      if (filters.length > 0 && !silenceHasFilterMatchers(s, filters)) continue;
      items.push({ s, state: apiSilenceState(s, now) });
    }
    sortSilences(items);
    try {
      sendJson(res, 200, `[${items.map((x) => gettableSilenceJson(x.s, x.state)).join(',')}]`);
    } catch (e) {
      deps.logger.error({ err: e }, 'Failed to unmarshal silence from proto');
      sendError(res, new ApiError(500, (e as Error).message));
    }
  });

  const post = postSilence(deps);
  router.post('/silences', (req: Request, res: Response) => post(req, res, authUser(res)));

  const checkId = (id: string): void => {
    if (!UUID_RE.test(id)) throw swaggerError(422, `silenceID in path must be of type uuid: ${goQuote(id)}`, 601);
  };

  router.get('/silence/:silenceID', (req: Request, res: Response) => {
    try {
      const id = String(req.params.silenceID);
      checkId(id);
      const s = deps.silences.get(id);
      if (!s) throw new ApiError(404, 'silence not found', { shape: 'empty' });
      let body: string;
      try {
        body = gettableSilenceJson(s, apiSilenceState(s, clock.now()));
      } catch (e) {
        deps.logger.error({ err: e }, 'Failed to convert unmarshal from proto');
        throw new ApiError(500, (e as Error).message);
      }
      sendJson(res, 200, body);
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete('/silence/:silenceID', async (req: Request, res: Response) => {
    try {
      const id = String(req.params.silenceID);
      checkId(id);
      try {
        // SQLite's writer thread: the expiry's commit; PostgreSQL: the shared store's write (durable())
        await deps.silences.expire(id, authUser(res));
        await deps.durable?.();
      } catch (e) {
        deps.logger.error({ err: e }, 'Failed to expire silence');
        if (e instanceof NotFoundError) throw new ApiError(404, e.message, { shape: 'empty' });
        throw new ApiError(e instanceof StorageUnavailableError ? 503 : 500, (e as Error).message);
      }
      res.status(200).end();
    } catch (e) {
      sendError(res, e);
    }
  });

  return router;
}
