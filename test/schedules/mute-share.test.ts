/**
 * tocsin.yml `silences.warn_mute_share` (upstream #3492) on the real app: POST /api/v2/silences answers an extra
 * `warnings` field (Go clients ignore it) when the silence mutes more than that share of the firing alerts, and
 * the web UI, in real Chromium, shows the warning on the silence's page after saving.
 */
import type { Browser } from 'playwright-core';
import { loadConfigFile } from '../../src/config';
import { EMPTY_TOCSIN_CONFIG } from '../../src/types/tocsin-config';
import { type Harness, startApp } from '../helpers/app-harness';
import { launchChromium } from '../ui/harness';

describe('silences.warn_mute_share', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startApp({
      options: {
        ui: true,
        loadConfig: async (f) => ({
          ...(await loadConfigFile(f)),
          tocsin: { config: { ...EMPTY_TOCSIN_CONFIG, silences: { expire_unmatched_after: 0, warn_mute_share: 0.5 } }, file: 'tocsin.yml', hash: '', original: '' },
        }),
      },
    });
    browser = await launchChromium();
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const alerts = ['1', '2', '3'].map((i) => ({ labels: { alertname: 'Disk', job: 'db', i }, endsAt }));
    alerts.push({ labels: { alertname: 'Disk', job: 'web', i: '4' }, endsAt });
    expect((await fetch(`${h.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts) })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const post = async (value: string) => {
    const now = Date.now();
    const r = await fetch(`${h.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'job', value, isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        createdBy: 'ann',
        comment: 'x',
      }),
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { silenceID: string; warnings?: string[] };
  };

  it('answers a warning for a silence muting 3 of 4 firing alerts, none for 1 of 4', async () => {
    const many = await post('db');
    expect(many.warnings).toEqual(['this silence mutes 3 of 4 firing alerts (75%), more than silences.warn_mute_share (50%)']);
    const few = await post('web');
    expect(few).toEqual({ silenceID: few.silenceID });
  });

  it('the UI shows the warning after saving', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${h.url}/#/silences/new?filter=${encodeURIComponent('{job="db"}')}`);
    await page.waitForSelector('.matcher-row');
    await page.fill('#silence-author', 'ann');
    await page.fill('#silence-comment', 'disk work');
    await page.click('form.silence-form button[type="submit"]');
    await page.waitForSelector('#silence-saved-warning');
    await expect(page.textContent('#silence-saved-warning')).resolves.toContain('mutes 3 of 4 firing alerts');
    await page.close();
  });
});
