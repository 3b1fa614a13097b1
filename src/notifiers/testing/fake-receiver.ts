/**
 * @module notifiers/testing/fake-receiver
 * A real loopback HTTP server (127.0.0.1, port 0) that records every request (method, url, headers, body) and
 * answers with a programmable response, like upstream's httptest.NewServer in notify/test/test.go. In a test file,
 * `const srv = useFakeReceiver()` gives a describe block one receiver, reset before each test.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the client's port: requests with the same one came over the same connection */
  remotePort: number;
  /** '1.1', or '2.0' over TLS with HTTP/2 */
  httpVersion: string;
}

export interface FakeResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** delay before answering, in ms (real time; keep it small) */
  delay?: number;
  /** never answer (the request stays open until close()) */
  hang?: boolean;
}

export interface FakeReceiverOptions {
  /** serve HTTPS with this key and certificate (HTTP/2, HTTP/1.1 fallback); see testing/tls.ts */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface FakeReceiver {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** what to answer; default 200 with an empty body */
  respond: (r: RecordedRequest) => FakeResponse;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeReceiver(o: FakeReceiverOptions = {}): Promise<FakeReceiver> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const state: { respond: (r: RecordedRequest) => FakeResponse } = { respond: () => ({ status: 200 }) };
  const requests: RecordedRequest[] = [];
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort ?? 0,
        httpVersion: req.httpVersion,
      };
      requests.push(r);
      const out = state.respond(r);
      if (out.hang) return;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body ?? '');
      };
      if (out.delay) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, out.delay);
        timers.add(t);
      } else answer();
    });
  };
  const server = o.tls ? createSecureServer({ key: o.tls.key, cert: o.tls.cert, allowHTTP1: true }, handle) : createServer(handle);
  server.on('connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get respond() {
      return state.respond;
    },
    set respond(f) {
      state.respond = f;
    },
    reset() {
      requests.length = 0;
      state.respond = () => ({ status: 200 });
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const sock of sockets) sock.destroy();
      });
    },
  };
}

/**
 * One fake receiver for the enclosing describe block (or file): started before its tests, reset (requests and
 * response) before each, closed after all. Use its fields inside tests and hooks only. Options given as a function
 * are read when it starts (e.g. a certificate an earlier beforeAll made).
 */
export function useFakeReceiver(o: FakeReceiverOptions | (() => FakeReceiverOptions) = {}): FakeReceiver {
  let srv: FakeReceiver | undefined;
  beforeAll(async () => {
    srv = await startFakeReceiver(typeof o === 'function' ? o() : o);
  });
  beforeEach(() => srv?.reset());
  afterAll(() => srv?.close());
  const get = (): FakeReceiver => {
    if (!srv) throw new Error('useFakeReceiver(): read outside a test');
    return srv;
  };
  return {
    get url() {
      return get().url;
    },
    get requests() {
      return get().requests;
    },
    get respond() {
      return get().respond;
    },
    set respond(f) {
      get().respond = f;
    },
    reset: () => get().reset(),
    close: () => get().close(),
  };
}
