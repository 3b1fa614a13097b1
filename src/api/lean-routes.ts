/**
 * @module api/lean-routes
 * Hot API routes answered by plain node:http handlers in front of Express (issue 17). Express 5 costs about
 * 0.15 ms of CPU per request on the bench machine even for a route mounted first: it swaps the request's and the
 * response's prototypes (express/lib/application.js `handle`), which also makes node:http's own code slower for
 * that request, and walks its router layers with a promise per handler. A POST /api/v2/silences needs less than
 * that in all. The lean routes: POST /api/v2/alerts (Prometheus's, the busiest; added by src/api/server.ts) and
 * POST /api/v2/silences (src/api/silences.ts).
 *
 * A lean route takes exactly one method and path under `<prefix>/api/v2` (any query string); everything else,
 * including case or trailing-slash variants of its path, goes to Express as before. For its requests the
 * dispatcher does what the Express stack does, in the same order (src/api/server.ts supplies the steps it shares
 * with its middleware): the HTTP metrics, the `before` handlers (--web.config.file: basic auth, extra headers),
 * then the /api/v2 steps (Cache-Control, CORS, --web.timeout), then the route's handler with the authenticated
 * user. GET routes stay in Express (its GET concurrency limit); a route's handler answers its own errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';
import type { Logger } from '../types/logger';
import { AUTH_USER } from '../web/basic-auth';
import { sendError } from './errors';

/** Answers one request; `user` is the basic-auth user when basic auth is on (recorded in the history). */
export type LeanHandler = (req: IncomingMessage, res: ServerResponse, user: string | undefined) => Promise<void>;

export interface LeanRoute {
  method: 'POST' | 'PUT' | 'DELETE';
  /** the path under /api/v2, matched exactly (e.g. `/silences`) */
  path: string;
  handle: LeanHandler;
}

export interface LeanDispatchOptions {
  /** "" or the route prefix ("/x") */
  prefix: string;
  routes: readonly LeanRoute[];
  /** first step of every request: its HTTP metrics (`path` without the prefix) */
  observe(req: IncomingMessage, res: ServerResponse, path: string): void;
  /** the app-level handlers run before any route (web config); Express middleware */
  before: readonly RequestHandler[];
  /** the app whose request/response prototypes `before` handlers expect (read only when there are some) */
  app: Pick<Express, 'request' | 'response'>;
  /** the steps of every /api/v2 request before its route (headers, timeout) */
  api(req: IncomingMessage, res: ServerResponse): void;
  logger: Logger;
}

type Dispatch = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A function that answers a lean route's request and returns true, or returns false for Express to answer. */
export function leanDispatcher(o: LeanDispatchOptions): Dispatch {
  const byKey = new Map(o.routes.map((r) => [`${r.method} ${o.prefix}/api/v2${r.path}`, r]));
  const failed = (res: ServerResponse, err: unknown) => {
    o.logger.error({ err }, 'HTTP handler failed');
    sendError(res, err);
  };
  const answer = (route: LeanRoute, req: IncomingMessage, res: ServerResponse) => {
    o.api(req, res);
    const locals = (res as { locals?: Record<string, unknown> }).locals;
    const user = locals?.[AUTH_USER];
    route.handle(req, res, typeof user === 'string' ? user : undefined).catch((e: unknown) => failed(res, e));
  };
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = byKey.get(`${req.method} ${q < 0 ? url : url.slice(0, q)}`);
    if (!route) return false;
    o.observe(req, res, route.path === '' ? '/api/v2' : `/api/v2${route.path}`);
    if (o.before.length === 0) answer(route, req, res);
    else runBefore(o, req, res, () => answer(route, req, res), (e) => failed(res, e));
    return true;
  };
}

/**
 * Runs the `before` handlers as Express would (they are Express middleware: res.status(), res.locals): with the
 * request set up as express/lib/application.js `handle` sets it up, then `done`, or `fail` with an error passed on.
 */
function runBefore(o: LeanDispatchOptions, req: IncomingMessage, res: ServerResponse, done: () => void, fail: (e: unknown) => void): void {
  const r = req as IncomingMessage & { res?: ServerResponse };
  const s = res as ServerResponse & { locals?: Record<string, unknown> };
  r.res = res;
  Object.setPrototypeOf(req, o.app.request);
  Object.setPrototypeOf(res, o.app.response);
  s.locals ??= Object.create(null) as Record<string, unknown>;
  let i = 0;
  const next = (err?: unknown): void => {
    if (err !== undefined) {
      fail(err);
      return;
    }
    const h = o.before[i++];
    if (!h) {
      done();
      return;
    }
    try {
      void h(req as Parameters<RequestHandler>[0], res as Parameters<RequestHandler>[1], next);
    } catch (e) {
      fail(e);
    }
  };
  next();
}
