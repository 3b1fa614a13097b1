/**
 * The History page and an alert's timeline on its explain page, in real Chromium against the app in-process
 * (real SQLite, a real loopback webhook): rows newest first, filters, infinite scroll, escaping.
 */
import type { Browser, Page } from 'playwright-core';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { launchChromium } from '../ui/harness';

describe('History UI', () => {
  let hook: FakeReceiver;
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let fp: string;

  beforeAll(async () => {
    hook = await startFakeReceiver();
    h = await startApp({
      config: `route: {receiver: pager, group_by: [alertname], group_wait: 50ms, group_interval: 1h}
receivers: [{name: pager, webhook_configs: [{url: '${hook.url}/hook'}]}]
`,
      options: { ui: true },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // the story of one alert, then enough other events for more than one page
    expect((await postAlerts(h.url, [{ labels: { alertname: 'DiskFull', instance: 'db1' } }])).status).toBe(200);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = (await (await fetch(`${h.url}/api/v2/tocsin/history?kind=notification`)).json()) as { events: unknown[] };
      if (r.events.length > 0) break;
      if (Date.now() > deadline) throw new Error('no notification recorded');
      await new Promise((res) => setTimeout(res, 50));
    }
    const many = Array.from({ length: 150 }, (_, i) => ({ labels: { alertname: 'Bulk', n: String(i) }, endsAt: new Date(Date.now() + 3600_000).toISOString() }));
    expect((await postAlerts(h.url, many)).status).toBe(200);
    const alerts = (await (await fetch(`${h.url}/api/v2/alerts?filter=alertname%3D%22DiskFull%22`)).json()) as { fingerprint: string }[];
    fp = alerts[0]!.fingerprint;
    // the batch writer commits within 200 ms
    await new Promise((res) => setTimeout(res, 500));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await hook?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  it('lists events newest first and loads more on scroll', async () => {
    await page.goto(`${h.url}/#/history`);
    await page.locator('.history-event').first().waitFor();
    expect(await page.locator('.history-event').count()).toBe(100);
    // the Bulk group's first notification is the newest event
    expect(await page.locator('.history-event').first().getAttribute('data-kind')).toBe('notification');
    await page.locator('.history-sentinel').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('.history-event').length > 100);
    expect(await page.locator('.history-event').count()).toBe(200);
    // each time the end of the list comes into view the next page loads, until there is no more
    // (1 startup + DiskFull (created, grouped, notification) + 150 x (created, grouped) + the Bulk notification)
    for (let i = 0; i < 10 && !/no more/.test((await page.locator('[aria-live]').textContent()) ?? ''); i++) {
      await page.locator('.history-sentinel').scrollIntoViewIfNeeded();
      await page.waitForTimeout(100);
    }
    expect(await page.locator('.history-event').count()).toBe(1 + 3 + 300 + 1);
  });

  it('filters by alert labels and kind, and escapes label values', async () => {
    await page.goto(`${h.url}/#/history`);
    await page.fill('#history-filter', 'alertname="DiskFull"');
    await page.click('form.filter-bar button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('filter='));
    await page.waitForFunction(() => /no more|No events/.test(document.querySelector('[aria-live]')?.textContent ?? ''));
    expect(await page.locator('.history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['alert_grouped', 'alert_created']);
    await page.selectOption('#history-kind', 'notification');
    await page.waitForFunction(() => location.hash.includes('kind=notification'));
    await page.waitForFunction(() => /no more|No events/.test(document.querySelector('[aria-live]')?.textContent ?? ''));
    const rows = await page.locator('.history-event').allTextContents();
    expect(rows).toHaveLength(0); // notifications carry no labels: an alert-label filter excludes them
    await page.fill('#history-filter', '');
    await page.click('form.filter-bar button[type=submit]');
    await page.waitForFunction(() => !location.hash.includes('filter='));
    await page.locator('.history-event[data-kind=notification]').first().waitFor();
    expect(await page.locator('.history-event').first().textContent()).toMatch(/pager.*webhook\[0\] attempt 1 sent 200 in [\d.]+ ms, first notification/);
    // an alertname with markup is shown as text, never as an element
    const xss = '<img src=x onerror=alert(1)>';
    expect((await postAlerts(h.url, [{ labels: { alertname: xss, xss: '1' } }])).status).toBe(200);
    await new Promise((res) => setTimeout(res, 400));
    await page.goto(`${h.url}/#/history?kind=alert_created&filter=${encodeURIComponent('xss="1"')}`);
    await page.locator('.history-event').first().waitFor();
    expect(await page.locator('.history-event .subject').textContent()).toBe(xss);
    expect(await page.locator('img').count()).toBe(0);
  });

  it("shows the alert's timeline, oldest first, on its explain page", async () => {
    await page.goto(`${h.url}/#/explain/${fp}`);
    await page.locator('#alert-timeline .history-event').first().waitFor();
    // its own events and the notification of its group that carried it
    expect(await page.locator('#alert-timeline .history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['alert_created', 'alert_grouped', 'notification']);
    expect(await page.locator('#alert-timeline').textContent()).toContain('DiskFull');
    expect(await page.locator('img').count()).toBe(0);
  });

  it("shows the alert's timeline in its details on the alerts page", async () => {
    await page.goto(`${h.url}/#/alerts?filter=${encodeURIComponent('{alertname="DiskFull"}')}`);
    const row = page.locator(`.alert-row[data-fingerprint="${fp}"]`);
    await row.getByRole('button', { name: 'Details' }).click();
    await row.locator('.alert-timeline .history-event').first().waitFor();
    expect(await row.locator('.alert-timeline .history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['alert_created', 'alert_grouped', 'notification']);
    expect(await row.locator('.alert-timeline .timeline-story').textContent()).toMatch(/^fired [^,]+, grouped into \{\}:\{alertname="DiskFull"\} for pager [^,]+, sent to pager [\d:]+.* \(200 in [\d.]+ ms, webhook\[0\] attempt 1\)$/);
  });
});
