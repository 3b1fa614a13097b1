/**
 * @module api/silence-audit
 * GET /api/v2/tocsin/silences/{silenceID}/audit: a silence's life (src/silence/audit.ts), oldest first, as
 * `{"silenceID", "events": [{time, action, user?, changes, silence, replaces?, replacedBy?}]}`. 404 when neither
 * the silence nor a trail is known.
 */
import express, { type Request, type Response, type Router } from 'express';
import { formatApiTime } from '../go/strfmt-time';
import type { SilenceAuditEntry } from '../silence/audit';
import type { Silences } from '../silence/silences';
import type { SilenceAuditEventWire, SilenceAuditWire } from '../wire/silence-schedules';
import { ApiError, sendError } from './errors';
import { sendJson } from './respond';

const isTime = (k: string) => k === 'startsAt' || k === 'endsAt';

export function auditEventJson(e: SilenceAuditEntry): SilenceAuditEventWire {
  const changes: SilenceAuditEventWire['changes'] = {};
  for (const [k, v] of Object.entries(e.changes)) {
    changes[k] = isTime(k) ? { from: formatApiTime(v.from as number), to: formatApiTime(v.to as number) } : v;
  }
  return {
    time: formatApiTime(e.time),
    action: e.action,
    ...(e.user ? { user: e.user } : {}),
    changes,
    silence: { ...e.silence, startsAt: formatApiTime(e.silence.startsAt), endsAt: formatApiTime(e.silence.endsAt) },
    ...(e.replaces ? { replaces: e.replaces } : {}),
    ...(e.replacedBy ? { replacedBy: e.replacedBy } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
  };
}

export function silenceAuditRoutes(deps: { silences: Silences }): Router {
  const router = express.Router();
  router.get('/tocsin/silences/:silenceID/audit', async (req: Request, res: Response) => {
    try {
      const id = String(req.params.silenceID);
      const events = await deps.silences.audit(id);
      if (events.length === 0 && !deps.silences.get(id)) throw new ApiError(404, 'silence not found');
      const body: SilenceAuditWire = { silenceID: id, events: events.map(auditEventJson) };
      sendJson(res, 200, JSON.stringify(body));
    } catch (e) {
      sendError(res, e);
    }
  });
  return router;
}
