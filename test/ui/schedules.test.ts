/**
 * Issue 16 in real Chromium against bin/tocsin: the recurring-silence editor shows the next occurrences (in the
 * schedule's zone) before saving and the server's message naming a bad field; saving lists the schedule, whose
 * occurrence links to an ordinary silence; deleting asks first. A silence's page shows its whole life (created,
 * updated with what changed, expired).
 */
import { ensureBuilt } from '../helpers/build';
import { openTocsinPage, type TocsinPage } from './harness';

const CONFIG = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';

describe('recurring silences and the silence history in the UI (tocsin)', () => {
  let t: TocsinPage;
  beforeAll(async () => {
    ensureBuilt();
    t = await openTocsinPage(CONFIG);
  }, 60_000);
  afterAll(() => t?.close());

  test('the editor previews the next occurrences, reports a bad field, saves; deleting expires', async () => {
    const { page, backend, pageErrors } = t;
    await page.goto(`${backend.uiUrl}#/silences`);
    await page.click('#schedules-link');
    await page.waitForSelector('main[data-state="ready"]');
    await expect(page.textContent('#schedule-list')).resolves.toContain('No recurring silences.');

    await page.fill('#schedule-matchers', '{service="db"}');
    await page.fill('#schedule-timezone', 'Europe/Berlin');
    await page.fill('#schedule-rrule', 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0');
    await page.fill('#schedule-duration', '2h');
    await page.waitForFunction(() => document.querySelectorAll('#schedule-preview li.occurrence').length === 5);
    const first = (await page.locator('#schedule-preview li.occurrence').first().textContent()) ?? '';
    // shown in the schedule's zone: Sunday 02:00 (or 03:00 on the day clocks spring forward)
    expect(first).toMatch(/Sun/);
    expect(first).toMatch(/0[23]:00/);

    await page.fill('#schedule-rrule', 'FREQ=FORTNIGHTLY');
    await page.waitForSelector('#schedule-error:not([hidden])');
    await expect(page.textContent('#schedule-error')).resolves.toMatch(/^rrule: /);
    await expect(page.locator('#schedule-preview li').count()).resolves.toBe(0);
    // leap days only: never in progress while the test runs (but on 29 February 02:00-04:00 in Berlin)
    await page.fill('#schedule-rrule', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=2;BYMINUTE=0;BYSECOND=0');
    await page.waitForFunction(() => document.querySelector('#schedule-preview li.occurrence')?.textContent?.includes('29'));

    await page.fill('#schedule-author', 'Ann <b>Example</b>');
    await page.fill('#schedule-comment', 'weekly database maintenance');
    await page.click('#schedule-save');
    await page.waitForSelector('#schedule-list li[data-schedule-id]');
    const item = page.locator('#schedule-list li[data-schedule-id]');
    await expect(item.textContent()).resolves.toContain('service="db"');
    await expect(item.textContent()).resolves.toContain('Ann <b>Example</b>'); // text, not markup
    await expect(page.locator('#schedule-list b').count()).resolves.toBe(0);

    // the next occurrence is an ordinary silence; its page says which schedule made it and shows its history
    await item.locator('ul.occurrences a').first().click();
    await page.waitForSelector('#silence-audit li.audit-event');
    await expect(page.textContent('main')).resolves.toContain('Recurring');
    await expect(page.getAttribute('#silence-audit li.audit-event', 'data-action')).resolves.toBe('create');
    await expect(page.textContent('[data-testid="silence-state"]')).resolves.toContain('pending');

    await page.goto(`${backend.uiUrl}#/silences/schedules`);
    await page.waitForSelector('#schedule-list li[data-schedule-id]');
    await page.click('[data-action="delete-schedule"]');
    await page.click('[data-testid="confirm-ok"]');
    await page.waitForFunction(() => document.querySelector('#schedule-list')?.textContent?.includes('No recurring silences.'));
    const silences = (await (await fetch(`${backend.apiUrl}/api/v2/silences`)).json()) as { status: { state: string } }[];
    expect(silences.map((s) => s.status.state)).toEqual(['expired']);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test("a silence's page shows its life: created, updated (what changed), expired", async () => {
    const { page, backend, pageErrors } = t;
    const now = Date.now();
    const body = {
      matchers: [{ name: 'job', value: 'api', isRegex: false, isEqual: true }],
      startsAt: new Date(now + 3600_000).toISOString(),
      endsAt: new Date(now + 2 * 3600_000).toISOString(),
      createdBy: 'Bob',
      comment: 'deploy',
    };
    const post = (b: unknown) => fetch(`${backend.apiUrl}/api/v2/silences`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    const { silenceID } = (await (await post(body)).json()) as { silenceID: string };
    expect((await post({ ...body, id: silenceID, comment: 'deploy, take two' })).status).toBe(200);
    expect((await fetch(`${backend.apiUrl}/api/v2/silence/${silenceID}`, { method: 'DELETE' })).status).toBe(200);

    await page.goto(`${backend.uiUrl}#/silences/${silenceID}`);
    await page.waitForFunction(() => document.querySelectorAll('#silence-audit li.audit-event').length === 3);
    const actions = await page.locator('#silence-audit li.audit-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(['create', 'update', 'expire']);
    const update = (await page.locator('#silence-audit li.audit-event').nth(1).textContent()) ?? '';
    expect(update).toContain('Comment: deploy → deploy, take two');
    expect(update).toContain('by Bob');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
