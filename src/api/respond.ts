import type { Response } from 'express';

/**
 * Response writers in upstream's shapes: handler payloads are JSON written by Go's encoder (trailing newline);
 * go-swagger framework errors are `{"code":N,"message":"..."}` without a newline.
 */
export function sendJson(res: Response, status: number, json: string): void {
  writeJson(res, status, `${json}\n`);
}

/** Content-Type exactly `application/json` (express's send() would append a charset). */
function writeJson(res: Response, status: number, body: string): void {
  const buf = Buffer.from(body, 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', String(buf.length));
  res.end(buf);
}

/** A handler error: the body is a JSON string (e.g. `"at least one label pair required"`). */
export function sendErrorString(res: Response, status: number, message: string): void {
  sendJson(res, status, goJsonString(message));
}

export function sendFrameworkError(res: Response, status: number, code: number, message: string): void {
  writeJson(res, status, `{"code":${code},"message":${goJsonString(message)}}`);
}

/** JSON string as Go's encoder writes it (U+2028/2029 escaped). */
export function goJsonString(s: string): string {
  const j = JSON.stringify(s);
  return /[\u2028\u2029]/.test(j) ? j.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : j;
}

/** A label set as Go encodes a map: keys sorted byte-wise. */
export function labelSetJson(ls: Readonly<Record<string, string>>): string {
  const keys = Object.keys(ls);
  if (keys.length === 0) return '{}';
  keys.sort(compareUtf8);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ',';
    out += `${goJsonString(k)}:${goJsonString(ls[k]!)}`;
  }
  return `${out}}`;
}

/** Byte-wise UTF-8 order (Go string comparison). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (astral code points) sort after all BMP characters in UTF-8
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
