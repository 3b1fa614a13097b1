/**
 * The HTTP application (upstream app/app.go router + api/api.go + api/v2/api.go + ui/web.go): everything under
 * --web.route-prefix; /metrics, /-/healthy, /-/ready, /-/reload, /api/v1 (410 deprecation), /api/v2 (JSON,
 * `Cache-Control: no-store`, CORS as rs/cors defaults, GET concurrency limit), and the UI at "/".
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { formatGoDuration } from '../go/duration';
import { getOrCreateMetric } from '../types/metrics';
import { alertStreamRoutes } from './alert-stream';
import { alertsRoutes, postAlertsHandler } from './alerts';
import { cors, corsHeaders } from './cors';
import { ApiError, sendError, swaggerError } from './errors';
import { type LeanRoute, leanDispatcher } from './lean-routes';
import { statusRoutes } from './status';
import type { ApiDeps } from './types';

export interface ServerDeps extends ApiDeps {
  /** "/" or "/x" */
  routePrefix: string;
  /** reload the config; rejects with the reason on failure (old config stays) */
  reload(): Promise<void>;
  /** routers mounted under /api/v2 besides ours; read per request so reloads can swap them */
  apiRouters(): readonly Router[];
  /** builds the UI router, mounted at "/" under the prefix (with the Express app: on the first request for it) */
  ui?: () => Router;
  /** runs before everything (basic auth, web config headers) */
  before?: RequestHandler[];
  /** --web.get-concurrency (0 = max(CPUs, 8)) */
  getConcurrency: number;
  /** --web.timeout ms (0 = none) */
  timeout: number;
  /** false while the stored alerts are still loading after the start: /-/ready answers 503 (default: ready) */
  ready?(): boolean;
  /** routes under /api/v2 answered in front of Express (src/api/lean-routes.ts), e.g. POST /silences */
  leanRoutes?: readonly LeanRoute[];
}

const V1_BODY =
  '{"status":"deprecated","error":"The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API"}';

/** Known /api/v2 paths and their methods, for go-swagger's 404/405 answers. */
const V2_ROUTES: { re: RegExp; methods: string[] }[] = [
  { re: /^\/alerts$/, methods: ['POST', 'GET'] },
  { re: /^\/alerts\/groups$/, methods: ['GET'] },
  { re: /^\/status$/, methods: ['GET'] },
  { re: /^\/receivers$/, methods: ['GET'] },
  { re: /^\/silences$/, methods: ['POST', 'GET'] },
  { re: /^\/silence\/[^/]+$/, methods: ['DELETE', 'GET'] },
];

function httpMetrics(registry: Registry) {
  const get = <T>(name: string, make: () => T): T => getOrCreateMetric(registry, name, make);
  const duration = get(
    'alertmanager_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'alertmanager_http_request_duration_seconds',
        help: 'Histogram of latencies for HTTP requests.',
        labelNames: ['handler', 'method', 'code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
  );
  const size = get(
    'alertmanager_http_response_size_bytes',
    () =>
      new Histogram({
        name: 'alertmanager_http_response_size_bytes',
        help: 'Histogram of response size for HTTP requests.',
        labelNames: ['handler', 'method'],
        buckets: [100, 1000, 10000, 100000, 1e6, 1e7, 1e8],
        registers: [registry],
      }),
  );
  const inFlight = get(
    'alertmanager_http_requests_in_flight',
    () =>
      new Gauge({
        name: 'alertmanager_http_requests_in_flight',
        help: 'Current number of HTTP requests being processed.',
        labelNames: ['method'],
        registers: [registry],
      }),
  );
  const limited = get(
    'alertmanager_http_concurrency_limit_exceeded_total',
    () =>
      new Counter({
        name: 'alertmanager_http_concurrency_limit_exceeded_total',
        help: 'Total number of times an HTTP request failed because the concurrency limit was reached.',
        labelNames: ['method'],
        registers: [registry],
      }),
  );
  inFlight.set({ method: 'get' }, 0);
  limited.inc({ method: 'get' }, 0);
  return { duration, size, inFlight, limited };
}

/** Upstream's handler label: the path without the prefix, silence IDs replaced. */
export function handlerLabel(path: string): string {
  if (path.startsWith('/api/v2/silence/')) return '/api/v2/silence/{silenceID}';
  if (/^\/api\/v2\/tocsin\/silences\/[^/]+\/audit$/.test(path)) return '/api/v2/tocsin/silences/{silenceID}/audit';
  if (path.startsWith('/api/v2/tocsin/silence-schedules/') && path !== '/api/v2/tocsin/silence-schedules/preview') return '/api/v2/tocsin/silence-schedules/{id}';
  if (path.startsWith('/assets/')) return '/assets/*path';
  return path;
}

/** The HTTP application as node:http calls it, with `listen` as an Express app has it (tests listen on it). */
export interface HttpApp {
  (req: IncomingMessage, res: ServerResponse): void;
  listen(port: number, host: string, listening?: () => void): http.Server;
}

/** What the lean requests and the Express app share: the HTTP metrics and the /api/v2 steps. */
interface Shared {
  prefix: string;
  metrics: ReturnType<typeof httpMetrics>;
  observe(req: IncomingMessage, res: ServerResponse, path: string): void;
  postAlerts: ReturnType<typeof postAlertsHandler>;
  noStore(res: ServerResponse): void;
  armTimeout(res: ServerResponse): void;
}

/** /-/healthy and /-/ready: 200 "OK", or 503 while the stored alerts load (a HEAD has no body; its length as before). */
function answerProbe(req: IncomingMessage, res: ServerResponse, ready: boolean): void {
  const body = ready ? 'OK' : 'Service Unavailable: loading stored alerts';
  res.statusCode = ready ? 200 : 503;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  if (req.method === 'HEAD') {
    res.setHeader('Content-Length', ready ? '2' : '0');
    res.end();
    return;
  }
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  res.end(body);
}

/**
 * The HTTP application. Express (and every router under it) is built on the first request that needs it: the
 * lean routes (POST /api/v2/alerts and those of deps.leanRoutes) and, without `before` handlers, GET/HEAD of
 * exactly /-/healthy and /-/ready are answered without it. An idle server, probed by its supervisor and sent
 * alerts by Prometheus, never loads Express: about 7 MiB less memory (issue 17).
 */
export function createHttpApp(deps: ServerDeps): HttpApp {
  const prefix = deps.routePrefix === '/' ? '' : deps.routePrefix;
  const metrics = httpMetrics(deps.registry);

  // request metrics
  const observe = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const handler = handlerLabel(path);
      const method = (req.method ?? '').toLowerCase();
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.duration.observe({ handler, method, code: String(res.statusCode) }, secs);
      const len = Number(res.getHeader('content-length') ?? 0);
      metrics.size.observe({ handler, method }, Number.isFinite(len) ? len : 0);
    });
  };
  const noStore = (res: ServerResponse) => res.setHeader('Cache-Control', 'no-store');
  // --web.timeout: 503 when the handler has not answered in time
  const armTimeout = (res: ServerResponse) => {
    const t = setTimeout(() => {
      sendError(res, new ApiError(503, `Exceeded configured timeout of ${formatGoDuration(deps.timeout)}.\n`, { shape: 'text' }));
    }, deps.timeout);
    res.on('close', () => clearTimeout(t));
  };
  // POST /api/v2/alerts (Prometheus's, every few seconds: the busiest path) is a lean route (below), in front of
  // Express; the same handler answers other spellings through the /api/v2 chain
  const shared: Shared = { prefix, metrics, observe, postAlerts: postAlertsHandler(deps), noStore, armTimeout };

  let built: Express | undefined;
  const full = (): Express => {
    built ??= expressApp(deps, shared);
    return built;
  };
  const lean = leanDispatcher({
    prefix,
    routes: [{ method: 'POST', path: '/alerts', handle: (req, res) => shared.postAlerts(req, res) }, ...(deps.leanRoutes ?? [])],
    observe,
    before: deps.before ?? [],
    app: {
      get request() {
        return full().request;
      },
      get response() {
        return full().response;
      },
    },
    // what the /api/v2 middleware does for a request that is not a GET and not a preflight
    api: (req, res) => {
      noStore(res);
      corsHeaders(req, res);
      if (deps.timeout > 0) armTimeout(res);
    },
    logger: deps.logger,
  });
  // with `before` handlers (web config: basic auth, headers) the probes go through them, in Express
  const probes = deps.before?.length ? new Set<string>() : new Set([`${prefix}/-/healthy`, `${prefix}/-/ready`]);
  const probe = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!probes.has(path)) return false;
    observe(req, res, path.slice(prefix.length));
    answerProbe(req, res, !path.endsWith('/-/ready') || deps.ready?.() !== false);
    return true;
  };
  const app = ((req: IncomingMessage, res: ServerResponse) => {
    if (!lean(req, res) && !probe(req, res)) full()(req, res);
  }) as HttpApp;
  app.listen = (port, host, listening) => http.createServer(app).listen(port, host, listening);
  return app;
}

/** The Express app: every route, the lean ones too (their other spellings), in upstream's order. */
function expressApp(deps: ServerDeps, shared: Shared): Express {
  const { prefix, metrics, observe, postAlerts, noStore, armTimeout } = shared;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'extended');
  app.use((req: Request, res: Response, next: NextFunction) => {
    observe(req, res, req.path.startsWith(prefix) ? req.path.slice(prefix.length) || '/' : req.path);
    next();
  });
  for (const h of deps.before ?? []) app.use(h);

  if (prefix !== '') {
    app.get('/', (_req, res) => {
      res.redirect(302, prefix);
    });
  }

  const r = express.Router();

  r.get('/metrics', async (_req, res) => {
    try {
      const body = await deps.registry.metrics();
      res.status(200).type(deps.registry.contentType).send(body);
    } catch (e) {
      sendError(res, new ApiError(500, String(e), { shape: 'text' }));
    }
  });

  r.get('/-/healthy', (req, res) => answerProbe(req, res, true));
  // Tocsin: 503 until the stored alerts are loaded (upstream has nothing to load: ready once it listens)
  r.get('/-/ready', (req, res) => answerProbe(req, res, deps.ready?.() !== false));
  r.post('/-/reload', async (_req, res) => {
    try {
      await deps.reload();
      res.status(200).end();
    } catch (e) {
      sendError(res, new ApiError(500, `failed to reload config: ${(e as Error).message}`, { shape: 'text' }));
    }
  });
  r.all('/-/reload', (_req, res) => {
    sendError(res, new ApiError(405, 'Method Not Allowed\n', { shape: 'text', headers: { Allow: 'OPTIONS, POST' } }));
  });

  // API v1: removed upstream in 0.27; answer 410 like master
  r.all(/^\/api\/v1(\/.*)?$/, (_req, res) => {
    sendError(res, new ApiError(410, V1_BODY, { shape: 'json' }));
  });

  // API v2
  const v2 = express.Router();
  const limit = deps.getConcurrency > 0 ? deps.getConcurrency : Math.max(os.cpus().length, 8);
  let inFlightGets = 0;
  v2.use((_req: Request, res: Response, next: NextFunction) => {
    noStore(res);
    next();
  });
  v2.use(cors);
  // the live stream stays open: outside the GET concurrency limit and --web.timeout
  v2.use(alertStreamRoutes(deps).router);
  v2.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') {
      next();
      return;
    }
    if (inFlightGets >= limit) {
      metrics.limited.inc({ method: 'get' });
      sendError(res, new ApiError(503, `Limit of concurrent GET requests reached (${limit}), try again later.\n`, { shape: 'text' }));
      return;
    }
    inFlightGets++;
    metrics.inFlight.inc({ method: 'get' });
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlightGets--;
      metrics.inFlight.dec({ method: 'get' });
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  });
  if (deps.timeout > 0) {
    v2.use((_req: Request, res: Response, next: NextFunction) => {
      armTimeout(res);
      next();
    });
  }
  v2.use(alertsRoutes(deps, postAlerts));
  v2.use(statusRoutes(deps));
  v2.use((req: Request, res: Response, next: NextFunction) => {
    const routers = deps.apiRouters();
    let i = 0;
    const step = (err?: unknown) => {
      if (err !== undefined && err !== 'router' && err !== 'route') {
        next(err);
        return;
      }
      const router = routers[i++];
      if (!router) {
        next();
        return;
      }
      router(req, res, step);
    };
    step();
  });
  // go-swagger's answers for unknown paths and methods
  v2.use((req: Request, res: Response) => {
    const route = V2_ROUTES.find((x) => x.re.test(req.path));
    if (route && !route.methods.includes(req.method)) {
      const allow = route.methods.join(',');
      sendError(res, new ApiError(405, `method ${req.method} is not allowed, but [${allow}] are`, { shape: 'swagger', headers: { Allow: allow } }));
      return;
    }
    sendError(res, swaggerError(404, `path /api/v2${req.path} was not found`));
  });
  r.use('/api/v2', v2);

  if (deps.ui) r.use(deps.ui());
  // anything else: Go's http.NotFound, as upstream's router answers
  r.use((_req: Request, res: Response) => {
    sendError(res, new ApiError(404, '404 page not found\n', { shape: 'text' }));
  });

  // errors thrown past a handler (bugs, aborted requests)
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err }, 'HTTP handler failed');
    const status = (err as { status?: unknown }).status;
    sendError(res, typeof status === 'number' ? new ApiError(status, (err as Error).message ?? 'internal error') : err);
  });

  if (prefix === '') app.use(r);
  else app.use(prefix, r);
  app.use((_req: Request, res: Response) => {
    sendError(res, new ApiError(404, '404 page not found\n', { shape: 'text' }));
  });

  return app;
}
