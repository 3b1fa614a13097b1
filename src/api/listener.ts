/**
 * The HTTP(S) servers the app listens with. Request headers may take up to 1 MB, as Go's http.Server
 * (DefaultMaxHeaderBytes) lets Alertmanager accept long `filter` query strings; Node's default is 16 KB (431).
 */
import http from 'node:http';
import https from 'node:https';

/** Go's net/http DefaultMaxHeaderBytes. */
export const MAX_HEADER_BYTES = 1 << 20;

export function createListener(handler: http.RequestListener, tls?: https.ServerOptions): http.Server | https.Server {
  return tls ? https.createServer({ ...tls, maxHeaderSize: MAX_HEADER_BYTES }, handler) : http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
}
