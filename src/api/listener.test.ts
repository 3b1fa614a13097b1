import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createListener, HTTP_TO_HTTPS_RESPONSE } from './listener';

/** What a raw TCP client gets back for `bytes`, up to the server closing the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('createListener', () => {
  let dir: string;
  let server: http.Server | https.Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-listener-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
    ], { stdio: 'ignore' });
    const tls = { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
    server = createListener((req, res) => res.end(`tls ok ${req.url}`), tls);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers plain HTTP on a TLS listener with Go's 400 (recorded from Alertmanager 0.25), then still serves TLS", async () => {
    expect(HTTP_TO_HTTPS_RESPONSE).toBe('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
    for (const req of ['GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n', 'POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]']) {
      expect(await rawExchange(port, req)).toBe(HTTP_TO_HTTPS_RESPONSE);
    }
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`https://127.0.0.1:${port}/x`, { rejectUnauthorized: false }, (res) => {
          let b = '';
          res.on('data', (d: Buffer) => {
            b += d.toString();
          });
          res.on('end', () => resolve(b));
        })
        .on('error', reject);
    });
    expect(body).toBe('tls ok /x');
  });
});
