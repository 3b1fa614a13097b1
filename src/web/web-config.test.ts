import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import express from 'express';
import { basicAuthMiddleware } from './basic-auth';
import { BcryptPool } from './bcrypt-pool';
import { headersMiddleware, loadWebConfigFile, parseWebConfig, WebConfigError, WebConfigWatcher } from './web-config';
import http from 'node:http';

describe('web config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-web-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
    ], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses unknown keys, bad client auth types and headers that cannot be set', () => {
    expect(() => parseWebConfig('tls_server_confg: {}\n', 'w.yml')).toThrow('w.yml: field tls_server_confg not found in type');
    expect(() => parseWebConfig('tls_server_config: {cert_file: c, key_file: k, client_auth_type: Maybe}\n', path.join(dir, 'w.yml'))).toThrow(WebConfigError);
    expect(() => parseWebConfig('http_server_config: {headers: {Server: x}}\n', 'w.yml')).toThrow('HTTP header Server can not be configured');
  });

  it('refuses basic_auth_users whose hash is not bcrypt (as exporter-toolkit validateUsers): such a user would answer at once', () => {
    const good = bcrypt.hashSync('pw', 4);
    expect(parseWebConfig(`basic_auth_users: {a: "${good}", b: "${good.replace('$2b$', '$2y$')}"}\n`, 'w.yml').basicAuthUsers.size).toBe(2);
    expect(() => parseWebConfig('basic_auth_users: {a: plaintext}\n', 'w.yml')).toThrow('basic_auth_users.a: crypto/bcrypt: hashedSecret too short to be a bcrypted password');
    expect(() => parseWebConfig(`basic_auth_users: {a: "${good.replace('$04$', '$03$')}"}\n`, 'w.yml')).toThrow('basic_auth_users.a: crypto/bcrypt: cost 3 is outside allowed inclusive range 4..31');
    expect(() => parseWebConfig(`basic_auth_users: {a: "x${good.slice(1)}"}\n`, 'w.yml')).toThrow("basic_auth_users.a: crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with 'x'");
  });

  it('refuses an alias bomb and a syntax error with file:line:column, at once', () => {
    let bomb = 'basic_auth_users:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 9; i++) bomb += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const t0 = performance.now();
    expect(() => parseWebConfig(bomb, 'w.yml')).toThrow(new WebConfigError('w.yml:5:27: yaml: document contains excessive aliasing'));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(() => parseWebConfig('basic_auth_users:\n  a: [x\n', 'w.yml')).toThrow(/^w\.yml:3:1: /);
  });

  it('serves TLS with basic auth from bcrypt hashes ($2y$ too), with configured headers', async () => {
    const hash = bcrypt.hashSync('s3cret', 4).replace(/^\$2a\$/, '$2y$');
    const file = path.join(dir, 'web.yml');
    writeFileSync(
      file,
      `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  alice: ${JSON.stringify(hash)}\n`,
    );
    const web = loadWebConfigFile(file);
    expect(web.tls).toBeDefined();
    const app = express();
    const pool = new BcryptPool();
    app.use(basicAuthMiddleware(web.basicAuthUsers, pool), headersMiddleware(web.headers));
    app.get('/-/healthy', (_req, res) => {
      res.send('OK');
    });
    const server = https.createServer(web.tls!, app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const ca = readFileSync(path.join(dir, 'cert.pem'));
    const get = (auth?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port, path: '/-/healthy', ca, headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const anon = await get();
      expect(anon.status).toBe(401);
      expect(anon.headers['www-authenticate']).toBe('Basic');
      expect((await get('alice:wrong')).status).toBe(401);
      expect((await get('bob:s3cret')).status).toBe(401);
      const ok = await get('alice:s3cret');
      expect([ok.status, ok.body]).toEqual([200, 'OK']);
      expect(ok.headers['x-frame-options']).toBe('deny');
      expect((await get('alice:s3cret')).status).toBe(200); // cached path
    } finally {
      await pool.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('re-reads the file when it changes; a broken file keeps the previous users', async () => {
    const file = path.join(dir, 'web-reload.yml');
    const users = (u: string, p: string) => `basic_auth_users:\n  ${u}: ${JSON.stringify(bcrypt.hashSync(p, 4))}\n`;
    writeFileSync(file, users('alice', 'one'));
    const errors: string[] = [];
    const w = new WebConfigWatcher(file, { onError: (e) => errors.push(e.message) });
    const app = express();
    app.use(w.middleware());
    app.get('/', (_req, res) => {
      res.send('OK');
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const status = async (auth: string) => (await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } })).status;
    const pause = () => new Promise((r) => setTimeout(r, 150));
    try {
      expect(await status('alice:one')).toBe(200);
      await pause();
      writeFileSync(file, users('bob', 'two'));
      await pause();
      expect(await status('alice:one')).toBe(401);
      expect(await status('bob:two')).toBe(200);
      writeFileSync(file, 'basic_auth_users: [\n');
      await pause();
      expect(await status('bob:two')).toBe(200);
      expect(errors).toHaveLength(1);
    } finally {
      await w.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
