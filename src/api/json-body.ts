/**
 * Reading a JSON request body the way upstream's go-swagger server does before its handlers decode it: anything
 * but `Content-Type: application/json` is refused with 415 and go-openapi's message, then the raw body is read as
 * UTF-8 text for our Go-compatible decoders (src/go/json-scan.ts).
 *
 * Tocsin also accepts a `Content-Encoding` of gzip, deflate or br (Alertmanager does not decompress request
 * bodies). Two limits bound what one request can cost: the bytes on the wire (`maxBytes`, checked against
 * Content-Length before reading and while reading) and the bytes after decompression (`maxDecompressedBytes`,
 * checked while the body is inflated chunk by chunk: a gzip bomb is stopped at the limit, never inflated whole).
 * Going over either answers 413 and closes the connection.
 */
import type { IncomingMessage } from 'node:http';
import type zlib from 'node:zlib';
import { ApiError, swaggerError } from './errors';
import type { RequestLimits } from './types';

/** The two byte limits (0 = none), named in the 413 messages by their flags. */
export type BodyLimits = Pick<RequestLimits, 'maxRequestBytes' | 'maxDecompressedBytes'>;

function tooLarge(message: string): ApiError {
  return new ApiError(413, message, { shape: 'swagger', closeConnection: true });
}

function decompressor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  // loaded by the first compressed body: a server sent plain bodies does not hold node:zlib
  const zlib = require('node:zlib') as typeof import('node:zlib');
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** The request body as bytes, within the limits; rejects with an ApiError (413, 415, 400). */
export function readLimitedBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const wireLimit = limits.maxRequestBytes > 0 ? limits.maxRequestBytes : Number.POSITIVE_INFINITY;
  const outLimit = limits.maxDecompressedBytes > 0 ? limits.maxDecompressedBytes : Number.POSITIVE_INFINITY;
  const overWire = () => tooLarge(`request body too large: over ${wireLimit} bytes (--tocsin.api.max-request-bytes)`);
  const overOut = () => tooLarge(`request body too large: over ${outLimit} bytes after decompression (--tocsin.api.max-decompressed-bytes)`);

  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const inflate = encoding === 'identity' || encoding === '' ? undefined : decompressor(encoding);
  if (encoding !== 'identity' && encoding !== '' && !inflate) {
    return Promise.reject(new ApiError(415, `unsupported content encoding "${encoding}"`, { closeConnection: true }));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > wireLimit) return Promise.reject(overWire());
  if (!inflate && Number.isFinite(declared) && declared > outLimit) return Promise.reject(overOut());

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let outBytes = 0;
    let settled = false;
    const finish = (err: ApiError | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (inflate) {
        inflate.removeAllListeners('data');
        inflate.on('error', () => undefined);
        inflate.destroy();
      }
      if (err) {
        chunks.length = 0;
        // stop reading: the connection is closed after the answer (closeConnection)
        req.pause();
        reject(err);
      } else {
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, outBytes));
      }
    };
    const onOut = (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > outLimit) finish(overOut());
      else chunks.push(chunk);
    };
    const onData = (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > wireLimit) {
        finish(overWire());
        return;
      }
      if (inflate) inflate.write(chunk);
      else onOut(chunk);
    };
    const onEnd = () => {
      if (inflate) inflate.end();
      else finish(undefined);
    };
    const onError = (e: Error) => finish(new ApiError(400, `reading the request body failed: ${e.message}`, { closeConnection: true }));
    const onAborted = () => finish(new ApiError(400, 'request aborted', { closeConnection: true }));
    if (inflate) {
      inflate.on('data', onOut);
      inflate.on('end', () => finish(undefined));
      inflate.on('error', (e: Error) => finish(new ApiError(400, `invalid ${encoding} request body: ${e.message}`, { closeConnection: true })));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** A JSON body as text: 415 unless `Content-Type: application/json`, then the limited read. */
export async function readJsonText(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  const ct = req.headers['content-type'];
  const mediaType = (ct ?? 'application/octet-stream').split(';')[0]!.trim();
  if (mediaType.toLowerCase() !== 'application/json') {
    throw swaggerError(415, `unsupported media type ${JSON.stringify(mediaType)}, only [application/json] are allowed`);
  }
  const body = await readLimitedBody(req, limits);
  return body.toString('utf8');
}
