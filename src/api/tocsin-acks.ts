/**
 * @module api/tocsin-acks
 * Acknowledgements (Tocsin only, issue 16):
 *   POST /api/v2/tocsin/acks {"groupKey","receiver","createdBy","comment","endsAt"?} -> 200 {"ackID"}
 *   GET /api/v2/tocsin/acks[?groupKey=&receiver=&active=false] -> the acks, newest first (active only by default)
 *   GET /api/v2/tocsin/acks/{id}, DELETE /api/v2/tocsin/acks/{id}
 * A malformed body answers 400 naming the field; a groupKey with no live group on that receiver answers 404.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Acks } from '../ack/acks';
import type { Ack } from '../ack/types';
import { GoTimeError, parseStrfmtDateTime } from '../go/strfmt-time';
import type { Alert } from '../types/alert';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import { AUTH_USER } from '../web/basic-auth';
import { ackJson } from './ack-json';
import { ApiError, sendError } from './errors';
import { readJsonText } from './json-body';
import { queryBool } from './query-params';
import { sendJson } from './respond';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './types';

export interface AckRoutesDeps {
  acks: Acks;
  clock: Clock;
  logger: Logger;
  /** the alerts of the live group with this key on this receiver, or undefined when there is none */
  groupAlerts(groupKey: string, receiver: string): Iterable<Alert> | undefined;
  requestLimits?: RequestLimits | undefined;
  /** called once an ack is stored (the app stops the group's escalation) */
  onCreated?(ack: Ack): Promise<void>;
}

export interface AckBody {
  groupKey: string;
  receiver: string;
  createdBy: string;
  comment: string;
  endsAt?: number;
}

function field(o: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) throw new ApiError(400, `${name}: required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ApiError(400, `${name}: must be a string`);
  if (required && v.trim() === '') throw new ApiError(400, `${name}: must not be empty`);
  return v;
}

/** Decodes and checks a POST body; throws a 400 ApiError naming the field. */
export function decodeAckBody(text: string, now: number): AckBody {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `body: not JSON (${(e as Error).message})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ApiError(400, 'body: must be a JSON object');
  const b = o as Record<string, unknown>;
  const known = new Set(['groupKey', 'receiver', 'createdBy', 'comment', 'endsAt']);
  for (const k of Object.keys(b)) if (!known.has(k)) throw new ApiError(400, `${k}: unknown field`);
  const endsText = field(b, 'endsAt', false);
  let endsAt: number | undefined;
  if (endsText !== undefined && endsText !== '') {
    try {
      endsAt = parseStrfmtDateTime(endsText);
    } catch (e) {
      throw new ApiError(400, `endsAt: ${e instanceof GoTimeError ? e.message : String(e)}`);
    }
    if (endsAt <= now) throw new ApiError(400, 'endsAt: must be in the future');
  }
  return {
    groupKey: field(b, 'groupKey', true)!,
    receiver: field(b, 'receiver', true)!,
    createdBy: field(b, 'createdBy', true)!,
    comment: field(b, 'comment', true)!,
    ...(endsAt !== undefined ? { endsAt } : {}),
  };
}

function authUser(res: Response): string | undefined {
  const u: unknown = res.locals[AUTH_USER];
  return typeof u === 'string' ? u : undefined;
}

export function ackRoutes(deps: AckRoutesDeps): Router {
  const router = express.Router();
  const limits = deps.requestLimits ?? DEFAULT_REQUEST_LIMITS;

  router.post('/tocsin/acks', async (req: Request, res: Response) => {
    try {
      const body = decodeAckBody(await readJsonText(req, limits), deps.clock.now());
      const alerts = deps.groupAlerts(body.groupKey, body.receiver);
      if (!alerts) throw new ApiError(404, `groupKey: no alert group ${JSON.stringify(body.groupKey)} on receiver ${JSON.stringify(body.receiver)}`);
      const ack = await deps.acks.create(body, alerts, authUser(res));
      await deps.onCreated?.(ack);
      deps.logger.info({ ackID: ack.id, groupKey: ack.groupKey, receiver: ack.receiver, createdBy: ack.createdBy }, 'Group acknowledged');
      sendJson(res, 200, JSON.stringify({ ackID: ack.id }));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/tocsin/acks', (req: Request, res: Response) => {
    const q = req.query;
    const one = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[v.length - 1]) : undefined);
    const groupKey = one(q.groupKey);
    const receiver = one(q.receiver);
    const list = deps.acks.list({ ...(groupKey !== undefined ? { groupKey } : {}), ...(receiver !== undefined ? { receiver } : {}), active: queryBool(q.active, true) });
    sendJson(res, 200, JSON.stringify(list.map(ackJson)));
  });

  router.get('/tocsin/acks/:id', (req: Request, res: Response) => {
    const a = deps.acks.get(String(req.params.id));
    if (!a) sendError(res, new ApiError(404, `ack ${JSON.stringify(req.params.id)} not found`));
    else sendJson(res, 200, JSON.stringify(ackJson(a)));
  });

  router.delete('/tocsin/acks/:id', async (req: Request, res: Response) => {
    try {
      const a = await deps.acks.delete(String(req.params.id), authUser(res));
      if (!a) throw new ApiError(404, `ack ${JSON.stringify(req.params.id)} not found`);
      sendJson(res, 200, JSON.stringify(ackJson(a)));
    } catch (e) {
      sendError(res, e);
    }
  });
  return router;
}
