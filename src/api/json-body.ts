/**
 * Reading a JSON request body the way upstream's go-swagger server does before its handlers decode it: anything
 * but `Content-Type: application/json` is refused with 415 and go-openapi's message, then the raw body is read as
 * UTF-8 text for our Go-compatible decoders (src/go/json-scan.ts).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendFrameworkError } from './respond';

export type JsonBodyReader = (req: Request, res: Response, next: NextFunction, onText: (text: string) => void) => void;

/** A reader for bodies up to `limit` (express.raw's size syntax, e.g. '32mb'). */
export function jsonBodyReader(limit: string): JsonBodyReader {
  const rawBody = express.raw({ type: () => true, limit });
  return (req, res, next, onText) => {
    const ct = req.headers['content-type'];
    const mediaType = (ct ?? 'application/octet-stream').split(';')[0]!.trim();
    if (mediaType.toLowerCase() !== 'application/json') {
      sendFrameworkError(res, 415, 415, `unsupported media type ${JSON.stringify(mediaType)}, only [application/json] are allowed`);
      return;
    }
    rawBody(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      onText(Buffer.isBuffer(req.body) ? (req.body as Buffer).toString('utf8') : '');
    });
  };
}
