import type { Response } from 'express';
import { goJsonString as goJsonStringOf } from '../go/json';
import { compareStrings } from '../types/labels';

/**
 * Response writers in upstream's shapes: handler payloads are JSON written by Go's encoder (trailing newline);
 * error bodies are written by src/api/errors.ts only.
 */
export function sendJson(res: Response, status: number, json: string): void {
  writeJson(res, status, `${json}\n`);
}

/** Content-Type exactly `application/json` (express's send() would append a charset). */
export function writeJson(res: Response, status: number, body: string): void {
  const buf = Buffer.from(body, 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', String(buf.length));
  res.end(buf);
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

