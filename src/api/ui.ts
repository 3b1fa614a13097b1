/**
 * @module api/ui
 * Serves the built web UI (src/ui/dist, produced by `node src/ui/build.mjs` as part of `npm run build`).
 * Mount it at `/` under the route prefix: `app.use(prefix, uiRoutes({ routePrefix: prefix }))`.
 *
 * As upstream ui/web.go: `GET /` → index.html with no-cache headers, `GET /favicon.ico`, `GET /assets/<file>` with
 * immutable caching (file names carry a content hash), pre-compressed `.br`/`.gz` chosen by Accept-Encoding
 * (`Vary: Accept-Encoding`), and only css/eot/html/ico/js/svg/ttf/woff/woff2 files are served (others 404).
 * Everything is read into memory once, at the first request for the UI (a server nobody browses holds none of
 * it: ~0.5 MB); nothing is fetched from the network.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type Request, type Response, Router } from 'express';
import { ApiError, sendError } from './errors';

export interface UiRoutesOptions {
  /** The --web.route-prefix ("/" or "/x"); used to redirect "/x" to "/x/" so relative asset URLs resolve. */
  routePrefix: string;
  /** Directory holding index.html, favicon.ico and assets/; defaults to the package's built UI. */
  assetsDir?: string;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  eot: 'application/vnd.ms-fontobject',
  html: 'text/html; charset=utf-8',
  ico: 'image/x-icon',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ttf: 'font/ttf',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

interface Asset {
  type: string;
  body: Buffer;
  gz?: Buffer;
  br?: Buffer;
}

/** The built UI directory shipped with the package (works from src/ via jest and from dist/ after tsc). */
export function defaultUiDir(): string | null {
  const candidates = [path.join(__dirname, '..', 'ui', 'dist'), path.join(__dirname, '..', '..', 'src', 'ui', 'dist')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? null;
}

function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const add = (rel: string) => {
    const ext = path.extname(rel).slice(1);
    const type = TYPES[ext];
    if (!type) return;
    const file = path.join(dir, rel);
    const a: Asset = { type, body: readFileSync(file) };
    if (existsSync(`${file}.gz`)) a.gz = readFileSync(`${file}.gz`);
    if (existsSync(`${file}.br`)) a.br = readFileSync(`${file}.br`);
    out.set(rel, a);
  };
  for (const f of ['index.html', 'favicon.ico']) if (existsSync(path.join(dir, f))) add(f);
  const assets = path.join(dir, 'assets');
  if (existsSync(assets)) {
    for (const f of readdirSync(assets, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.gz') && !f.endsWith('.br')) add(`assets/${f.split(path.sep).join('/')}`);
    }
  }
  return out;
}

function send(req: Request, res: Response, a: Asset, cache: string): void {
  res.setHeader('Content-Type', a.type);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', cache);
  const accept = String(req.headers['accept-encoding'] ?? '');
  let body = a.body;
  if (a.br && /\bbr\b/.test(accept)) {
    res.setHeader('Content-Encoding', 'br');
    body = a.br;
  } else if (a.gz && /\bgzip\b/.test(accept)) {
    res.setHeader('Content-Encoding', 'gzip');
    body = a.gz;
  }
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

/** Express router serving the UI; mount at "/" under the route prefix. */
export function uiRoutes(opts: UiRoutesOptions): Router {
  const router = Router();
  const dir = opts.assetsDir ?? defaultUiDir();
  let loaded: Map<string, Asset> | undefined;
  const assets = { get: (rel: string) => (loaded ??= dir ? loadAssets(dir) : new Map<string, Asset>()).get(rel) };
  const prefix = opts.routePrefix === '/' ? '' : opts.routePrefix.replace(/\/+$/, '');

  const index = (req: Request, res: Response) => {
    // "/x" must become "/x/" so that "assets/..." and "api/v2/..." resolve under the prefix
    if (prefix !== '' && req.originalUrl.split('?')[0] === prefix) {
      res.redirect(302, `${prefix}/`);
      return;
    }
    const a = assets.get('index.html');
    if (!a) {
      sendError(res, new ApiError(503, 'The web UI is not built (run npm run build).\n', { shape: 'text' }));
      return;
    }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Pragma', 'no-cache');
    res.setHeader('Expires', '0');
    send(req, res, a, 'no-cache, no-store, must-revalidate');
  };
  router.get('/', index);
  router.get('/index.html', index);
  router.get('/favicon.ico', (req, res) => {
    const a = assets.get('favicon.ico');
    if (!a) {
      sendError(res, new ApiError(404, 'not found', { shape: 'empty' }));
      return;
    }
    send(req, res, a, 'public, max-age=86400');
  });
  router.get('/assets/{*file}', (req, res) => {
    const rel = `assets/${decodeURIComponent(req.path.slice('/assets/'.length))}`;
    const a = rel.includes('..') ? undefined : assets.get(rel);
    if (!a) {
      sendError(res, new ApiError(404, '404 page not found\n', { shape: 'text' }));
      return;
    }
    send(req, res, a, 'public, max-age=31536000, immutable');
  });
  return router;
}
