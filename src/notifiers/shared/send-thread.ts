/**
 * @module notifiers/shared/send-thread
 * The HTTP requests of every notifier run on one worker thread that owns the undici connection pools, so that
 * the main thread (the pipeline, templates, payloads, the API) does not also spend its time in undici's request
 * setup, socket writes and response parsing: measured, that is half of a webhook flush's main-thread CPU when
 * 1000 groups flush together, and the two cores can then work in parallel. The main thread still builds every
 * request (URL, method, headers with their credentials, body) and gets back the status, headers and body text;
 * every caller's logic (timeouts, aborts, retries, error classification, capture for history/outbox) stays on
 * the main thread, in HttpSender.
 *
 * Messages travel in batches (one postMessage per event-loop turn each way: a slice of 32 flushes is one
 * message). A pool's settings (tls options, proxy, redirects, HTTP/2) are sent before its first request; the
 * thread creates the same undici dispatchers the main thread used to. The thread starts on first use, does not
 * keep the process alive while idle, and ends after an hour without requests (its kept-alive connections with it).
 */
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** How one pool connects (everything plain data: it is copied to the thread). */
export interface PoolSettings {
  /** TLS options for undici's connect (strings and flags: files were read on the main thread) */
  connect: Record<string, unknown>;
  proxy_url?: string | undefined;
  /** proxy_connect_header, values revealed and joined */
  proxyHeaders?: Record<string, string> | undefined;
  /** proxy_from_environment: the proxy variables as the main thread's environment had them */
  env?: { httpProxy: string; httpsProxy: string; noProxy: string } | undefined;
  follow_redirects: boolean;
  /** enable_http2 */
  http2: boolean;
  /** connections per origin at most */
  maxConnections: number;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** One request: `origin` and `path` of a parsed http(s) URL, or the raw `url` (undici reports why it is refused). */
export interface ExchangeRequest {
  pool: number;
  /** no_proxy exempts this URL: the pool's direct dispatcher */
  direct: boolean;
  origin?: string;
  path?: string;
  url?: string;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface ExchangeResult {
  status: number;
  /** the whole body as text (UTF-8, a leading BOM skipped) */
  body: string;
  headers: ResponseHeaders;
}

/** A transport error as the thread saw it (undici's message and code, and its cause's). */
export class SendThreadError extends Error {
  readonly code: string | undefined;
  constructor(e: { name?: string; message: string; code?: string; cause?: { message?: string; code?: string } }) {
    super(e.message, e.cause ? { cause: e.cause } : undefined);
    if (e.name) this.name = e.name;
    this.code = e.code;
  }
}

type ToThread =
  | { op: 'pool'; pool: number; s: PoolSettings }
  | ({ op: 'req'; id: number } & ExchangeRequest)
  | { op: 'cancel'; id: number }
  | { op: 'close'; id: number; pool: number };

interface FromThread {
  id: number;
  /** the warm-up is done: how many of its requests were answered 200 */
  warmedUp?: number;
  status?: number;
  body?: string;
  headers?: ResponseHeaders;
  error?: { name?: string; message: string; code?: string; cause?: { message?: string; code?: string } };
}

/**
 * Requests the thread sends itself when warm() starts it (bench notify, 8 runs each: 200 through 64 connections
 * gave the first burst a p50 of 180 ms vs 189 ms for 1000 through 8, at 720 vs 865 ms of server CPU).
 */
const WARM_UP_REQUESTS = 200;

/** The thread's whole program (plain JS: it runs the same from dist/, the server bundle and the tests). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// only the dispatchers and the redirect interceptor: undici's index also loads fetch, WebSocket, the caches and
// the mocks (measured: ~150-170 ms of CPU to load it all, ~60 ms these parts), and the thread starts a group_wait
// before the first flush; the whole package only for a URL the main thread could not parse (undici.request)
const lib = (p) => require(workerData.undiciDir + '/lib/' + p);
const Agent = lib('dispatcher/agent');
const ProxyAgent = lib('dispatcher/proxy-agent');
const EnvHttpProxyAgent = lib('dispatcher/env-http-proxy-agent');
const redirect = lib('interceptor/redirect');
// what undici's index does: connect() and the other API methods on every dispatcher (ProxyAgent's CONNECT uses it)
Object.assign(lib('dispatcher/dispatcher').prototype, lib('api'));
// WebAssembly (llhttp, the response parser) stays on V8's baseline compiler, Liftoff. Optimizing llhttp's large
// parse functions (TurboFan, on V8's background threads) cost ~0.17 s of CPU on a new thread's first burst (1000
// flushes after group_wait: the burst's CPU -145 ms median in 8 paired runs; it competes with the main thread and
// this one for the cores), more than it ever saves: parsing at Liftoff's speed cost ~+10 ms per 1000 responses.
// V8's flags are the process's: set here, once this thread's modules are loaded, because any flag away from
// V8's defaults makes V8 refuse Node's built-in code cache from then on (a thread started later compiles Node's
// own modules from source, ~+40 ms of CPU each; set in src/main.ts before the server listens, an empty server
// took +0.28 s of CPU to ready).
require('node:v8').setFlagsFromString('--liftoff-only');
const pools = new Map();
const inflight = new Map();
let out = [];
let scheduled = false;
const flush = () => { scheduled = false; const batch = out; out = []; parentPort.postMessage(batch); };
const answer = (a) => { out.push(a); if (!scheduled) { scheduled = true; setImmediate(flush); } };
const plain = (e) => (e === null || typeof e !== 'object'
  ? { message: String(e) }
  : { name: e.name, message: String(e.message ?? e), code: typeof e.code === 'string' ? e.code : undefined,
      cause: e.cause && typeof e.cause === 'object' ? { message: e.cause.message, code: typeof e.cause.code === 'string' ? e.cause.code : undefined } : undefined });
const text = (chunks) => {
  if (chunks.length === 0) return '';
  const b = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const start = b.length > 2 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return b.toString('utf8', start);
};
// A bounded pool per origin: beyond maxConnections requests queue for a kept-alive connection (the request
// timeout counts the wait, as Go's http.Client timeout does). enable_http2: ALPN offers h2 (plain http stays
// 1.1 as in Go); through a proxy the TLS inside the CONNECT tunnel is made from requestTls, so allowH2 goes there
// as well as on the agent (which must accept an h2 socket).
const create = (s, direct) => {
  const h2 = { allowH2: s.http2 };
  const tunnelTls = { ...s.connect, ...h2 };
  const connections = s.maxConnections;
  let d = s.proxy_url && !direct
    ? new ProxyAgent({ uri: s.proxy_url, requestTls: tunnelTls, connections, ...h2, ...(s.proxyHeaders ? { headers: s.proxyHeaders } : {}) })
    : s.env && !direct
      ? new EnvHttpProxyAgent({ connect: s.connect, requestTls: tunnelTls, connections, ...h2, ...s.env })
      : new Agent({ connect: s.connect, connections, ...h2 });
  if (s.follow_redirects) d = d.compose(redirect({ maxRedirections: 10 }));
  return d;
};
const dispatcher = (m) => {
  const p = pools.get(m.pool);
  if (!p) return undefined;
  const key = m.direct ? 'direct' : 'main';
  p[key] ??= create(p.s, m.direct);
  return p[key];
};
const request = (m, d = dispatcher(m), reply = answer) => {
  if (!d) return reply({ id: m.id, error: { message: 'send thread: unknown pool' } });
  if (m.url !== undefined) {
    // a URL the main thread could not parse: undici.request() gives its exact error
    const ac = new AbortController();
    inflight.set(m.id, (r) => ac.abort(r));
    require(workerData.undiciDir).request(m.url, { method: m.method, headers: m.headers, body: m.body, signal: ac.signal, dispatcher: d })
      .then(async (res) => reply({ id: m.id, status: res.statusCode, body: await res.body.text(), headers: res.headers }))
      .catch((e) => reply({ id: m.id, error: plain(e) }))
      .finally(() => inflight.delete(m.id));
    return;
  }
  // a minimal handler: the body collected as text, without undici.request()'s response stream
  const chunks = [];
  let status = 0;
  let headers = {};
  let current;
  let canceled;
  inflight.set(m.id, (r) => { canceled = r; current?.abort(r); });
  const handler = {
    onRequestStart(c) { current = c; if (canceled) c.abort(canceled); },
    onResponseStart(_c, code, h) { status = code; headers = h; },
    onResponseData(_c, chunk) { chunks.push(chunk); },
    onResponseEnd() { inflight.delete(m.id); reply({ id: m.id, status, body: text(chunks), headers }); },
    onResponseError(_c, e) { inflight.delete(m.id); reply({ id: m.id, error: plain(e) }); },
  };
  try {
    d.dispatch({ origin: m.origin, path: m.path, method: m.method, headers: m.headers, body: m.body }, handler);
  } catch (e) {
    inflight.delete(m.id);
    reply({ id: m.id, error: plain(e) });
  }
};
// Warm-up (warm(): a first group waits out its group_wait): requests through a throwaway pool to a loopback
// listener of this thread run the code a flush needs (connect, request writing, llhttp, the handler), so that its
// lazy compilation and V8's optimization happen before the first flush rather than in it (bench notify, 2 x 10 runs
// paired with the thread unwarmed: p50 -18/-40 ms, p99 -31/-28 ms median; the server's CPU from push to last
// arrival, the warm-up included, +45/-15 ms, within the noise). The listener answers without parsing (node:http's
// server would cost as much again): every warm-up request is the same bytes, so each request's length received
// gets one canned response. Reported to the main thread as { id: 0, warmedUp: requests answered 200 }.
const warmUp = (n, connections) => {
  const res = 'HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\n\\r\\n{}';
  const body = JSON.stringify({ status: 'firing', alerts: [{ labels: { alertname: 'warm-up' } }] });
  const server = require('node:net').createServer((s) => {
    let size = 0;
    let got = 0;
    let head = '';
    s.on('error', () => undefined);
    s.on('data', (chunk) => {
      if (size === 0) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\\r\\n\\r\\n');
        if (end < 0) return;
        size = end + 4 + body.length;
        got = head.length;
      } else got += chunk.length;
      for (; got >= size; got -= size) s.write(res);
    });
  });
  server.unref();
  server.on('error', () => answer({ id: 0, warmedUp: 0 }));
  server.listen(0, '127.0.0.1', () => {
    const origin = 'http://127.0.0.1:' + server.address().port;
    const d = create({ connect: {}, follow_redirects: false, http2: false, maxConnections: connections }, true);
    const m = { id: 0, origin, path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body };
    // one request per connection at a time, and no new one once a real request came (a group_wait of 0)
    let sent = 0;
    let open = 0;
    let ok = 0;
    let finished = false;
    const next = () => {
      if (sent < n && !realRequests) {
        sent++;
        open++;
        request(m, d, done);
      } else if (open === 0 && !finished) {
        finished = true;
        d.destroy().finally(() => server.close());
        answer({ id: 0, warmedUp: ok });
      }
    };
    const done = (a) => {
      if (a.status === 200) ok++;
      open--;
      next();
    };
    for (let i = 0; i < connections; i++) next();
  });
};
let realRequests = false;
if (workerData.warmUp) warmUp(${WARM_UP_REQUESTS}, workerData.warmUp);
parentPort.on('message', (batch) => {
  for (const m of batch) {
    if (m.op === 'req') {
      realRequests = true;
      request(m);
    } else if (m.op === 'pool') pools.set(m.pool, { s: m.s });
    else if (m.op === 'cancel') inflight.get(m.id)?.(new Error('canceled'));
    else if (m.op === 'close') {
      const p = pools.get(m.pool);
      pools.delete(m.pool);
      Promise.all([p?.main?.close(), p?.direct?.close()]).then(() => answer({ id: m.id }), () => answer({ id: m.id }));
    }
  }
});
`;

/**
 * An idle thread ends after this long by default (the next request starts another, ~0.1 s later on a quiet
 * machine): an hour, so that a group's next group_interval flush finds it running, and a server with nothing
 * left to notify gets its memory (~13 MiB) back.
 */
const IDLE_MS = 60 * 60_000;

interface Pending {
  resolve(a: FromThread): void;
  reject(e: Error): void;
}

/**
 * One request under way: settles its promise with the thread's answer, or at once when its signal aborts. It is
 * its own abort listener (handleEvent), so that a request allocates no closures (1000 flushes at once: 1000 of
 * these).
 */
class Exchange implements Pending {
  constructor(
    readonly owner: SendThread,
    readonly id: number,
    readonly signal: AbortSignal,
    readonly ok: (r: ExchangeResult) => void,
    readonly fail: (e: unknown) => void,
  ) {}

  handleEvent(): void {
    if (this.owner.abandon(this.id)) this.fail(this.signal.reason);
  }

  resolve(a: FromThread): void {
    this.signal.removeEventListener('abort', this);
    if (a.error) this.fail(new SendThreadError(a.error));
    else this.ok({ status: a.status ?? 0, body: a.body ?? '', headers: a.headers ?? {} });
  }

  reject(e: Error): void {
    this.signal.removeEventListener('abort', this);
    this.fail(e);
  }
}

export class SendThread {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  /** every open pool's settings, to register it again with a new thread */
  readonly #pools = new Map<number, PoolSettings>();
  /** pools the current thread knows */
  readonly #registered = new Set<number>();
  #nextPool = 0;
  #next = 0;
  #out: ToThread[] = [];
  #scheduled = false;
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #idleMs: number;
  #warmWaiters: ((answered: number) => void)[] = [];

  /** `idleMs`: the thread ends after this long without requests */
  constructor(idleMs = IDLE_MS) {
    this.#idleMs = idleMs;
  }

  /** A new pool (its dispatchers are made on the thread at its first request). */
  register(s: PoolSettings): number {
    const id = ++this.#nextPool;
    this.#pools.set(id, s);
    return id;
  }

  /** Sends one request; settles with the response or the transport error, or at once with `signal`'s reason. */
  exchange(req: ExchangeRequest, signal: AbortSignal): Promise<ExchangeResult> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const id = ++this.#next;
    this.#ensurePool(req.pool);
    this.#post({ op: 'req', id, ...req });
    return new Promise<ExchangeResult>((resolve, reject) => {
      const x = new Exchange(this, id, signal, resolve, reject);
      signal.addEventListener('abort', x, { once: true });
      this.#pending.set(id, x);
      if (this.#pending.size === 1) this.#worker?.ref(); // a request under way keeps the process alive
    });
  }

  /** An aborted request: forgotten here and canceled on the thread; false when it has already settled. */
  abandon(id: number): boolean {
    if (!this.#settle(id)) return false;
    this.#post({ op: 'cancel', id });
    return true;
  }

  /**
   * Starts the thread now if it is not running (it ends again after IDLE_MS without requests), and lets it warm up
   * its request path through `connections` connections (as many as a flush burst will open to one origin).
   */
  warm(connections: number): void {
    if (this.#worker) return;
    this.#spawned(connections);
    this.#idleCheck();
  }

  /** Whether the thread is running (an idle server has none: the first group waiting for its flush starts it). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Resolves with how many of the warm-up's requests were answered once the current warm-up is done. */
  warmedUp(): Promise<number> {
    return new Promise((resolve) => this.#warmWaiters.push(resolve));
  }

  /** Closes a pool's connections (requests under way finish first); it is forgotten. */
  closePool(pool: number): Promise<void> {
    this.#pools.delete(pool);
    if (!this.#registered.delete(pool) || !this.#worker) return Promise.resolve();
    const id = ++this.#next;
    this.#post({ op: 'close', id, pool });
    return new Promise<void>((resolve) => {
      this.#pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      if (this.#pending.size === 1) this.#worker?.ref();
    });
  }

  #ensurePool(pool: number): void {
    if (this.#worker && this.#registered.has(pool)) return;
    this.#spawned();
    const s = this.#pools.get(pool);
    if (!s) throw new Error('send thread: pool closed');
    this.#registered.add(pool);
    this.#post({ op: 'pool', pool, s });
  }

  /** removes a pending request; false when it has already settled */
  #settle(id: number): boolean {
    if (!this.#pending.delete(id)) return false;
    this.#idleCheck();
    return true;
  }

  #post(m: ToThread): void {
    this.#out.push(m);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // one message per turn: the requests of every flush started in this turn travel together (a tick runs once
    // the turn's promise jobs are done, i.e. after the flushes started together have reached their requests)
    process.nextTick(() => {
      this.#scheduled = false;
      const batch = this.#out;
      this.#out = [];
      this.#worker?.postMessage(batch);
    });
  }

  #idleCheck(): void {
    if (this.#pending.size > 0 || !this.#worker) return;
    const worker = this.#worker;
    worker.unref();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#worker !== worker || this.#pending.size > 0) return;
      this.#drop(worker);
      void worker.terminate();
    }, this.#idleMs);
    this.#idleTimer.unref();
  }

  /** Forgets a thread (ended or lost): its pools must be registered again with the next one. */
  #drop(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#registered.clear();
    // messages not yet posted were for that thread (their requests are rejected by the caller)
    this.#out = [];
  }

  /** `warmUp`: connections for the thread's warm-up (0: none, a request is waiting) */
  #spawned(warmUp = 0): Worker {
    if (this.#worker) return this.#worker;
    clearTimeout(this.#idleTimer);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { undiciDir: dirname(require.resolve('undici')), warmUp },
    });
    worker.unref();
    worker.on('message', (batch: FromThread[]) => {
      for (const a of batch) {
        if (a.warmedUp !== undefined) {
          const waiters = this.#warmWaiters;
          this.#warmWaiters = [];
          for (const w of waiters) w(a.warmedUp);
          continue;
        }
        const p = this.#pending.get(a.id);
        if (!p) continue; // aborted on this side already
        this.#pending.delete(a.id);
        p.resolve(a);
      }
      this.#idleCheck();
    });
    const lost = (e: Error) => {
      if (this.#worker !== worker) return;
      this.#drop(worker);
      const pending = [...this.#pending.values()];
      this.#pending.clear();
      for (const p of pending) p.reject(e);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`send thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}

let shared: SendThread | undefined;

/** The process's one send thread (created on first use). */
export function sendThread(): SendThread {
  shared ??= new SendThread();
  return shared;
}
