/** uiRoutes(): what the server returns for the UI files (no browser needed). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { defaultUiDir, uiRoutes } from '../../src/api/ui';

let dir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ui-serve-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'assets', 'app-1.js.gz'), gzipSync('console.log(1)'));
  writeFileSync(path.join(dir, 'assets', 'data.json'), '{}');
  const app = express();
  app.use('/am', uiRoutes({ routePrefix: '/am', assetsDir: dir }));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('uiRoutes()', () => {
  test('serves index.html under the prefix with no-cache headers and a CSP', async () => {
    const res = await fetch(`${base}/am/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>t</title>');
  });

  test('redirects the bare prefix to prefix/ so relative URLs resolve', async () => {
    const res = await fetch(`${base}/am`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/am/');
  });

  test('serves assets immutable, gzip when accepted, identity otherwise', async () => {
    const gz = await fetch(`${base}/am/assets/app-1.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(gz.headers.get('vary')).toBe('Accept-Encoding');
    expect(gz.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await gz.text()).toBe('console.log(1)'); // fetch decodes the gzip body
    const raw = await new Promise<{ enc: string | undefined; body: string }>((resolve) => {
      http.get(`${base}/am/assets/app-1.js`, { headers: { 'accept-encoding': 'identity' } }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ enc: res.headers['content-encoding'], body }));
      });
    });
    expect(raw).toEqual({ enc: undefined, body: 'console.log(1)' });
  });

  test('404 for unknown files, disallowed extensions and path tricks', async () => {
    expect((await fetch(`${base}/am/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/am/assets/data.json`)).status).toBe(404);
    expect((await fetch(`${base}/am/assets/..%2Findex.html`)).status).toBe(404);
    expect((await fetch(`${base}/am/favicon.ico`)).status).toBe(200);
  });

  test('reads the UI files at the first request for them, not when the routes are made', async () => {
    const late = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ui-late-'));
    const routes = uiRoutes({ routePrefix: '/', assetsDir: late });
    writeFileSync(path.join(late, 'index.html'), '<!doctype html><title>late</title>');
    const s = http.createServer(express().use('/', routes));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>late</title>');
    } finally {
      await new Promise((r) => s.close(r));
      rmSync(late, { recursive: true, force: true });
    }
  });

  test('the package ships a built UI (npm run build)', () => {
    const d = defaultUiDir();
    expect(d).not.toBeNull();
  });
});
