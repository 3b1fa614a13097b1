/**
 * The Notifications page (the persistent outbox) in real Chromium against the real Tocsin process: a receiver that
 * refuses (400) makes dead letters at once; the page lists them with labels shown as text (never markup), and its
 * Replay button sends one again once the receiver takes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';
import { launchChromium, watchedPage } from './harness';

const XSS = '<img src=x onerror="window.__xss=1">';

describe('Notifications page (Chromium, Tocsin process)', () => {
  let dir: string;
  let server: Server;
  let refuse = true;
  const got: string[] = [];
  let p: TocsinProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (refuse) {
          res.writeHead(400).end('bad request');
          return;
        }
        got.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const sink = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ui-outbox-'));
    writeFileSync(path.join(dir, 'am.yml'), `route: {receiver: pager, group_by: [alertname], group_wait: 100ms, group_interval: 1s}\nreceivers: [{name: pager, webhook_configs: [{url: "${sink}"}]}]\n`);
    writeFileSync(path.join(dir, 'tocsin.yml'), 'receivers:\n  pager:\n    outbox: {deadline: 1h, min_backoff: 1s, max_backoff: 2s}\n');
    [p, browser] = await Promise.all([
      startTocsin({ configFile: path.join(dir, 'am.yml'), storagePath: path.join(dir, 'data'), args: [`--tocsin.config.file=${path.join(dir, 'tocsin.yml')}`] }),
      launchChromium(),
    ]);
    page = await watchedPage(browser, pageErrors, { viewport: { width: 1400, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    server?.closeAllConnections();
    await new Promise<void>((r) => server?.close(() => r()) ?? r());
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists dead letters with their labels as text; Replay delivers one once', async () => {
    const alerts = ['DiskFull', XSS].map((n) => ({ labels: { alertname: n } }));
    expect((await fetch(`${p.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) })).status).toBe(200);
    await waitFor(async () => {
      const r = (await (await fetch(`${p.url}/api/v2/tocsin/notifications?state=dead`)).json()) as { notifications: unknown[] };
      return r.notifications.length === 2;
    }, { timeoutMs: 20_000, what: 'two dead letters' });

    await page.goto(`${p.url}/#/notifications?state=dead`);
    const rows = page.locator('table.notifications-table tbody tr');
    await waitFor(async () => (await rows.count()) === 2, { what: 'two rows' });
    const text = await page.locator('table.notifications-table').textContent();
    expect(text).toContain('alertname="DiskFull"');
    expect(text).toContain(XSS);
    expect(text).toContain('unexpected status code 400');
    expect(await page.locator('table.notifications-table img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Notifications');

    refuse = false;
    const disk = page.locator('tr', { hasText: 'alertname="DiskFull"' });
    await disk.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: 'delivered' }).waitFor();
    await waitFor(async () => (await rows.count()) === 1, { what: 'the replayed row to leave the list' });
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!).groupLabels).toEqual({ alertname: 'DiskFull' });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
