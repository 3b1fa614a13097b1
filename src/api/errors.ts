/**
 * The one place that turns an API error into a response (STYLE.md 5.3). Handlers throw (or pass to `sendError`)
 * an `ApiError` naming the status and the shape upstream writes for it:
 * - `swagger`: go-swagger framework errors, `{"code":N,"message":"..."}` without a newline (415, 404, 405, 422, 413);
 * - `string`: handler errors, a JSON string with a newline (`"at least one label pair required"`);
 * - `empty`: no body (e.g. 404 for GET /silence/{id});
 * - `text`: plain text with the message as is (health, reload and limit answers).
 * Other errors map by class: NotFoundError -> 404, other AmErrors -> 400, anything else -> 500, as JSON strings.
 */
import type { ServerResponse } from 'node:http';
import { AmError, NotFoundError } from '../types/errors';
import { goJsonString, sendJson, writeJson } from './respond';
import { StorageUnavailableError } from '../store/storage';

/** `json`: the message is a JSON document written as is (the v1 deprecation body). */
export type ErrorShape = 'swagger' | 'string' | 'empty' | 'text' | 'json';

export class ApiError extends AmError {
  readonly status: number;
  readonly shape: ErrorShape;
  /** the `code` of a swagger body (go-openapi's 601/602 for schema errors; else the status) */
  readonly swaggerCode: number;
  /** ask the client to close the connection (a body left unread) */
  readonly closeConnection: boolean;
  /** extra response headers (e.g. Allow) */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    opts: { shape?: ErrorShape; swaggerCode?: number; closeConnection?: boolean; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super('AM_ERR_API', message, { cause: opts.cause });
    this.status = status;
    this.shape = opts.shape ?? 'string';
    this.swaggerCode = opts.swaggerCode ?? status;
    this.closeConnection = opts.closeConnection ?? false;
    this.headers = opts.headers ?? {};
  }
}

/** A go-swagger framework error (`{"code":N,"message":"..."}`). */
export function swaggerError(status: number, message: string, swaggerCode = status): ApiError {
  return new ApiError(status, message, { shape: 'swagger', swaggerCode });
}

/** The ApiError an error thrown by a handler stands for. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof NotFoundError) return new ApiError(404, message);
  if (e instanceof AmError) return new ApiError(400, message);
  // shared storage (PostgreSQL) unreachable: Prometheus and amtool retry a 503
  if (e instanceof StorageUnavailableError) return new ApiError(503, message);
  return new ApiError(500, message, { cause: e });
}

/**
 * Writes the error's response (nothing when headers were already sent), with plain node:http calls: for Express
 * routes and the lean routes (src/api/lean-routes.ts) alike.
 */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) return;
  const e = toApiError(err);
  if (e.closeConnection) res.setHeader('Connection', 'close');
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  switch (e.shape) {
    case 'swagger':
      writeJson(res, e.status, `{"code":${e.swaggerCode},"message":${goJsonString(e.message)}}`);
      return;
    case 'string':
      sendJson(res, e.status, goJsonString(e.message));
      return;
    case 'json':
      writeJson(res, e.status, e.message);
      return;
    case 'empty':
      res.statusCode = e.status;
      res.end();
      return;
    case 'text':
      // what express's res.type(...).send(text) wrote (ETags are off)
      res.statusCode = e.status;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Length', String(Buffer.byteLength(e.message, 'utf8')));
      if (res.req?.method === 'HEAD') res.end();
      else res.end(e.message);
      return;
  }
}
