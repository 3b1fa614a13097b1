/**
 * The chart above the History page in real Chromium against the app in-process (real SQLite): it renders
 * (a canvas, a legend naming the series), and clicking a bar narrows the list to that bucket and series.
 * Events are stored directly at known times within the chart's last hour.
 */
import type { Browser, Page } from 'playwright-core';
import type { HistoryEvent } from '../../src/history/event';
import { type Harness, startApp } from '../helpers/app-harness';
import { launchChromium } from '../ui/harness';

const M = 60_000;

describe('History chart', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const now = Date.now();
  const diskAt = now - 50 * M;

  beforeAll(async () => {
    h = await startApp({ options: { ui: true } });
    const disk = { alertname: 'DiskFull', instance: 'db1' };
    const cpu = (i: string) => ({ alertname: 'Cpu', instance: i });
    const events: HistoryEvent[] = [
      { time: diskAt, kind: 'alert_created', fingerprint: 'd1', labels: disk },
      { time: diskAt + 1, kind: 'notification', receiver: 'pager', groupKey: '{}:{}', data: { integration: 'webhook', index: 0, attempt: 1, outcome: 'failure', status: 500, retryable: true, error: 'boom', latencyMs: 3, reason: 'first notification' } },
      { time: diskAt + 2, kind: 'notification', receiver: 'pager', groupKey: '{}:{}', data: { integration: 'webhook', index: 0, attempt: 2, outcome: 'success', status: 200, latencyMs: 3, reason: 'first notification' } },
      { time: now - 20 * M, kind: 'alert_created', fingerprint: 'c1', labels: cpu('a') },
      { time: now - 20 * M, kind: 'alert_created', fingerprint: 'c2', labels: cpu('b') },
      { time: now - 10 * M, kind: 'alert_resolved', fingerprint: 'c1', labels: cpu('a'), data: { by: 'endsAt' } },
      { time: now - 10 * M, kind: 'alert_resolved', fingerprint: 'c2', labels: cpu('b'), data: { by: 'endsAt' } },
    ];
    await h.app.core.history.storage.append(events);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // uPlot styles its elements through the CSSOM, which the UI's CSP (no inline styles) allows: no violation
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  /** clicks the plot at time t, `dy` pixels above its bottom */
  async function clickAt(t: number, dy: number): Promise<void> {
    const series = (await (await fetch(`${h.url}/api/v2/tocsin/history/series?since=1h`)).json()) as { since: string; until: string; stepSeconds: number };
    const since = Date.parse(series.since);
    const until = Date.parse(series.until);
    const step = series.stepSeconds * 1000;
    const mid = since + Math.floor((t - since) / step) * step + step / 2;
    const box = (await page.locator('#history-chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + ((mid - since) / (until - since)) * box.width, box.y + box.height - dy);
    await page.mouse.down();
    await page.mouse.up();
  }

  it('draws alerts firing stacked by alertname, with a legend naming the series', async () => {
    await page.goto(`${h.url}/#/history?window=1h`);
    await page.locator('#history-chart canvas').waitFor();
    await page.waitForFunction(() => /Click a bar/.test(document.querySelector('.chart-note')?.textContent ?? ''));
    const labels = await page.locator('#history-chart .u-legend .u-series .u-label').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['DiskFull', 'Cpu']));
    expect(labels).toHaveLength(3); // the time column, then the two series
    // stacked by another label: one series per instance
    await page.fill('#chart-by', 'instance');
    await page.press('#chart-by', 'Enter');
    await page.waitForFunction(() => location.hash.includes('by=instance'));
    await page.waitForFunction(() => document.querySelectorAll('#history-chart .u-legend .u-series').length === 4);
    expect(await page.locator('#history-chart .u-legend .u-series .u-label').allTextContents()).toEqual(expect.arrayContaining(['db1', 'a', 'b']));
  });

  it('narrows the list to the clicked bar: its bucket and its alertname', async () => {
    await page.goto(`${h.url}/#/history?window=1h`);
    await page.waitForFunction(() => /Click a bar/.test(document.querySelector('.chart-note')?.textContent ?? ''));
    await clickAt(diskAt, 3);
    await page.waitForFunction(() => location.hash.includes('until='));
    const params = new URLSearchParams(await page.evaluate(() => location.hash.split('?')[1] ?? ''));
    expect(params.get('filter')).toBe('{alertname="DiskFull"}');
    expect(Date.parse(params.get('since')!)).toBeLessThanOrEqual(diskAt);
    expect(Date.parse(params.get('until')!)).toBeGreaterThan(diskAt);
    await page.waitForFunction(() => /no more|No events/.test(document.querySelector('[aria-live]')?.textContent ?? ''));
    expect(await page.locator('.history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['alert_created']);
    expect(await page.locator('.history-range').textContent()).toContain('Events from');
    // the chart keeps its window; "Any time" widens the list again
    await page.click('.history-range a');
    await page.waitForFunction(() => !location.hash.includes('until='));
  });

  it('draws notifications per receiver with failures marked, and a click lists that receiver', async () => {
    await page.goto(`${h.url}/#/history?window=1h&chart=notifications`);
    await page.waitForFunction(() => /Click a bar/.test(document.querySelector('.chart-note')?.textContent ?? ''));
    expect(await page.locator('#history-chart .u-legend .u-series .u-label').allTextContents()).toEqual(expect.arrayContaining(['pager', 'failed attempts']));
    await clickAt(diskAt, 3);
    await page.waitForFunction(() => location.hash.includes('receiver=pager'));
    expect(await page.evaluate(() => location.hash)).toContain('kind=notification');
    await page.waitForFunction(() => document.querySelectorAll('.history-event').length === 2);
    expect(await page.locator('.history-event.failed').count()).toBe(1);
  });
});
