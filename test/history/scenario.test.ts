/**
 * The history tells an alert's story (issue 14): it fires, is grouped, is notified through two webhooks
 * (one succeeds at once, one fails once with 500 then succeeds), is silenced, the silence is expired, it is
 * resolved and the resolution is sent. The app runs in-process with a real SQLite file and real loopback
 * webhook receivers; GET /api/v2/tocsin/history, tocsinctl history and the web UI (real Chromium: the History page
 * and the alert's timeline on its explain page) must show exactly that story, in order.
 */
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { historySummary } from '../../src/wire/history';
import { tocsinctl } from '../cli/harness';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { launchChromium } from '../ui/harness';

interface WireEvent {
  time: string;
  kind: string;
  fingerprint?: string;
  receiver?: string;
  groupKey?: string;
  silenceId?: string;
  data?: Record<string, unknown>;
}

const STORY_KINDS = 'alert_created,alert_grouped,notification,silence_created,silence_muted_alert,silence_expired,alert_unmuted,alert_resolved';

async function history(h: Harness, query: string): Promise<{ events: WireEvent[]; next: string | null }> {
  const r = await fetch(`${h.url}/api/v2/tocsin/history?${query}`);
  expect(r.status).toBe(200);
  return (await r.json()) as { events: WireEvent[]; next: string | null };
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** one line per event, oldest first */
function describeEvent(e: WireEvent): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'notification':
      return `notification ${d.integration}[${d.index}] attempt ${d.attempt} ${d.outcome}${d.status ? ` ${d.status}` : ''} (${d.reason})`;
    case 'alert_resolved':
      return `alert_resolved by ${d.by}`;
    default:
      return e.kind;
  }
}

describe('history scenario', () => {
  let ok: FakeReceiver;
  let flaky: FakeReceiver;
  let h: Harness;
  beforeAll(async () => {
    ok = await startFakeReceiver();
    flaky = await startFakeReceiver();
    let failed = false;
    flaky.respond = () => {
      if (failed) return { status: 200 };
      failed = true;
      return { status: 500, body: 'try again' };
    };
    h = await startApp({
      config: `
route: {receiver: pager, group_by: [alertname], group_wait: 100ms, group_interval: 1s, repeat_interval: 1h}
receivers:
  - name: pager
    webhook_configs:
      - url: ${ok.url}/hook
      - url: ${flaky.url}/hook?token=s3cr3t
`,
      options: { ui: true },
    });
  });
  afterAll(async () => {
    await h.close();
    await ok.close();
    await flaky.close();
  });

  it('shows fire, notify (with a retry), silence, expire, resolve in order', async () => {
    const labels = { alertname: 'DiskFull', instance: 'db1' };
    expect((await postAlerts(h.url, [{ labels }])).status).toBe(200);
    // both webhooks got the firing notification (the flaky one on its second try)
    await until('firing notifications', async () => (ok.requests.length >= 1 && flaky.requests.length >= 2 ? true : undefined));
    await until('notification events', async () => {
      const p = await history(h, 'kind=notification');
      return p.events.filter((e) => e.data?.outcome === 'success').length >= 2 ? true : undefined;
    });

    const sil = await fetch(`${h.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy: 'ann',
        comment: 'disk being replaced',
      }),
    });
    expect(sil.status).toBe(200);
    const { silenceID } = (await sil.json()) as { silenceID: string };
    await until('the silence muting the alert', async () => ((await history(h, 'kind=silence_muted_alert')).events.length > 0 ? true : undefined));
    // the silenced flush sent nothing and says why
    await until('a flush skipped as silenced', async () =>
      (await history(h, 'kind=flush_skipped')).events.some((e) => e.data?.why === 'silenced') ? true : undefined,
    );

    expect((await fetch(`${h.url}/api/v2/silence/${silenceID}`, { method: 'DELETE' })).status).toBe(200);
    await until('the alert unmuted', async () => ((await history(h, 'kind=alert_unmuted')).events.length > 0 ? true : undefined));
    const sentBefore = ok.requests.length;
    expect((await postAlerts(h.url, [{ labels, endsAt: new Date().toISOString() }])).status).toBe(200);
    await until('the resolved notification', async () => (ok.requests.length > sentBefore ? true : undefined));
    const story = await until('the whole story', async () => {
      const p = await history(h, `kind=${STORY_KINDS}&limit=1000`);
      const resolvedSent = p.events.filter((e) => e.kind === 'notification' && e.data?.reason === 'all alerts resolved' && e.data.outcome === 'success');
      return resolvedSent.length >= 2 ? p.events : undefined;
    });

    const lines = [...story].reverse().map(describeEvent);
    // the two integrations' attempts run concurrently: compare each flush's attempts as a set
    const firstFlush = lines.slice(2, 5);
    expect(new Set(firstFlush)).toEqual(
      new Set([
        'notification webhook[0] attempt 1 success 200 (first notification)',
        'notification webhook[1] attempt 1 failure 500 (first notification)',
        'notification webhook[1] attempt 2 success 200 (first notification)',
      ]),
    );
    expect(firstFlush.indexOf('notification webhook[1] attempt 1 failure 500 (first notification)')).toBeLessThan(
      firstFlush.indexOf('notification webhook[1] attempt 2 success 200 (first notification)'),
    );
    expect(new Set(lines.slice(10))).toEqual(
      new Set(['notification webhook[0] attempt 1 success 200 (all alerts resolved)', 'notification webhook[1] attempt 1 success 200 (all alerts resolved)']),
    );
    expect([...lines.slice(0, 2), ...lines.slice(5, 10)]).toEqual([
      'alert_created',
      'alert_grouped',
      'silence_created',
      'silence_muted_alert',
      'silence_expired',
      'alert_unmuted',
      'alert_resolved by endsAt',
    ]);
    expect(lines).toHaveLength(12);

    // every event names what it concerns
    const fp = story.find((e) => e.kind === 'alert_created')!.fingerprint!;
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    for (const e of story) {
      expect(Number.isNaN(Date.parse(e.time))).toBe(false);
      if (e.kind.startsWith('alert_') || e.kind === 'silence_muted_alert') expect(e.fingerprint).toBe(fp);
      if (e.kind === 'notification') expect(e).toMatchObject({ receiver: 'pager', groupKey: '{}:{alertname="DiskFull"}' });
      if (e.kind.startsWith('silence_')) expect(e.silenceId).toBe(silenceID);
    }
    const created = story.find((e) => e.kind === 'silence_created')!;
    expect(created.data).toMatchObject({ createdBy: 'ann', comment: 'disk being replaced' });
    const failure = story.find((e) => e.data?.outcome === 'failure')!;
    expect(failure.data).toMatchObject({ retryable: true, failure: 'serverError' });
    // the webhook URL's token never reaches the history
    expect(JSON.stringify(story)).not.toContain('s3cr3t');
    const notifications = story.filter((e) => e.kind === 'notification');
    expect(notifications.at(-1)!.data).toMatchObject({ firing: [fp], resolved: [] });
    expect(notifications[0]!.data).toMatchObject({ firing: [], resolved: [fp] });
    for (const n of notifications) expect(typeof n.data?.latencyMs).toBe('number');
    // a delivered attempt has the receiver's status and the request body it sent
    const delivered = notifications.at(-1)!.data!;
    expect(delivered.status).toBe(200);
    expect(JSON.parse(String(delivered.payload))).toMatchObject({ receiver: 'pager', status: 'firing', alerts: [{ labels }] });

    // the alert's own timeline
    const mine = await history(h, `fingerprint=${fp}`);
    expect(mine.events.map((e) => e.kind).reverse()).toEqual(['alert_created', 'alert_grouped', 'silence_muted_alert', 'alert_unmuted', 'alert_resolved']);
    // filter on alert labels
    expect((await history(h, `filter=${encodeURIComponent('instance="db1"')}&kind=alert_created`)).events).toHaveLength(1);
    expect((await history(h, `filter=${encodeURIComponent('instance="db2"')}&kind=alert_created`)).events).toHaveLength(0);
  }, 60_000);

  it('tocsinctl history shows the same story', async () => {
    const kinds = STORY_KINDS.split(',').flatMap((k) => ['--kind', k]);
    const json = await tocsinctl(h.url, ['-o', 'json', 'history', 'DiskFull', '--since', '1h', ...kinds]);
    expect(json.code).toBe(0);
    const api = await history(h, `kind=${STORY_KINDS}&filter=alertname%3D%22DiskFull%22`);
    expect(JSON.parse(json.stdout)).toEqual(api.events);
    expect(api.events.map((e) => e.kind).reverse()).toEqual(['alert_created', 'alert_grouped', 'silence_muted_alert', 'alert_unmuted', 'alert_resolved']);

    const simple = await tocsinctl(h.url, ['history', '--receiver', 'pager', '--kind', 'notification']);
    expect(simple.code).toBe(0);
    const lines = simple.stdout.trimEnd().split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toMatch(/^Time +Kind +Subject +Summary$/);
    expect(lines).toHaveLength(1 + 5);
    // oldest last: the first attempt of the flaky webhook failed with 500 and was retried
    expect(lines.slice(1).some((l) => /notification +pager +webhook\[1\] attempt 1 failed 500 \(will retry\): .* first notification$/.test(l))).toBe(true);
    expect(lines.filter((l) => / sent 200 in [\d.]+ ms, all alerts resolved$/.test(l))).toHaveLength(2);

    const ext = await tocsinctl(h.url, ['-o', 'extended', 'history', '--kind', 'silence_created']);
    expect(ext.stdout).toMatch(/silence_created .* createdBy=ann comment=disk being replaced/);
    const limited = await tocsinctl(h.url, ['-o', 'json', 'history', '--limit', '2']);
    expect(JSON.parse(limited.stdout)).toHaveLength(2);
    const bad = await tocsinctl(h.url, ['history', '--kind', 'nope']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('bad kind');
  });

  it('the UI shows the same story: the History page and the alert\'s timeline', async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // the History page: the same events as the API, newest first, each with the same summary
      const api = (await history(h, `kind=${STORY_KINDS}&limit=1000`)).events;
      await page.goto(`${h.url}/#/history?kind=${STORY_KINDS}`);
      await page.waitForFunction(() => /no more/.test(document.querySelector('[aria-live]')?.textContent ?? ''));
      const rows = await page.locator('.history-list .history-event').evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-kind')}: ${e.querySelector('.history-summary')?.textContent ?? ''}`),
      );
      expect(rows).toEqual(api.map((e) => `${e.kind}: ${historySummary(e)}`));
      expect(await page.locator('.history-event.failed').count()).toBe(1);

      // the alert's timeline on its explain page, oldest first: its events and the notifications that carried it
      const fp = api.find((e) => e.kind === 'alert_created')!.fingerprint!;
      await page.goto(`${h.url}/#/explain/${fp}`);
      await page.locator('#alert-timeline .history-event').first().waitFor();
      const story = await page.locator('#alert-timeline .history-event .history-summary').allTextContents();
      const sent = (n: number, what: string) => new RegExp(`^${what} to pager \\(200 in [\\d.]+ ms, webhook\\[${n}\\] attempt \\d\\)$`);
      expect(story).toHaveLength(10);
      expect(story.slice(0, 2)).toEqual(['fired', 'grouped into {}:{alertname="DiskFull"} for pager']);
      // the first flush's attempts run concurrently: one success, one failure then success
      const firstFlush = story.slice(2, 5);
      expect(firstFlush.filter((p) => sent(0, 'sent').test(p))).toHaveLength(1);
      expect(firstFlush.filter((p) => sent(1, 'sent').test(p))).toHaveLength(1);
      const failedAt = firstFlush.indexOf('sending to pager failed (500, will retry, webhook[1] attempt 1)');
      expect(failedAt).toBeGreaterThanOrEqual(0);
      expect(failedAt).toBeLessThan(firstFlush.findIndex((p) => sent(1, 'sent').test(p)));
      expect(story[5]).toMatch(/^silenced by ann until /);
      expect(story.slice(6, 8)).toEqual(['no longer silenced', 'resolved']);
      expect(story.slice(8).filter((p) => sent(0, 'resolved sent').test(p) || sent(1, 'resolved sent').test(p))).toHaveLength(2);
      expect(await page.locator('#alert-timeline .timeline-story').textContent()).toMatch(/^fired [^,]+, grouped into .*, sent to pager [\d:]+.* \(200 in .*, silenced by ann [^,]+ until [^,]+, no longer silenced [^,]+, resolved [^,]+, resolved sent to pager [\d:]+.* \(200 in /);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('pages newest first with a cursor', async () => {
    const all = await history(h, 'limit=1000');
    expect(all.events.length).toBeGreaterThan(5);
    const seen: WireEvent[] = [];
    let cursor: string | null = null;
    do {
      const p: { events: WireEvent[]; next: string | null } = await history(h, `limit=3${cursor ? `&cursor=${cursor}` : ''}&until=${encodeURIComponent(all.events[0]!.time)}`);
      seen.push(...p.events);
      cursor = p.next;
    } while (cursor);
    // `until` is exclusive: the newest event's millisecond is left out
    const expected = all.events.filter((e) => e.time < all.events[0]!.time);
    expect(seen.map((e) => `${e.time}/${e.kind}`)).toEqual(expected.map((e) => `${e.time}/${e.kind}`));
  });

  it.each([
    ['kind=nope', 'bad kind'],
    ['limit=0', 'bad limit'],
    ['limit=abc', 'bad limit'],
    ['since=yesterday', 'bad since'],
    ['until=2026-13-01', 'bad until'],
    ['filter=%7Bbad', 'bad filter'],
    ['cursor=zzz', 'bad cursor'],
  ])('answers 400 naming the parameter for %s', async (q, msg) => {
    const r = await fetch(`${h.url}/api/v2/tocsin/history?${q}`);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain(msg);
  });
});
