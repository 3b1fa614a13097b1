/**
 * Live updates of the alerts page in real Chromium: against bin/tocsin the page follows the server's stream
 * (api/v2/tocsin/alerts/stream), so alerts posted, changed, silenced and resolved show without a reload and long
 * before the 30 s poll; against the real Alertmanager (no such endpoint) it falls back to polling.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../helpers/build';
import { type Backend, launchChromium, postAlerts, startBackend, watchedPage } from './harness';

const CONFIG = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
receivers:
  - name: default
`;

/** Generous for a loaded machine; the bench measures the real latency (bench/lib/scenarios/live.js). */
const LIVE_TIMEOUT_MS = 3000;

describe.each(['tocsin', 'alertmanager'])('alerts page live updates against %s', (kind) => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (kind === 'tocsin') ensureBuilt();
    [backend, browser] = await Promise.all([startBackend(CONFIG, { kind }), launchChromium()]);
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'Steady', instance: 'a' }, annotations: { summary: 'steady one' } }]);
    page = await watchedPage(browser, pageErrors);
    await page.goto(`${backend.uiUrl}?load=1#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    await page.waitForSelector('.alert-row:has-text("steady one")');
    // survives only as long as the page is not reloaded
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const notReloaded = () => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  if (kind === 'alertmanager') {
    test('no stream: the page says it polls and still shows the alerts', async () => {
      await page.waitForSelector('main[data-live="polling"]');
      await expect(page.locator('.alert-row').count()).resolves.toBe(1);
      expect(pageErrors).toEqual([]);
    });
    return;
  }

  test('follows the stream', async () => {
    await page.waitForSelector('main[data-live="stream"]');
  });

  test('a posted alert appears without a reload', async () => {
    const t0 = Date.now();
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'Fresh', instance: 'b' }, annotations: { summary: 'fresh one' } }]);
    await page.waitForSelector('.alert-row:has-text("fresh one")', { timeout: LIVE_TIMEOUT_MS });
    expect(Date.now() - t0).toBeLessThan(LIVE_TIMEOUT_MS);
    await page.waitForSelector('.group-row[data-group*="Fresh"]');
    await expect(notReloaded()).resolves.toBe(true);
  });

  test('a changed alert is updated in place', async () => {
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'Fresh', instance: 'b' }, annotations: { summary: 'fresh one, changed' } }]);
    await page.waitForSelector('.alert-row:has-text("fresh one, changed")', { timeout: LIVE_TIMEOUT_MS });
    await expect(notReloaded()).resolves.toBe(true);
  });

  test('a silenced alert leaves the list (silenced ones are hidden by default)', async () => {
    const res = await fetch(`${backend.apiUrl}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'Steady', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600e3).toISOString(),
        createdBy: 'ui-test',
        comment: 'live',
      }),
    });
    expect(res.status).toBe(200);
    await page.waitForSelector('.alert-row:has-text("steady one")', { state: 'detached', timeout: LIVE_TIMEOUT_MS });
    await expect(notReloaded()).resolves.toBe(true);
  });

  test('a resolved alert disappears without a reload', async () => {
    await page.waitForSelector('.alert-row:has-text("fresh one")');
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'Fresh', instance: 'b' }, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await page.waitForSelector('.alert-row:has-text("fresh one")', { state: 'detached', timeout: LIVE_TIMEOUT_MS });
    await page.waitForSelector('.group-row[data-group*="Fresh"]', { state: 'detached' });
    await expect(notReloaded()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
