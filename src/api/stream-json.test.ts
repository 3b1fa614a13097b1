import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { streamJson } from './stream-json';

const PIECE = `{"x":"${'é'.repeat(200)}${'a'.repeat(800)}"}`; // 1.2 kB in UTF-8
const PIECES = 100_000; // about 120 MB in all

/** A server answering GET / with streamJson over PIECES pieces, counting how many the generator gave. */
async function serve() {
  const state = { pulled: 0, finished: false, done: Promise.resolve() };
  const app = express();
  app.get('/', (_req, res) => {
    function* pieces(): Generator<string, void, void> {
      try {
        yield '[';
        for (let i = 0; i < PIECES; i++) {
          state.pulled++;
          yield i > 0 ? `,${PIECE}` : PIECE;
        }
        yield ']';
      } finally {
        state.finished = true;
      }
    }
    state.done = streamJson(res, pieces());
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('streamJson', () => {
  it('produces only as fast as the client reads (backpressure), then writes the whole body and a newline', async () => {
    const s = await serve();
    try {
      let res!: http.IncomingMessage;
      await new Promise<void>((resolve) => {
        http.get({ port: s.port, host: '127.0.0.1', path: '/' }, (r) => {
          res = r;
          r.pause();
          resolve();
        });
      });
      expect(res.headers['content-type']).toBe('application/json');
      // the client reads nothing: the server stops pulling pieces once the socket buffers are full
      await new Promise((r) => setTimeout(r, 500));
      const pulledWhilePaused = s.state.pulled;
      await new Promise((r) => setTimeout(r, 300));
      expect(s.state.pulled).toBe(pulledWhilePaused);
      expect(pulledWhilePaused).toBeLessThan(PIECES / 4);
      // reading resumes: the whole answer arrives
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.resume();
      await new Promise((r) => res.on('end', r));
      await s.state.done;
      const body = Buffer.concat(chunks).toString('utf8');
      expect(body.length).toBe(2 + PIECES * PIECE.length + (PIECES - 1) + 1);
      expect(body.endsWith(`${PIECE}]\n`)).toBe(true);
      expect(body.startsWith(`[${PIECE},${PIECE}`)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('stops producing when the client goes away', async () => {
    const s = await serve();
    try {
      await new Promise<void>((resolve) => {
        const req = http.get({ port: s.port, host: '127.0.0.1', path: '/' }, (r) => {
          r.once('data', () => {
            req.destroy();
            resolve();
          });
        });
      });
      await s.state.done;
      expect(s.state.finished).toBe(true);
      expect(s.state.pulled).toBeLessThan(PIECES);
    } finally {
      await s.close();
    }
  });

  it('hands the event loop back while a client reads a big answer', async () => {
    const s = await serve();
    try {
      let longest = 0;
      let last = performance.now();
      const tick = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 5);
      await new Promise<void>((resolve, reject) => {
        http
          .get({ port: s.port, host: '127.0.0.1', path: '/' }, (r) => {
            r.resume();
            r.on('end', resolve);
          })
          .on('error', reject);
      });
      clearInterval(tick);
      await s.state.done;
      // coarse: the whole 120 MB answer without a pause would block for far longer
      expect(longest).toBeLessThan(250);
    } finally {
      await s.close();
    }
  });
});
