/**
 * Browser tests of the web UI in real Chromium against a real backend (Alertmanager by default; set
 * UI_TEST_BACKEND=tocsin to run them against bin/tocsin). Screenshots land in $UI_SCREENSHOT_DIR (default: a temp
 * dir printed at the end).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ALERTS, CONFIG, XSS_ALERT } from './fixtures';
import { type Backend, defaultBackends, getJson, launchChromium, postAlerts, startBackend, startUiProxy } from './harness';

const SHOTS_ROOT = process.env.UI_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'tocsin-ui-shots');

interface ApiAlert {
  fingerprint: string;
  labels: Record<string, string>;
  status: { silencedBy: string[]; inhibitedBy: string[] };
}

// Runs against the real Alertmanager and, when dist/ is built, against bin/tocsin (UI_TEST_BACKEND picks one).
describe.each(defaultBackends())('UI against %s', (kind) => {
  const SHOTS = path.join(SHOTS_ROOT, kind);
  mkdirSync(SHOTS, { recursive: true });
  let backend: Backend;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [backend, browser] = await Promise.all([startBackend(CONFIG, { kind }), launchChromium()]);
    await postAlerts(backend.apiUrl, [...ALERTS, XSS_ALERT]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
    context.setDefaultTimeout(8000);
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // console errors other than failed requests (the explain endpoint's 404, the invalid filter's 400) fail the test
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => {
      pageErrors.push(`unexpected dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  let loads = 0;
  /** A full page load (a fresh query string, so not just a hash change). */
  async function open(hash: string, p: Page = page): Promise<void> {
    await p.goto(`${backend.uiUrl}?load=${++loads}${hash}`);
    await p.waitForSelector('main[data-state="ready"]');
  }

  async function openAlerts(query = ''): Promise<void> {
    await page.goto(`${backend.uiUrl}?load=${++loads}#/alerts${query}`);
    await page.waitForSelector('main[data-state="ready"]');
  }

  async function groupHeaders(): Promise<string[]> {
    return page.locator('.group-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-group') ?? ''));
  }

  describe('alerts page', () => {
    test('loads groups as the route tree groups them', async () => {
      await openAlerts();
      const groups = await groupHeaders();
      // inhibited (HighLatency) alerts are hidden by default; DiskFull is grouped by alertname only (db route)
      expect(groups).toEqual(expect.arrayContaining(['{alertname="DiskFull"}', '{alertname="CPUHigh", cluster="us1"}', '{alertname="Watchdog", cluster="us1"}']));
      expect(groups.some((g) => g.includes('HighLatency'))).toBe(false);
      const dbGroup = page.locator('.group-row', { hasText: 'database' });
      await expect(dbGroup.locator('.count').textContent()).resolves.toBe('2 alerts');
      await expect(page.locator('.alert-row').count()).resolves.toBeGreaterThanOrEqual(4);
      await page.screenshot({ path: path.join(SHOTS, 'alerts-desktop.png') });
    });

    test('filter bar sends matchers to the server and keeps them in the URL', async () => {
      await openAlerts();
      await page.fill('#alert-filter', 'alertname="DiskFull", instance=~"db.*"');
      await page.press('#alert-filter', 'Enter');
      await page.waitForSelector('main[data-state="ready"][data-query*="instance"]');
      expect(await groupHeaders()).toEqual(['{alertname="DiskFull"}']);
      expect(await page.locator('.filter-pill').allTextContents()).toEqual(['alertname="DiskFull"×', 'instance=~"db.*"×']);
      const hashQuery = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
      expect(hashQuery.get('filter')).toBe('{alertname="DiskFull", instance=~"db.*"}');
      // removing a pill widens the filter again
      await page.click('button[aria-label^="Remove filter instance"]');
      await page.waitForFunction(() => !document.querySelector('main')?.getAttribute('data-query')?.includes('instance'));
      await page.waitForSelector('main[data-state="ready"]');
      expect(await page.locator('.alert-row').count()).toBe(2);
      // an invalid filter shows the parser's complaint and keeps the list
      await page.fill('#alert-filter', 'alertname=~"DiskFull');
      await page.press('#alert-filter', 'Enter');
      await expect(page.locator('.error').textContent()).resolves.toMatch(/Invalid filter|unterminated/);
    });

    test('clicking a label adds it to the filter; receiver filter; group collapse', async () => {
      await openAlerts();
      await page.locator('.alert-row button.pill', { hasText: 'instance="db2"' }).first().click();
      await page.waitForSelector('main[data-state="ready"][data-query*="db2"]');
      expect(await page.locator('.alert-row').count()).toBe(1);
      await openAlerts();
      await page.selectOption('#receiver-filter', 'database');
      await page.waitForSelector('main[data-state="ready"][data-query*="receiver"]');
      expect(await groupHeaders()).toEqual(['{alertname="DiskFull"}']);
      await page.click('.group-row .group-toggle');
      expect(await page.locator('.alert-row').count()).toBe(0);
      await expect(page.locator('.group-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
      await page.keyboard.press('Enter'); // focus stayed on the toggle: keyboard re-expands
      await page.waitForSelector('.alert-row');
    });

    test('keyboard: "/" focuses the filter, Enter applies, Tab reaches the rows', async () => {
      await openAlerts();
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('/');
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('alert-filter');
      await page.keyboard.type('alertname="CPUHigh"');
      await page.keyboard.press('Enter');
      await page.waitForSelector('main[data-state="ready"][data-query*="CPUHigh"]');
      expect(await groupHeaders()).toEqual(['{alertname="CPUHigh", cluster="us1"}']);
      // Tab through the controls into the list: the first row control is the group toggle
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.classList.contains('group-toggle'))) break;
      }
      await expect(page.evaluate(() => document.activeElement?.classList.contains('group-toggle'))).resolves.toBe(true);
    });

    test('inhibited toggle shows inhibited alerts with their cause', async () => {
      await openAlerts('?inhibited=true');
      const rows = page.locator('.alert-row', { hasText: 'instance="web2"' });
      await expect(rows.count()).resolves.toBe(1);
      await expect(rows.locator('.badge').textContent()).resolves.toBe('inhibited');
      const all = await getJson<ApiAlert[]>(`${backend.apiUrl}/api/v2/alerts`);
      const cpu = all.find((a) => a.labels.alertname === 'CPUHigh')!;
      await expect(rows.locator('.cause').textContent()).resolves.toContain(cpu.fingerprint);
    });

    test('details show annotations with clickable links and the generator link', async () => {
      await openAlerts('?filter=%7Binstance%3D%22db1%22%7D');
      await page.click('.alert-row button:has-text("Details")');
      const link = page.locator('.annotation a', { hasText: 'https://runbooks.example.com/disk' });
      await expect(link.getAttribute('href')).resolves.toBe('https://runbooks.example.com/disk');
      await expect(page.locator('.alert-row a:has-text("Source")').getAttribute('href')).resolves.toBe('http://prometheus.example.com/graph?g0.expr=up');
    });
  });

  describe('no XSS from labels and annotations', () => {
    test('hostile values are shown as text, never run, never become links', async () => {
      await openAlerts('?filter=%7Bseverity%3D%22info%22%7D');
      await page.click('.alert-row button:has-text("Details")');
      const text = await page.locator('#alert-list').textContent();
      expect(text).toContain('<script>window.__xss=1</script>');
      expect(text).toContain('<img src=x onerror=\\"window.__xss=2\\">'); // shown in matcher syntax (quotes escaped)
      expect(text).toContain('<iframe src="javascript:window.__xss=6"></iframe>');
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('#main script, #main img, #main iframe, #main svg, #main b').count()).toBe(0);
      const hrefs = await page.locator('#main a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
      expect(hrefs).toContain('https://safe.example.com/ok');
      // the javascript: generator URL is not offered as a Source link
      await expect(page.locator('.alert-row a:has-text("Source")').count()).resolves.toBe(0);
      // the same values on the explain page and in the silence form preview
      const fp = await page.locator('.alert-row').getAttribute('data-fingerprint');
      await open(`#/explain/${fp}`);
      await page.goto(`${backend.uiUrl}?load=${++loads}#/silences/new?filter=${encodeURIComponent('{severity="info"}')}`);
      await page.waitForSelector('#silence-preview[data-count="1"]');
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('#main script, #main img, #main iframe, #main svg').count()).toBe(0);
    });
  });

  describe('silences', () => {
    test('create a silence with a live preview, then expire it', async () => {
      await openAlerts('?filter=%7Binstance%3D%22db2%22%7D');
      await page.click('.alert-row a:has-text("Silence")');
      await page.waitForSelector('main[data-state="ready"]');
      // prefilled from the alert's labels; the preview lists exactly that alert
      await page.waitForSelector('#silence-preview[data-count="1"]');
      await expect(page.locator('#silence-preview tr[data-fingerprint]').count()).resolves.toBe(1);
      // widen to a matcher that matches every alert: warning
      const firstName = page.locator('.matcher-row .m-name').first();
      const rowsBefore = await page.locator('.matcher-row').count();
      for (let i = rowsBefore - 1; i > 0; i--) await page.locator('.matcher-row button[aria-label="Remove matcher"]').nth(i).click();
      await firstName.fill('alertname');
      await page.locator('.matcher-row .m-op').first().selectOption('=~');
      await page.locator('.matcher-row .m-value').first().fill('.+');
      await page.waitForSelector('#silence-warning:not([hidden])');
      await expect(page.locator('#silence-warning').textContent()).resolves.toContain('every current alert');
      // narrow again to instance="db2"
      await firstName.fill('instance');
      await page.locator('.matcher-row .m-op').first().selectOption('=');
      await page.locator('.matcher-row .m-value').first().fill('db2');
      await page.waitForSelector('#silence-preview[data-count="1"]');
      await expect(page.locator('#silence-warning').isHidden()).resolves.toBe(true);
      await page.fill('#silence-duration', '90m');
      await page.fill('#silence-author', 'ui-test');
      await page.fill('#silence-comment', 'maintenance of db2');
      await page.screenshot({ path: path.join(SHOTS, 'silence-form-desktop.png'), fullPage: true });
      await page.click('button[type="submit"]');
      await page.waitForURL(/#\/silences\/[0-9a-f-]{36}$/);
      await page.waitForSelector('main[data-state="ready"]');
      await expect(page.locator('[data-testid="silence-state"]').textContent()).resolves.toBe('active');
      const id = decodeURIComponent(page.url().split('#/silences/')[1]!);
      const s = await getJson<{ matchers: unknown[]; createdBy: string; startsAt: string; endsAt: string }>(`${backend.apiUrl}/api/v2/silence/${id}`);
      expect(s.matchers).toEqual([{ name: 'instance', value: 'db2', isRegex: false, isEqual: true }]);
      expect(s.createdBy).toBe('ui-test');
      const dur = new Date(s.endsAt).getTime() - new Date(s.startsAt).getTime();
      expect(Math.abs(dur - 90 * 60e3)).toBeLessThan(60e3);
      // the alerts page now hides it, and shows it with its silence when "Silenced" is ticked
      await openAlerts('?filter=%7Binstance%3D%22db2%22%7D');
      expect(await page.locator('.alert-row').count()).toBe(0);
      await page.check('#show-silenced');
      await page.waitForSelector('main[data-state="ready"][data-query*="silenced=true"]');
      await expect(page.locator('.alert-row .cause a').getAttribute('href')).resolves.toBe(`#/silences/${id}`);
      // silences list (active tab), search, then expire with confirmation
      await open(`#/silences`);
      await page.screenshot({ path: path.join(SHOTS, 'silences-desktop.png'), fullPage: true });
      await page.fill('.filter-input', 'maintenance of db2');
      await expect(page.locator('.silence-item').count()).resolves.toBe(1);
      await page.click('.silence-item button[data-action="expire"]');
      await page.click('dialog [data-testid="confirm-ok"]');
      await page.waitForFunction(() => document.querySelectorAll('.silence-item[data-silence-id]').length === 0);
      await page.click('.tab[data-state="expired"]');
      await expect(page.locator('.silence-item[data-silence-id]').getAttribute('data-silence-id')).resolves.toBe(id);
      const after = await getJson<{ status: { state: string } }>(`${backend.apiUrl}/api/v2/silence/${id}`);
      expect(after.status.state).toBe('expired');
    });

    test('edit keeps the silence (in-place update) and changes its comment', async () => {
      const res = await fetch(`${backend.apiUrl}/api/v2/silences`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'CPUHigh', isRegex: false, isEqual: true }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3600e3).toISOString(),
          createdBy: 'api',
          comment: 'before',
        }),
      });
      const { silenceID } = (await res.json()) as { silenceID: string };
      await open(`#/silences/${silenceID}`);
      await page.click('a:has-text("Edit")');
      await page.waitForSelector('#silence-preview[data-count="1"]');
      await expect(page.inputValue('.matcher-row .m-value')).resolves.toBe('CPUHigh');
      await page.fill('#silence-comment', 'after');
      await page.click('button[type="submit"]:has-text("Update")');
      await page.waitForURL(new RegExp(`#/silences/${silenceID}$`));
      const s = await getJson<{ comment: string; status: { state: string } }>(`${backend.apiUrl}/api/v2/silence/${silenceID}`);
      expect(s).toMatchObject({ comment: 'after', status: { state: 'active' } });
      await fetch(`${backend.apiUrl}/api/v2/silence/${silenceID}`, { method: 'DELETE' });
    });

    test('expire can be cancelled', async () => {
      const res = await fetch(`${backend.apiUrl}/api/v2/silences`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: true }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3600e3).toISOString(),
          createdBy: 'api',
          comment: 'keep me',
        }),
      });
      const { silenceID } = (await res.json()) as { silenceID: string };
      await open(`#/silences/${silenceID}`);
      await expect(page.locator('#main tr[data-fingerprint]').count()).resolves.toBe(1);
      await page.click('button[data-action="expire"]');
      await page.keyboard.press('Escape');
      const s = await getJson<{ status: { state: string } }>(`${backend.apiUrl}/api/v2/silence/${silenceID}`);
      expect(s.status.state).toBe('active');
      await fetch(`${backend.apiUrl}/api/v2/silence/${silenceID}`, { method: 'DELETE' });
    });
  });

  describe('explain, routes, status', () => {
    test('explain shows route, grouping and receivers (computed in the browser without the endpoint)', async () => {
      const all = await getJson<ApiAlert[]>(`${backend.apiUrl}/api/v2/alerts`);
      const a = all.find((x) => x.labels.instance === 'db1')!;
      await openAlerts('?filter=%7Binstance%3D%22db1%22%7D');
      const explainResponse = page.waitForResponse((r) => r.url().includes('/api/v2/tocsin/explain?'));
      await page.click('.alert-row a:has-text("Explain")');
      await page.waitForSelector('main[data-state="ready"]');
      expect(page.url()).toContain(`#/explain/${a.fingerprint}`);
      const text = (await page.locator('main').textContent()) ?? '';
      const served = await explainResponse;
      if (backend.kind === 'alertmanager') {
        expect(served.status()).toBe(404);
        await expect(page.locator('[data-testid="explain-fallback"]').count()).resolves.toBe(1);
        expect(text).toContain('not available');
        expect(text).toContain('{}/{team="db"}:{alertname="DiskFull"}');
      } else if (backend.kind === 'tocsin') {
        // Tocsin answers the endpoint: the page shows the server's explanation, not the in-browser fallback
        expect(served.status()).toBe(200);
        const ex = (await served.json()) as { groupKey: string; nextFlush: string; lastNotified: string | null; routes: { id: string }[] };
        expect(ex.groupKey).toBe('{}/{team="db"}:{alertname="DiskFull"}');
        await expect(page.locator('[data-testid="explain-fallback"]').count()).resolves.toBe(0);
        expect(text).not.toContain('not available');
        expect(text).not.toContain('Group key (computed)'); // the fallback's route card
        expect(text).toContain(ex.groupKey);
        expect(text).toContain(ex.routes[0]!.id);
        expect(ex.lastNotified).toBeNull();
        expect(text).toMatch(/Last notified\s*never/);
        // the next flush (group_wait 2h after the alert arrived) is known only to the server
        await expect(page.locator(`time[datetime="${new Date(ex.nextFlush).toISOString()}"]`).count()).resolves.toBe(1);
        // an inhibited alert: the rule that matched and its source, from the server
        const inhibited = all.find((x) => x.labels.instance === 'web1')!;
        const sources = all.filter((x) => x.labels.alertname === 'DiskFull').map((x) => x.fingerprint);
        await open(`#/explain/${inhibited.fingerprint}`);
        const rule = (await page.locator('[data-testid="inhibiting-rule"]').textContent()) ?? '';
        expect(rule).toContain('severity=\\"critical\\"');
        expect(sources.some((fp) => rule.includes(fp))).toBe(true);
        await expect(page.locator(`a[href="#/explain/${inhibited.status.inhibitedBy[0]}"]`).count()).resolves.toBe(1);
      }
      expect(text).toContain('database');
      expect(text).toContain('webhook[0]');
      expect(text).toMatch(/group_wait 2h/);
      await page.screenshot({ path: path.join(SHOTS, 'explain-desktop.png'), fullPage: true });
    });

    test('explain renders the server explanation when /api/v2/tocsin/explain exists', async () => {
      const all = await getJson<ApiAlert[]>(`${backend.apiUrl}/api/v2/alerts`);
      const a = all.find((x) => x.labels.instance === 'db1')!;
      const seen: string[] = [];
      const proxy = await startUiProxy(backend.apiUrl, '/', {
        '/api/v2/tocsin/explain': (q) => {
          seen.push(q.get('fingerprint') ?? '');
          return {
            status: 200,
            body: {
              routes: [{ id: '{}/{team="db"}/0', receiver: 'database', group_by: ['alertname'], group_wait: '2h', group_interval: '1h', repeat_interval: '4h', matchers: ['team="db"'] }],
              groupKey: '{}/{team="db"}:{alertname="DiskFull"}',
              lastNotified: '2026-01-02T03:04:05Z',
              nextFlush: '2026-01-02T05:04:05Z',
              silences: ['6a1d9c62-0000-4000-8000-000000000001'],
              inhibitedBy: [],
              mutedBy: ['weekends'],
              receivers: [
                {
                  name: 'database',
                  integrations: ['webhook[0]', { name: 'email[0]' }],
                  resolvedAfterMute: true,
                  rateLimit: { max: 10, window: '1m', sentInWindow: 10, foldedGroups: 47, nextDigest: '2026-01-02T03:05:05Z' },
                },
              ],
            },
          };
        },
      });
      try {
        await page.goto(`${proxy.url}?load=${++loads}#/explain/${a.fingerprint}`);
        await page.waitForSelector('main[data-state="ready"]');
        expect(seen).toEqual([a.fingerprint]);
        await expect(page.locator('[data-testid="explain-fallback"]').count()).resolves.toBe(0);
        const text = (await page.locator('main').textContent()) ?? '';
        expect(text).toContain('{}/{team="db"}:{alertname="DiskFull"}');
        expect(text).toContain('weekends');
        expect(text).toContain('webhook[0], email[0]');
        // tocsin.yml delivery settings of the receiver
        expect(text).toContain('resolved after mute; rate limit 10 per 1m: 10 sent in the window, 47 groups folded, digest at 2026-01-02T03:05:05Z');
        expect(text).not.toContain('not available');
        await expect(page.locator('a[href="#/silences/6a1d9c62-0000-4000-8000-000000000001"]').count()).resolves.toBe(1);
        // times: local zone shown, UTC on hover
        await expect(page.locator('time[datetime="2026-01-02T03:04:05.000Z"]').getAttribute('title')).resolves.toBe('2026-01-02T03:04:05Z (UTC)');
        await expect(page.locator('time[datetime="2026-01-02T03:04:05.000Z"]').textContent()).resolves.toContain('04:04:05'); // Europe/Berlin
      } finally {
        await proxy.stop();
      }
    });

    test('routing tree with a label tester', async () => {
      await open(`#/routes`);
      await expect(page.locator('.route-node').count()).resolves.toBe(3);
      await page.fill('.filter-input', 'service="frontend", team="db"');
      await expect(page.locator('.route-node.matched').count()).resolves.toBe(1);
      await page.fill('.filter-input', 'service="frontend"');
      // match_re keys are anchored as upstream's (amtool 0.25 prints the same `service=~"^(?:front.*)$"`)
      await expect(page.locator('.route-node.matched').getAttribute('data-route-id')).resolves.toBe('{}/{service=~"^(?:front.*)$"}/1');
      await expect(page.locator('.route-node.matched').textContent()).resolves.toContain('service=~"^(?:front.*)$"');
      await page.screenshot({ path: path.join(SHOTS, 'routes-desktop.png'), fullPage: true });
    });

    test('status shows version, uptime and the config', async () => {
      await open(`#/status`);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toMatch(/version/);
      expect(text).toMatch(/Uptime/);
      await expect(page.locator('#config-yaml').textContent()).resolves.toContain('receiver: database');
      if (backend.kind === 'tocsin') {
        // the server's own extension object, not a canned answer
        const extra = (await page.locator('#status-extra').textContent()) ?? '';
        expect(extra).toContain('lastReload');
        expect(extra).toContain('storageBytes');
        expect(extra).toMatch(/storageBytes[\d.]+ (B|KiB|MiB) \(\d+ bytes\)/);
        expect(extra).not.toContain('not available');
      }
    });
  });

  test('status shows server extensions (last reload, storage size) when the server reports them', async () => {
    const real = await getJson<Record<string, unknown>>(`${backend.apiUrl}/api/v2/status`);
    const proxy = await startUiProxy(backend.apiUrl, '/', {
      '/api/v2/status': () => ({
        status: 200,
        body: { ...real, tocsin: { lastReload: { success: false, time: '2026-01-02T03:04:05Z', error: 'bad <b>config</b>' }, storageBytes: 5 * 1024 * 1024 } },
      }),
    });
    try {
      await page.goto(`${proxy.url}?load=${++loads}#/status`);
      await page.waitForSelector('main[data-state="ready"]');
      const text = (await page.locator('#status-extra').textContent()) ?? '';
      expect(text).toContain('lastReload');
      expect(text).toContain('bad <b>config</b>');
      expect(text).toContain('5.0 MiB');
      expect(text).not.toContain('not available');
      await page.screenshot({ path: path.join(SHOTS, 'status-desktop.png'), fullPage: true });
    } finally {
      await proxy.stop();
    }
  });

  describe('phone width and dark mode', () => {
    test('alerts and silence form fit a phone screen', async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
      const p = await phone.newPage();
      await open('#/alerts', p);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(21, 23, 26)'); // dark palette follows the system setting
      await p.screenshot({ path: path.join(SHOTS, 'alerts-phone-dark.png') });
      await p.goto(`${backend.uiUrl}?load=${++loads}#/silences/new?filter=${encodeURIComponent('{alertname="DiskFull"}')}`);
      await p.waitForSelector('#silence-preview[data-count="2"]');
      await p.screenshot({ path: path.join(SHOTS, 'silence-form-phone-dark.png'), fullPage: true });
      await phone.close();
    });
  });
});
