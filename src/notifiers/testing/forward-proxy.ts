/**
 * A loopback forward proxy for tests: plain-HTTP requests are relayed to `targetPort`, CONNECT tunnels are
 * opened to `targetPort` whatever host they ask for. Records "METHOD url" (or "CONNECT host:port") and the
 * CONNECT request headers.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface ForwardProxy {
  url: string;
  /** what the proxy was asked for, in order */
  readonly requests: string[];
  readonly connectHeaders: IncomingHttpHeaders[];
  clear(): void;
  close(): Promise<void>;
}

export async function startForwardProxy(targetPort: number): Promise<ForwardProxy> {
  const requests: string[] = [];
  const connectHeaders: IncomingHttpHeaders[] = [];
  const proxy = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? '/').pathname;
    const up = httpRequest({ host: '127.0.0.1', port: targetPort, path, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  proxy.on('connect', (req, socket, head) => {
    requests.push(`CONNECT ${req.url}`);
    connectHeaders.push(req.headers);
    const up = connect(targetPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    connectHeaders,
    clear() {
      requests.length = 0;
      connectHeaders.length = 0;
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    },
  };
}
