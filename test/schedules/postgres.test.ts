/**
 * Recurring silences and the silence audit trail on PostgreSQL: two replicas (in-process apps) on one real
 * database. A schedule added on one replica is run by both, and the silences of its occurrences exist once each
 * (ids derived from schedule and occurrence); deleting it on the other replica expires its pending silences
 * everywhere. A silence created on one replica and expired on the other has its whole audit trail on both.
 */
import { createTestDatabase, type TestDatabase } from '../../src/store/postgres/testing/database';
import type { GettableSilence } from '../../src/wire/api';
import type { SilenceAuditWire, SilenceScheduleWire } from '../../src/wire/silence-schedules';
import { type Harness, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

describe('silence schedules and audit on PostgreSQL replicas', () => {
  let db: TestDatabase;
  const apps: Harness[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const replica of ['r1', 'r2']) {
      apps.push(await startApp({ options: { ha: { url: db.url, replica, address: '127.0.0.1:0', leaseDuration: 10_000, alertPollInterval: 100 } } }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db.drop();
  });
  const call = (h: Harness, method: string, path: string, body?: unknown) =>
    fetch(`${h.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const [r1, r2] = [() => apps[0]!, () => apps[1]!];

  it('a schedule added on one replica runs on both without duplicate silences; deleting it on the other expires them', async () => {
    const r = await call(r1(), 'POST', '/api/v2/tocsin/silence-schedules', {
      matchers: [{ name: 'env', value: 'prod', isRegex: false, isEqual: true }],
      rrule: 'FREQ=HOURLY;BYMINUTE=0;BYSECOND=0',
      duration: '30m',
      timeZone: 'America/New_York',
      createdBy: 'ann',
      comment: 'hourly job',
    });
    expect(r.status).toBe(200);
    const { scheduleID } = (await r.json()) as { scheduleID: string };
    await r2().app.core.scheduler.runOnce(); // r2's next pass (every minute) now
    const onR2 = (await (await call(r2(), 'GET', '/api/v2/tocsin/silence-schedules')).json()) as SilenceScheduleWire[];
    expect(onR2.map((s) => s.id)).toEqual([scheduleID]);
    const mine = async (h: Harness) =>
      ((await (await call(h, 'GET', '/api/v2/silences')).json()) as GettableSilence[]).filter((s) => s.comment.includes(scheduleID));
    const s1 = await mine(r1());
    expect(s1.length).toBeGreaterThanOrEqual(24);
    expect(new Set(s1.map((s) => s.startsAt)).size).toBe(s1.length); // one silence per occurrence
    await waitFor(async () => (await mine(r2())).length === s1.length, { what: 'r2 holds the same silences', timeoutMs: 5_000 });

    const del = await call(r2(), 'DELETE', `/api/v2/tocsin/silence-schedules/${scheduleID}`);
    expect(del.status).toBe(200);
    await r1().app.core.scheduler.runOnce();
    expect((await (await call(r1(), 'GET', '/api/v2/tocsin/silence-schedules')).json()) as unknown[]).toEqual([]);
    await waitFor(async () => (await mine(r1())).every((s) => s.status.state !== 'pending'), { what: 'r1 sees the pending silences expired', timeoutMs: 5_000 });
  }, 30_000);

  it('the audit trail of a silence created on r1 and expired on r2 is whole on both', async () => {
    const now = Date.now();
    const p = await call(r1(), 'POST', '/api/v2/silences', {
      matchers: [{ name: 'job', value: 'db', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3600_000).toISOString(),
      createdBy: 'ann',
      comment: 'upgrade',
    });
    const { silenceID } = (await p.json()) as { silenceID: string };
    await waitFor(async () => (await call(r2(), 'GET', `/api/v2/silence/${silenceID}`)).status === 200, { what: 'r2 has the silence', timeoutMs: 5_000 });
    expect((await call(r2(), 'DELETE', `/api/v2/silence/${silenceID}`)).status).toBe(200);
    for (const h of apps) {
      const a = (await (await call(h, 'GET', `/api/v2/tocsin/silences/${silenceID}/audit`)).json()) as SilenceAuditWire;
      expect(a.events.map((e) => [e.action, e.silence.createdBy])).toEqual([['create', 'ann'], ['expire', 'ann']]);
    }
  }, 30_000);
});
