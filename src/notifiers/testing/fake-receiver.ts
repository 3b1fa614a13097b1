/**
 * @module notifiers/testing/fake-receiver
 * A real loopback HTTP server (127.0.0.1, port 0) that records every request (method, url, headers, body) and
 * answers with a programmable response, like upstream's httptest.NewServer in notify/test/test.go. In a test file,
 * `const srv = useFakeReceiver()` gives a describe block one receiver, reset before each test.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the client's port: requests with the same one came over the same connection */
  remotePort: number;
}

export interface FakeResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** delay before answering, in ms (real time; keep it small) */
  delay?: number;
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

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const pending = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const state: { respond: (r: RecordedRequest) => FakeResponse } = { respond: () => ({ status: 200 }) };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0 };
      requests.push(r);
      const out = state.respond(r);
      const answer = () => {
        pending.delete(res);
        if (res.destroyed) return;
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body ?? '');
      };
      pending.add(res);
      if (out.delay) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, out.delay);
        timers.add(t);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
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
        server.closeAllConnections();
      });
    },
  };
}

/**
 * One fake receiver for the enclosing describe block (or file): started before its tests, reset (requests and
 * response) before each, closed after all. Use its fields inside tests and hooks only.
 */
export function useFakeReceiver(): FakeReceiver {
  let srv: FakeReceiver | undefined;
  beforeAll(async () => {
    srv = await startFakeReceiver();
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
