/**
 * A real HTTP receiver for the workflow tests: records every webhook notification by path with its arrival time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  at: number;
  status: string;
  reason?: string;
  receiver: string;
  alerts: { labels: Record<string, string>; status: string }[];
}

export class Sink {
  readonly got: Received[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const m = JSON.parse(body) as { status: string; receiver: string; alerts: Received['alerts']; notification_reason?: string };
        this.got.push({ path: req.url ?? '', at: Date.now(), status: m.status, receiver: m.receiver, alerts: m.alerts, ...(m.notification_reason ? { reason: m.notification_reason } : {}) });
        res.end();
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  to(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  /** resolves with the first notification to `path` matching `pred`, polling every 20 ms for up to `ms` */
  async waitFor(path: string, ms: number, pred: (r: Received) => boolean = () => true): Promise<Received> {
    const end = Date.now() + ms;
    for (;;) {
      const r = this.to(path).find(pred);
      if (r) return r;
      if (Date.now() > end) throw new Error(`no notification to ${path} within ${ms} ms (got ${JSON.stringify(this.got.map((g) => [g.path, g.reason]))})`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => r());
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
