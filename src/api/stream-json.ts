/**
 * @module api/stream-json
 * Writes a large JSON answer as it is produced: pieces are gathered into chunks of CHUNK_BYTES and written
 * with backpressure (a full socket buffer waits for 'drain'), and the event loop is handed back whenever a slice
 * has taken SLICE_BUDGET_MS, so a 70 MB answer never exists as one string and never holds up other requests.
 */
import type { Response } from 'express';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SLICE_BUDGET_MS } from './slices';

const CHUNK_BYTES = 256 * 1024;

/** Resolves once the response can take more (true) or is gone (false). */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Answers 200 with `application/json`: the strings the generator yields, concatenated, then a newline (Go's
 * encoder ends with one). Pieces are UTF-8 encoded straight into the chunk buffer (no string concatenation, whose
 * ropes cost more to flatten than to encode). Stops early if the client goes away.
 */
export async function streamJson(res: Response, pieces: Iterable<string>, budgetMs = SLICE_BUDGET_MS): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  // chunks are reused once the socket has taken them (backpressure keeps about two in flight): a 70 MB answer
  // allocates a few chunks, not hundreds that linger until a GC
  const free: Buffer[] = [];
  const take = () => free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  const send = (full: Buffer, used: number) => res.write(full.subarray(0, used), () => free.push(full));
  let chunk = take();
  let used = 0;
  let start = performance.now();
  for (const piece of pieces) {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (used + piece.length * 3 <= CHUNK_BYTES) {
      used += chunk.write(piece, used, 'utf8');
      continue;
    }
    let more = true;
    if (used > 0) {
      more = send(chunk, used);
      chunk = take();
    }
    used = 0;
    if (piece.length * 3 <= CHUNK_BYTES) used = chunk.write(piece, 0, 'utf8');
    else more = res.write(piece) && more;
    if (!more) {
      if (!(await drained(res))) return;
      start = performance.now();
    } else if (performance.now() - start >= budgetMs) {
      await nextTurn();
      if (res.destroyed) return;
      start = performance.now();
    }
  }
  if (used < CHUNK_BYTES) {
    chunk[used++] = 0x0a;
    res.end(chunk.subarray(0, used));
  } else {
    res.write(chunk);
    res.end('\n');
  }
}
