/**
 * CORS on /api/v2 as upstream (api/v2/api.go wraps the API in rs/cors' Default handler): any origin, methods
 * GET/POST/HEAD, request headers Origin, Accept, Content-Type and X-Requested-With only. A preflight asking for
 * another method or header is answered 200 without any Access-Control-Allow-* header (the browser then refuses
 * the request), as Alertmanager 0.25 does (checked against it: `authorization, x-evil` gets nothing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

const METHODS = new Set(['GET', 'POST', 'HEAD']);
const HEADERS = new Set(['origin', 'accept', 'content-type', 'x-requested-with']);

/** Go's http.CanonicalHeaderKey for the header names rs/cors echoes (`content-type` -> `Content-Type`). */
function canonical(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** Handles a preflight (and ends it) or adds the headers of an actual request, then calls next. */
export function cors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin;
  const wanted = req.headers['access-control-request-method'];
  if (req.method === 'OPTIONS' && wanted !== undefined && wanted !== '') {
    res.append('Vary', 'Origin');
    res.append('Vary', 'Access-Control-Request-Method');
    res.append('Vary', 'Access-Control-Request-Headers');
    const method = String(wanted).toUpperCase();
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    const allowed = origin !== undefined && origin !== '' && (METHODS.has(method) || method === 'OPTIONS') && asked.every((h) => HEADERS.has(h.toLowerCase()));
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', method);
      if (asked.length > 0) res.setHeader('Access-Control-Allow-Headers', asked.map(canonical).join(', '));
    }
    res.status(200).end();
    return;
  }
  if (req.method !== 'OPTIONS') corsHeaders(req, res);
  next();
}

/** The headers rs/cors adds to an actual (not preflight) request: for Express and the lean routes alike. */
export function corsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== '' && METHODS.has(req.method ?? '')) res.setHeader('Access-Control-Allow-Origin', '*');
}
