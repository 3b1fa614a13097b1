/**
 * The HTTP(S) servers the app listens with, behaving as Go's net/http server does where clients can tell:
 * - request headers may take up to 1 MB (Go's DefaultMaxHeaderBytes: Alertmanager accepts long `filter` query
 *   strings; Node's default is 16 KB, answered with 431);
 * - a plain HTTP request sent to a TLS listener is answered `HTTP/1.0 400 Bad Request` with Go's text and the
 *   connection closed (net/http server.go: a TLS record header reading "GET /", "HEAD ", "POST ", "PUT /" or
 *   "OPTIO"); Node would just drop the connection. Checked against Alertmanager 0.25 with a web config.
 */
import http from 'node:http';
import type https from 'node:https';
import type { Socket } from 'node:net';

/** Go's net/http DefaultMaxHeaderBytes. */
export const MAX_HEADER_BYTES = 1 << 20;

/** What Go writes to a plaintext HTTP client on a TLS port. */
export const HTTP_TO_HTTPS_RESPONSE = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

const HTTP_STARTS = new Set(['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO']);

/** How long a new connection may stay silent before its first bytes (then TLS's own handshake timeout applies). */
const FIRST_BYTES_TIMEOUT_MS = 120_000;

export function createListener(handler: http.RequestListener, tls?: https.ServerOptions): http.Server | https.Server {
  if (!tls) return http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
  // loaded only for a TLS listener: node:https (and TLS with it) costs a plain HTTP server ~0.8 MiB and ~4 ms to load
  const { createServer } = require('node:https') as typeof import('node:https');
  const server = createServer({ ...tls, maxHeaderSize: MAX_HEADER_BYTES }, handler);
  // look at the first bytes before the TLS layer takes the connection over
  const startTls = server.listeners('connection')[0] as (socket: Socket) => void;
  server.removeListener('connection', startTls);
  server.on('connection', (socket: Socket) => {
    const onError = () => socket.destroy();
    socket.on('error', onError);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      socket.off('error', onError);
      if (HTTP_STARTS.has(first.subarray(0, 5).toString('latin1'))) {
        socket.on('error', onError);
        socket.end(HTTP_TO_HTTPS_RESPONSE);
        return;
      }
      socket.unshift(first);
      startTls.call(server, socket);
      process.nextTick(() => socket.resume());
    });
  });
  return server;
}
