/**
 * SMTP replies in the notification history: an email receiver on a real SMTP server (smtp-server on 127.0.0.1)
 * that refuses the first message with a temporary failure (451) and accepts the second. Each attempt's
 * `notification` event carries the server's reply (code and text), as HTTP integrations carry their status.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

interface WireEvent {
  kind: string;
  data?: Record<string, unknown>;
}

describe('SMTP replies in notification events', () => {
  let server: SMTPServer;
  let port: number;
  let messages = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => {
          messages++;
          if (messages === 1) {
            const err = Object.assign(new Error('4.3.0 mailbox busy, try later'), { responseCode: 451 });
            return cb(err);
          }
          cb(null, 'Ok: queued as 4F2A');
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('records the 451 of the failed attempt and the 250 of the delivered one', async () => {
    const h: Harness = await startApp({
      config: `
route: {receiver: mail, group_by: [alertname], group_wait: 50ms, group_interval: 1h}
receivers:
  - name: mail
    email_configs:
      - to: oncall@example.org
        from: tocsin@example.org
        smarthost: 127.0.0.1:${port}
        require_tls: false
`,
      options: { history: { enabled: true, retention: 3600_000, maxEvents: 0 } },
    });
    try {
      expect((await postAlerts(h.url, [{ labels: { alertname: 'Mail' } }])).status).toBe(200);
      const events = await waitFor(
        async () => {
          const r = await fetch(`${h.url}/api/v2/tocsin/history?kind=notification&receiver=mail`);
          const ev = ((await r.json()) as { events: WireEvent[] }).events;
          return ev.length >= 2 && ev;
        },
        { what: 'two email attempts in the history', timeoutMs: 20_000 },
      );
      const [ok, failed] = events;
      expect(failed!.data).toMatchObject({ integration: 'email', attempt: 1, outcome: 'failure', smtp: { code: 451, text: '4.3.0 mailbox busy, try later' } });
      expect(ok!.data).toMatchObject({ integration: 'email', attempt: 2, outcome: 'success', smtp: { code: 250, text: 'Ok: queued as 4F2A' } });
      expect(ok!.data!.status).toBeUndefined();
    } finally {
      await h.close();
    }
  }, 60_000);
});
