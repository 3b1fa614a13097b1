/**
 * The silence schedule API and the silence audit API on the real app (real port, SQLite file, basic auth on).
 */
import bcrypt from 'bcryptjs';
import { basicAuthMiddleware } from '../../src/web/basic-auth';
import { BcryptPool } from '../../src/web/bcrypt-pool';
import type { GettableSilence } from '../../src/wire/api';
import type { SilenceAuditWire, SilenceScheduleWire } from '../../src/wire/silence-schedules';
import { type Harness, startApp } from '../helpers/app-harness';

const auth = `Basic ${Buffer.from('ops:pw').toString('base64')}`;
const H = 3600_000;

describe('/api/v2/tocsin/silence-schedules', () => {
  let h: Harness;
  let pool: BcryptPool;
  beforeAll(async () => {
    pool = new BcryptPool();
    h = await startApp({ options: { before: [basicAuthMiddleware(new Map([['ops', await bcrypt.hash('pw', 4)]]), pool)] } });
  });
  afterAll(async () => {
    await h.close();
    await pool.close();
  });
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${h.url}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const hourly = {
    matchers: [{ name: 'env', value: 'prod', isRegex: false, isEqual: true }],
    rrule: 'FREQ=HOURLY;BYMINUTE=0;BYSECOND=0',
    duration: '30m',
    timeZone: 'Europe/Berlin',
    createdBy: 'Ann',
    comment: 'hourly job',
  };

  it('POST creates the schedule and its silences, which the ordinary silences API lists; GET shows next occurrences; DELETE expires pending ones', async () => {
    const r = await call('POST', '/api/v2/tocsin/silence-schedules', hourly);
    expect(r.status).toBe(200);
    const { scheduleID } = (await r.json()) as { scheduleID: string };
    const list = (await (await call('GET', '/api/v2/tocsin/silence-schedules')).json()) as SilenceScheduleWire[];
    expect(list.map((s) => [s.id, s.duration, s.timeZone, s.nextOccurrences.length])).toEqual([[scheduleID, '30m', 'Europe/Berlin', 3]]);
    const one = (await (await call('GET', `/api/v2/tocsin/silence-schedules/${scheduleID}?count=2`)).json()) as SilenceScheduleWire;
    expect(one.nextOccurrences).toHaveLength(2);
    const o = one.nextOccurrences[0]!;
    expect(Date.parse(o.endsAt) - Date.parse(o.startsAt)).toBe(30 * 60_000);

    const silences = (await (await call('GET', '/api/v2/silences')).json()) as GettableSilence[];
    const mine = silences.filter((s) => s.comment.includes(scheduleID));
    expect(mine.length).toBeGreaterThanOrEqual(24);
    expect(mine.every((s) => s.createdBy === 'Ann' && s.matchers[0]!.name === 'env')).toBe(true);
    expect(mine.map((s) => s.id)).toContain(o.silenceID);

    const del = await call('DELETE', `/api/v2/tocsin/silence-schedules/${scheduleID}`);
    expect(del.status).toBe(200);
    const { expiredSilences } = (await del.json()) as { expiredSilences: string[] };
    expect(expiredSilences.length).toBeGreaterThanOrEqual(23);
    await new Promise((res) => setTimeout(res, 5));
    const after = (await (await call('GET', '/api/v2/silences?pending=true&active=false&expired=false')).json()) as GettableSilence[];
    expect(after.filter((s) => s.comment.includes(scheduleID) && s.status.state === 'pending')).toEqual([]);
    expect((await call('GET', `/api/v2/tocsin/silence-schedules/${scheduleID}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v2/tocsin/silence-schedules/${scheduleID}`)).status).toBe(404);

    // the expiry of a generated silence is in its audit trail, with the basic-auth user
    const audit = (await (await call('GET', `/api/v2/tocsin/silences/${expiredSilences[0]}/audit`)).json()) as SilenceAuditWire;
    expect(audit.events.map((e) => [e.action, e.user ?? null])).toEqual([['create', null], ['expire', 'ops']]);
  });

  it('preview answers the next N occurrences and stores nothing', async () => {
    const r = await call('POST', '/api/v2/tocsin/silence-schedules/preview?count=4', {
      ...hourly,
      rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0',
      startsAt: '2026-03-01T00:00:00Z',
    });
    expect(r.status).toBe(200);
    const { occurrences } = (await r.json()) as { occurrences: { startsAt: string }[] };
    expect(occurrences).toHaveLength(4);
    for (const x of occurrences) expect(new Date(x.startsAt).getUTCDay()).toBe(0);
    expect((await (await call('GET', '/api/v2/tocsin/silence-schedules')).json()) as unknown[]).toEqual([]);
  });

  it('takes a cron expression instead of an RRULE, read in the time zone', async () => {
    const r = await call('POST', '/api/v2/tocsin/silence-schedules/preview?count=2', { ...hourly, rrule: undefined, cron: '0 2 * * 0', startsAt: '2026-03-01T00:00:00Z' });
    expect(r.status).toBe(200);
    const { occurrences } = (await r.json()) as { occurrences: { startsAt: string }[] };
    for (const o of occurrences) expect(new Date(o.startsAt).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit' })).toMatch(/^Sun,? 0[23]$/);
  });

  it.each([
    [{ rrule: 'FREQ=SOMETIMES' }, 'rrule'],
    [{ rrule: undefined }, 'rrule'],
    [{ duration: 'two hours' }, 'duration'],
    [{ duration: '0s' }, 'duration'],
    [{ timeZone: 'Europe/Atlantis' }, 'timeZone'],
    [{ matchers: [] }, 'matchers'],
    [{ matchers: [{ name: 'env', value: 'x' }] }, 'matchers.0.isRegex'],
    [{ matchers: [{ name: 'env', value: '', isRegex: false }] }, 'matchers'],
    [{ startsAt: 'tomorrow' }, 'startsAt'],
    [{ cron: '0 2 * * 0' }, 'rrule'],
    [{ rrule: undefined, cron: '99 * * * *' }, 'cron'],
    [{ createdBy: 7 }, 'createdBy'],
  ])('400 for %j names %s', async (patch, fieldName) => {
    for (const path of ['/api/v2/tocsin/silence-schedules', '/api/v2/tocsin/silence-schedules/preview']) {
      const r = await call('POST', path, { ...hourly, ...patch });
      expect(r.status).toBe(400);
      expect(String(await r.json()).startsWith(`${fieldName}: `)).toBe(true);
    }
  });

  it('GET /api/v2/tocsin/silences/{id}/audit shows create, update and expire with who and what changed; 404 for an unknown id', async () => {
    const now = Date.now();
    const body = {
      matchers: [{ name: 'job', value: 'db', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + H).toISOString(),
      createdBy: 'Ann',
      comment: 'upgrade',
    };
    const { silenceID } = (await (await call('POST', '/api/v2/silences', body)).json()) as { silenceID: string };
    const stored = (await (await call('GET', `/api/v2/silence/${silenceID}`)).json()) as GettableSilence;
    expect((await call('POST', '/api/v2/silences', { ...body, id: silenceID, startsAt: stored.startsAt, endsAt: new Date(now + 2 * H).toISOString() })).status).toBe(200);
    expect((await call('DELETE', `/api/v2/silence/${silenceID}`)).status).toBe(200);
    const a = (await (await call('GET', `/api/v2/tocsin/silences/${silenceID}/audit`)).json()) as SilenceAuditWire;
    expect(a.silenceID).toBe(silenceID);
    expect(a.events.map((e) => [e.action, e.user, e.silence.createdBy])).toEqual([
      ['create', 'ops', 'Ann'],
      ['update', 'ops', 'Ann'],
      ['expire', 'ops', 'Ann'],
    ]);
    expect(a.events[1]!.changes).toEqual({ endsAt: { from: new Date(now + H).toISOString(), to: new Date(now + 2 * H).toISOString() } });
    expect(a.events[0]!.silence.matchers).toEqual(['{job="db"}']);
    expect((await call('GET', '/api/v2/tocsin/silences/00000000-0000-0000-0000-000000000000/audit')).status).toBe(404);
  });
});
