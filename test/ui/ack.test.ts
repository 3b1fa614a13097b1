/**
 * Acknowledging a group from the alerts page in real Chromium against bin/tocsin (Alertmanager has no acks): the Ack
 * button opens a form (author, comment, expiry), the ack is stored and shown on the group (escaped), the explain page
 * names it, and Unack deletes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../helpers/build';
import { startTocsin as startTocsinProcess, type TocsinProcess } from '../helpers/tocsin-process';
import { Sink } from '../workflows/sink';
import { type Backend, getJson, launchChromium, postAlerts, startBackend, watchedPage } from './harness';

const CONFIG = `
route: {receiver: team, group_by: [service], group_wait: 1h}
receivers: [{name: team}]
`;

interface Ack {
  ackID: string;
  createdBy: string;
  comment: string;
  endsAt?: string;
}

describe('alerts page: acknowledge a group', () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    [backend, browser] = await Promise.all([startBackend(CONFIG, { kind: 'tocsin' }), launchChromium()]);
    await postAlerts(backend.apiUrl, [
      { labels: { alertname: 'DiskFull', service: 'db' } },
      { labels: { alertname: 'Latency', service: 'web' } },
    ]);
    page = await watchedPage(browser, pageErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  test('Ack stores the ack with author, comment and expiry and shows it on the group; Unack deletes it', async () => {
    await page.goto(`${backend.uiUrl}#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    const db = page.locator('.group-row', { hasText: 'service="db"' });
    await db.locator('[data-testid="ack-group"]').click();
    // the form refuses an empty comment
    await page.fill('#ack-author', 'alice');
    await page.click('[data-testid="ack-submit"]');
    await page.waitForSelector('dialog.ack-dialog .error:not([hidden])');
    await page.fill('#ack-comment', 'swapping the <b>disk</b>');
    await page.selectOption('#ack-expiry', '4h');
    await page.click('[data-testid="ack-submit"]');
    await page.waitForSelector('dialog.ack-dialog', { state: 'detached' });

    const acks = await getJson<Ack[]>(`${backend.apiUrl}/api/v2/tocsin/acks`);
    expect(acks).toEqual([expect.objectContaining({ createdBy: 'alice', comment: 'swapping the <b>disk</b>', endsAt: expect.any(String) })]);
    const hours = (Date.parse(acks[0]!.endsAt!) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(3.9);
    expect(hours).toBeLessThanOrEqual(4);

    // shown on the acked group only, as text (no markup from the comment)
    const badge = db.locator('[data-testid="ack-badge"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('Acked by alice: swapping the <b>disk</b>');
    expect(await db.locator('b').count()).toBe(0);
    expect(await db.locator('[data-testid="ack-group"]').count()).toBe(0);
    const web = page.locator('.group-row', { hasText: 'service="web"' });
    expect(await web.locator('[data-testid="ack-badge"]').count()).toBe(0);
    expect(await web.locator('[data-testid="ack-group"]').count()).toBe(1);

    // explain names the ack on the group's route
    const fp = (await getJson<{ fingerprint: string; labels: Record<string, string> }[]>(`${backend.apiUrl}/api/v2/alerts`)).find((a) => a.labels.service === 'db')!.fingerprint;
    await page.goto(`${backend.uiUrl}#/explain/${fp}`);
    expect(await page.locator('[data-testid="explain-ack"]').textContent()).toContain('by alice: swapping the <b>disk</b>');

    await page.goto(`${backend.uiUrl}#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    await db.locator('[data-testid="unack-group"]').click();
    await page.click('[data-testid="confirm-ok"]');
    await db.locator('[data-testid="ack-group"]').waitFor();
    expect(await getJson<Ack[]>(`${backend.apiUrl}/api/v2/tocsin/acks`)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

describe('alerts page: a group escalating', () => {
  let dir: string;
  let tocsin: TocsinProcess;
  let sink: Sink;
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    sink = await new Sink().start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ui-esc-'));
    const hook = (p: string) => `webhook_configs: [{url: "${sink.url}/${p}"}]`;
    writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      `route: {receiver: team, group_by: [service], group_wait: 0s, group_interval: 1h}\nreceivers:\n  - {name: team, ${hook('team')}}\n  - {name: pager, ${hook('pager')}}\n  - {name: manager, ${hook('manager')}}\n`,
    );
    writeFileSync(path.join(dir, 'tocsin.yml'), 'receivers:\n  team:\n    escalation:\n      - {after: 1s, receiver: pager}\n      - {after: 1h, receiver: manager}\n');
    [tocsin, browser] = await Promise.all([
      startTocsinProcess({ configFile: path.join(dir, 'alertmanager.yml'), storagePath: path.join(dir, 'data'), args: [`--tocsin.config.file=${path.join(dir, 'tocsin.yml')}`] }),
      launchChromium(),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await tocsin?.stop('SIGKILL');
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the group shows the steps reached and the next one; after an ack, that the escalation stopped', async () => {
    await postAlerts(tocsin.url, [{ labels: { alertname: 'DiskFull', service: 'db' } }]);
    await sink.waitFor('/pager', 8000);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${tocsin.url}/#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    const badge = page.locator('.group-row [data-testid="escalation-badge"]');
    expect(await badge.textContent()).toBe('Escalated to pager · next: manager');
    await page.click('[data-testid="ack-group"]');
    await page.fill('#ack-author', 'bob');
    await page.fill('#ack-comment', 'mine');
    await page.click('[data-testid="ack-submit"]');
    await page.locator('[data-testid="ack-badge"]').waitFor();
    expect(await badge.textContent()).toBe('Escalation stopped (acknowledged) after pager');
    const fp = (await getJson<{ fingerprint: string }[]>(`${tocsin.url}/api/v2/alerts`))[0]!.fingerprint;
    expect(await getJson<{ routes: { ack?: unknown }[] }>(`${tocsin.url}/api/v2/tocsin/explain?fingerprint=${fp}`)).toMatchObject({ routes: [{ ack: { createdBy: 'bob' } }] });
  }, 30_000);
});
