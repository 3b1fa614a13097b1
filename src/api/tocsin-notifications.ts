/**
 * @module api/tocsin-notifications
 * The persistent outbox's API (issue 15), under /api/v2/tocsin/:
 * - GET notifications: stored notifications, newest first, one page per call: `state` (pending | dead),
 *   `receiver`, `limit` (1..1000, default 100), `cursor` (the `next` of the previous page).
 *   Body `{"notifications": [...], "next": ...}`.
 * - GET notifications/{id}: one of them.
 * - POST notifications/{id}/replay: sends a dead letter again, once, now (a new attempt number); 200 with
 *   `{"delivered": bool, "notification": ...}` (delivered: it left the outbox; else a dead letter again, with the
 *   new error); 404 unknown id; 409 not a dead letter, or its integration is not in the current config.
 * - DELETE notifications/{id}: discards a dead letter (200); 404 unknown id; 409 not a dead letter.
 * Bad input answers 400 naming the parameter.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { formatApiTime } from '../go/strfmt-time';
import { type Outbox, ReplayError } from '../pipeline/outbox';
import type { OutboxEntry, OutboxStorage } from '../pipeline/outbox-storage';
import type { OutboxNotificationWire, OutboxPageWire, OutboxReplayWire } from '../wire/notifications';
import { ApiError, sendError } from './errors';
import { queryList } from './query-params';
import { sendJson } from './respond';

export interface NotificationRoutesDeps {
  /** absent: no outbox (PostgreSQL replicas): the list is empty and every id is unknown */
  outbox?: { outbox: Outbox; storage: OutboxStorage };
}

export const MAX_NOTIFICATIONS_LIMIT = 1000;

export function outboxNotificationJson(e: OutboxEntry): OutboxNotificationWire {
  const n = e.notification;
  return {
    id: e.id,
    state: e.state,
    receiver: n.receiver,
    integration: n.integration,
    index: n.index,
    groupKey: n.groupKey,
    groupLabels: { ...n.groupLabels },
    reason: n.notificationReason ?? 'unknown',
    flushedAt: formatApiTime(n.now),
    createdAt: formatApiTime(e.createdAt),
    deadline: formatApiTime(e.deadlineAt),
    ...(e.state === 'pending' ? { nextAttemptAt: formatApiTime(e.nextAttemptAt) } : {}),
    attempts: e.attempts,
    ...(e.lastError !== undefined ? { lastError: e.lastError } : {}),
    updatedAt: formatApiTime(e.updatedAt),
    firing: n.firing.length,
    resolved: n.resolved.length,
    alerts: n.alerts.map((a) => a.labels.alertname ?? a.fingerprint),
    payload: {
      requests: e.payload.length,
      bytes: e.payload.reduce((s, r) => s + Buffer.byteLength(r.body), 0),
      sha256: e.payload.map((r) => createHash('sha256').update(r.body).digest('hex')),
    },
  };
}

function one(q: Request['query'], name: string): string | undefined {
  const v = q[name];
  return v === undefined ? undefined : queryList(v).at(-1);
}

function parseId(v: string | undefined): number {
  if (v === undefined || !/^\d{1,15}$/.test(v)) throw new ApiError(400, `bad id: ${JSON.stringify(v ?? '')} is not a notification id (a whole number)`);
  return Number(v);
}

function encodeCursor(before: number): string {
  return Buffer.from(String(before)).toString('base64url');
}

function decodeCursor(s: string): number {
  const t = Buffer.from(s, 'base64url').toString();
  if (!/^\d{1,15}$/.test(t)) throw new ApiError(400, `bad cursor: ${JSON.stringify(s)} is not a cursor from a previous page`);
  return Number(t);
}

export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const router = express.Router();

  const get = async (id: number): Promise<OutboxEntry> => {
    const e = await deps.outbox?.storage.get(id);
    if (!e) throw new ApiError(404, `notification ${id} not found`);
    return e;
  };

  router.get('/tocsin/notifications', async (req: Request, res: Response) => {
    try {
      const state = one(req.query, 'state');
      if (state !== undefined && state !== 'pending' && state !== 'dead') throw new ApiError(400, `bad state: ${JSON.stringify(state)} is not one of pending, dead`);
      const limitText = one(req.query, 'limit');
      const limit = limitText === undefined ? 100 : Number(limitText);
      if (limitText !== undefined && (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_NOTIFICATIONS_LIMIT)) {
        throw new ApiError(400, `bad limit: ${JSON.stringify(limitText)} is not a whole number from 1 to ${MAX_NOTIFICATIONS_LIMIT}`);
      }
      const receiver = one(req.query, 'receiver');
      const cursor = one(req.query, 'cursor');
      const before = cursor ? decodeCursor(cursor) : undefined;
      const page = deps.outbox
        ? await deps.outbox.storage.list({ limit, ...(state ? { state } : {}), ...(receiver ? { receiver } : {}), ...(before !== undefined ? { before } : {}) })
        : { entries: [] };
      const body: OutboxPageWire = { notifications: page.entries.map(outboxNotificationJson), next: page.next !== undefined ? encodeCursor(page.next) : null };
      sendJson(res, 200, JSON.stringify(body));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/tocsin/notifications/:id', async (req: Request, res: Response) => {
    try {
      sendJson(res, 200, JSON.stringify(outboxNotificationJson(await get(parseId(req.params.id as string | undefined)))));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.post('/tocsin/notifications/:id/replay', async (req: Request, res: Response) => {
    try {
      const id = parseId(req.params.id as string | undefined);
      if (!deps.outbox) throw new ApiError(404, `notification ${id} not found`);
      const r = await deps.outbox.outbox.replay(id);
      const body: OutboxReplayWire = { delivered: r.delivered, notification: outboxNotificationJson(r.entry) };
      sendJson(res, 200, JSON.stringify(body));
    } catch (e) {
      sendError(res, e instanceof ReplayError ? new ApiError(e.status, e.message) : e);
    }
  });

  router.delete('/tocsin/notifications/:id', async (req: Request, res: Response) => {
    try {
      const id = parseId(req.params.id as string | undefined);
      const e = await get(id);
      if (e.state !== 'dead' || !(await deps.outbox!.outbox.discard(id))) throw new ApiError(409, `notification ${id} is ${e.state}; only a dead letter can be discarded`);
      sendJson(res, 200, JSON.stringify(outboxNotificationJson(e)));
    } catch (e) {
      sendError(res, e);
    }
  });

  return router;
}
