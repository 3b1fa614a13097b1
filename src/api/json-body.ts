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
import zlib from 'node:zlib';
import { ApiError, swaggerError } from './errors';
import type { RequestLimits } from './types';

/** The two byte limits (0 = none), named in the 413 messages by their flags. */
export type BodyLimits = Pick<RequestLimits, 'maxRequestBytes' | 'maxDecompressedBytes'>;

function tooLarge(message: string): ApiError {
  return new ApiError(413, message, { shape: 'swagger', closeConnection: true });
}

function decompressor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
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

/**
 * One body being read. The listeners are module functions that find their read under READ on the stream that
 * calls them (`this`): no closures per request (the server bundle names every closure it creates, a
 * defineProperty call each, on the path of every POST).
 */
class BodyRead {
  chunks: Buffer[] = [];
  wireBytes = 0;
  outBytes = 0;
  settled = false;
  constructor(
    readonly req: IncomingMessage,
    readonly inflate: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined,
    readonly encoding: string,
    readonly wireLimit: number,
    readonly outLimit: number,
    readonly resolve: (b: Buffer) => void,
    readonly reject: (e: unknown) => void,
  ) {}

  finish(err: ApiError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    const { req, inflate } = this;
    req.off('data', onReqData);
    req.off('end', onReqEnd);
    req.off('error', onReqError);
    req.off('aborted', onReqAborted);
    if (inflate) {
      inflate.removeAllListeners('data');
      inflate.on('error', ignore);
      inflate.destroy();
    }
    if (err) {
      this.chunks.length = 0;
      // stop reading: the connection is closed after the answer (closeConnection)
      req.pause();
      this.reject(err);
    } else {
      this.resolve(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.outBytes));
    }
  }

  out(chunk: Buffer): void {
    this.outBytes += chunk.length;
    if (this.outBytes > this.outLimit) this.finish(overOut(this.outLimit));
    else this.chunks.push(chunk);
  }
}

const READ = Symbol('tocsin.bodyRead');
type Reading = { [READ]?: BodyRead };

const readOf = (stream: unknown): BodyRead => (stream as Reading)[READ]!;
function ignore(): void {}

function onReqData(this: IncomingMessage, chunk: Buffer): void {
  const r = readOf(this);
  r.wireBytes += chunk.length;
  if (r.wireBytes > r.wireLimit) r.finish(overWire(r.wireLimit));
  else if (r.inflate) r.inflate.write(chunk);
  else r.out(chunk);
}
function onReqEnd(this: IncomingMessage): void {
  const r = readOf(this);
  if (r.inflate) r.inflate.end();
  else r.finish(undefined);
}
function onReqError(this: IncomingMessage, e: Error): void {
  readOf(this).finish(new ApiError(400, `reading the request body failed: ${e.message}`, { closeConnection: true }));
}
function onReqAborted(this: IncomingMessage): void {
  readOf(this).finish(new ApiError(400, 'request aborted', { closeConnection: true }));
}
function onInflated(this: zlib.Gunzip, chunk: Buffer): void {
  readOf(this).out(chunk);
}
function onInflateEnd(this: zlib.Gunzip): void {
  readOf(this).finish(undefined);
}
function onInflateError(this: zlib.Gunzip, e: Error): void {
  const r = readOf(this);
  r.finish(new ApiError(400, `invalid ${r.encoding} request body: ${e.message}`, { closeConnection: true }));
}

function overWire(limit: number): ApiError {
  return tooLarge(`request body too large: over ${limit} bytes (--tocsin.api.max-request-bytes)`);
}
function overOut(limit: number): ApiError {
  return tooLarge(`request body too large: over ${limit} bytes after decompression (--tocsin.api.max-decompressed-bytes)`);
}

/** The request body as bytes, within the limits; rejects with an ApiError (413, 415, 400). */
export function readLimitedBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const wireLimit = limits.maxRequestBytes > 0 ? limits.maxRequestBytes : Number.POSITIVE_INFINITY;
  const outLimit = limits.maxDecompressedBytes > 0 ? limits.maxDecompressedBytes : Number.POSITIVE_INFINITY;

  const ce = req.headers['content-encoding'];
  const encoding = ce === undefined ? 'identity' : String(ce).trim().toLowerCase();
  const inflate = encoding === 'identity' || encoding === '' ? undefined : decompressor(encoding);
  if (encoding !== 'identity' && encoding !== '' && !inflate) {
    return Promise.reject(new ApiError(415, `unsupported content encoding "${encoding}"`, { closeConnection: true }));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > wireLimit) return Promise.reject(overWire(wireLimit));
  if (!inflate && Number.isFinite(declared) && declared > outLimit) return Promise.reject(overOut(outLimit));

  return new Promise<Buffer>((resolve, reject) => {
    const r = new BodyRead(req, inflate, encoding, wireLimit, outLimit, resolve, reject);
    (req as Reading)[READ] = r;
    if (inflate) {
      (inflate as Reading)[READ] = r;
      inflate.on('data', onInflated);
      inflate.on('end', onInflateEnd);
      inflate.on('error', onInflateError);
    }
    req.on('data', onReqData);
    req.on('end', onReqEnd);
    req.on('error', onReqError);
    req.on('aborted', onReqAborted);
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
