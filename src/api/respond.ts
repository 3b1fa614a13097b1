import type { ServerResponse } from 'node:http';
import { goJsonString as goJsonStringOf } from '../go/json';
import { compareStrings } from '../types/labels';

/**
 * Response writers in upstream's shapes: handler payloads are JSON written by Go's encoder (trailing newline);
 * error bodies are written by src/api/errors.ts only.
 */
export function sendJson(res: ServerResponse, status: number, json: string): void {
  writeJson(res, status, `${json}\n`);
}

/**
 * Content-Type exactly `application/json` (express's send() would append a charset). Plain node:http calls, so
 * that Express routes and the lean routes (src/api/lean-routes.ts) share it; the body goes to end() as a string,
 * which node:http writes together with the headers in one write (a Buffer would take a second, writev).
 */
export function writeJson(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', String(Buffer.byteLength(body, 'utf8')));
  res.end(body);
}

/** JSON string as go-openapi's producer writes it: encoding/json without HTML escaping (U+2028/2029 escaped). */
export function goJsonString(s: string): string {
  return goJsonStringOf(s, false);
}

/** A label set as Go encodes a map: keys sorted byte-wise. */
export function labelSetJson(ls: Readonly<Record<string, string>>): string {
  const keys = Object.keys(ls);
  if (keys.length === 0) return '{}';
  keys.sort(compareStrings);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ',';
    out += `${goJsonString(k)}:${goJsonString(ls[k]!)}`;
  }
  return `${out}}`;
}

