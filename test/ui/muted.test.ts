/**
 * The alerts page's "Muted" toggle in real Chromium against bin/tocsin (Alertmanager 0.25 has no mutedBy in its
 * groups and no ?muted=, so this runs against Tocsin only): a group muted by an active time interval is hidden by
 * default and shown, with the interval named as its cause, when the toggle is ticked.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { type Backend, getJson, launchChromium, postAlerts, startBackend, watchedPage } from './harness';

const CONFIG = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 4h
  routes:
    - receiver: quiet
      matchers: ['team="night"']
      mute_time_intervals: [always]
time_intervals:
  - name: always
    time_intervals:
      - times:
          - start_time: "00:00"
            end_time: "24:00"
receivers:
  - name: default
  - name: quiet
`;

interface ApiGroup {
  labels: Record<string, string>;
  alerts: { labels: Record<string, string>; status: { state: string; mutedBy: string[] } }[];
}

describe('alerts page and silence form against tocsin: muted toggle, silence group, many-alerts warning', () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    [backend, browser] = await Promise.all([startBackend(CONFIG, { kind: 'tocsin' }), launchChromium()]);
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'NightlyBackup', team: 'night' } }, { labels: { alertname: 'Loud', team: 'day' } }]);
    // the route's group flushes at once (group_wait 0s) and records the active mute interval
    await waitFor(
      async () => {
        const gs = await getJson<ApiGroup[]>(`${backend.apiUrl}/api/v2/alerts/groups`);
        return gs.some((g) => g.labels.alertname === 'NightlyBackup' && g.alerts[0]?.status.mutedBy.includes('always'));
      },
      { what: 'NightlyBackup muted by "always"' },
    );
    page = await watchedPage(browser, pageErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const alertnames = () => page.locator('.group-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-group') ?? ''));

  test('hidden by default; "Muted" shows the group with its time interval as the cause', async () => {
    await page.goto(`${backend.uiUrl}?load=1#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    const before = await alertnames();
    expect(before.some((g) => g.includes('Loud'))).toBe(true);
    expect(before.some((g) => g.includes('NightlyBackup'))).toBe(false);

    await page.check('#show-muted');
    await page.waitForSelector('main[data-state="ready"][data-query*="muted=true"]');
    await page.waitForSelector('.group-row[data-group*="NightlyBackup"]');
    const row = page.locator('.alert-row', { hasText: 'team="night"' });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('.badge').textContent()).resolves.toBe('muted');
    await expect(row.locator('.cause').textContent()).resolves.toBe('Muted by time interval always');
    // the toggle is kept in the URL, so a reload keeps showing muted groups
    expect(page.url()).toContain('muted=true');

    await page.uncheck('#show-muted');
    await page.waitForFunction(() => !document.querySelector('.group-row[data-group*="NightlyBackup"]'));
    expect(pageErrors).toEqual([]);
  });

  test('"Silence group" opens the silence form with the group labels and previews every alert of the group', async () => {
    await postAlerts(backend.apiUrl, [{ labels: { alertname: 'Loud', team: 'day', instance: 'b' } }]);
    await page.goto(`${backend.uiUrl}?load=2#/alerts`);
    await page.waitForSelector('main[data-state="ready"]');
    await page.waitForSelector('.group-row[data-group*="Loud"] .count:has-text("2 alerts")');
    await page.click('.group-row[data-group*="Loud"] a:has-text("Silence group")');
    await page.waitForSelector('main[data-state="ready"]');
    await page.waitForSelector('#silence-preview[data-count="2"]');
    const matchers = await page
      .locator('.matcher-row')
      .evaluateAll((rows) => rows.map((r) => `${(r.querySelector('.m-name') as HTMLInputElement).value}${(r.querySelector('.m-op') as HTMLSelectElement).value}${(r.querySelector('.m-value') as HTMLInputElement).value}`));
    expect(matchers).toEqual(['alertname=Loud']);
    await expect(page.locator('#silence-preview tr[data-fingerprint]').count()).resolves.toBe(2);
    expect(pageErrors).toEqual([]);
  });

  test('editing a silence in the form keeps the annotations an API client set (master silences have them)', async () => {
    const now = Date.now();
    const posted = await fetch(`${backend.apiUrl}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'Loud', isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        createdBy: 'api',
        comment: 'from the API',
        annotations: { ticket: 'OPS-42', source: 'chatops' },
      }),
    });
    expect(posted.status).toBe(200);
    const { silenceID } = (await posted.json()) as { silenceID: string };
    await page.goto(`${backend.uiUrl}?load=4#/silences/${encodeURIComponent(silenceID)}/edit`);
    await page.waitForSelector('main[data-state="ready"]');
    await expect(page.locator('#silence-comment').inputValue()).resolves.toBe('from the API');
    await page.fill('#silence-comment', 'edited in the UI');
    await page.click('button[type="submit"]');
    await page.waitForURL(/#\/silences\/[0-9a-f-]{36}$/);
    const id = decodeURIComponent(page.url().split('#/silences/')[1]!);
    const s = await getJson<{ comment: string; annotations?: Record<string, string> }>(`${backend.apiUrl}/api/v2/silence/${id}`);
    expect(s.comment).toBe('edited in the UI');
    expect(s.annotations).toEqual({ source: 'chatops', ticket: 'OPS-42' });
    expect(pageErrors).toEqual([]);
  });

  test('the silence form warns when it would mute more than 50 alerts (but not every alert)', async () => {
    await postAlerts(
      backend.apiUrl,
      Array.from({ length: 51 }, (_, i) => ({ labels: { alertname: 'Many', instance: `h${i}` } })),
    );
    await page.goto(`${backend.uiUrl}?load=3#/silences/new?filter=${encodeURIComponent('{alertname="Many"}')}`);
    await page.waitForSelector('#silence-preview[data-count="51"]');
    await page.waitForSelector('#silence-warning:not([hidden])');
    await expect(page.locator('#silence-warning').textContent()).resolves.toBe('Warning: this silence would mute 51 alerts (more than 50).');
    // 50 is not "more than 50"
    await page.locator('.matcher-row .m-value').first().fill('Many');
    await page.click('button:has-text("Add matcher")');
    await page.locator('.matcher-row .m-name').nth(1).fill('instance');
    await page.locator('.matcher-row .m-op').nth(1).selectOption('!=');
    await page.locator('.matcher-row .m-value').nth(1).fill('h0');
    await page.waitForSelector('#silence-preview[data-count="50"]');
    await expect(page.locator('#silence-warning').isHidden()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
