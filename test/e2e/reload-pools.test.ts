import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

/**
 * A reload replaces every notifier; the old notifiers' HTTP connection pools (undici agents in the shared
 * sender) must be closed when the old dispatch stops, or each reload leaks kept-alive sockets.
 * The capture server keeps connections alive for 60 s, so only the client closing them ends them in time.
 */
describe('reload closes the replaced notifiers connection pools', () => {
  let h: Harness | undefined;
  let srv: Server;
  let url = '';
  let open = 0;
  let received = 0;

  beforeAll(async () => {
    srv = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.end('ok');
      });
    });
    srv.keepAliveTimeout = 60_000;
    srv.on('connection', (s) => {
      open++;
      s.on('close', () => open--);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await h?.close();
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  });

  // a new receiver name each time: the nflog has no entry for it, so each generation sends once
  const config = (n: number) =>
    `route:\n  receiver: r${n}\n  group_wait: 0s\n  group_interval: 1h\n  repeat_interval: 1h\nreceivers:\n  - name: r${n}\n    webhook_configs:\n      - url: ${url}\n`;

  it('after N reloads, one socket is open (the live notifier), not N', async () => {
    const N = 6;
    h = await startApp({ config: config(0) });
    const p = await postAlerts(h.url, [{ labels: { alertname: 'Leak' } }]);
    expect(p.status).toBe(200);
    await waitFor(async () => received >= 1, { what: 'first notification' });
    expect(open).toBe(1);
    for (let n = 1; n <= N; n++) {
      writeFileSync(h.configFile, config(n));
      await h.app.reload();
      await waitFor(async () => received >= n + 1, { what: `notification after reload ${n}` });
    }
    // every replaced pool closes its idle socket; without close() all N+1 stay open for the server's 60 s
    await waitFor(async () => open === 1, { what: 'replaced pools to close their sockets', timeoutMs: 5000 });
    expect(received).toBe(N + 1);
    expect(open).toBe(1);
  });
});
