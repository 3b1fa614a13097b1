import { checkTimeZone, Recurrence, RecurrenceError } from './recurrence';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('Recurrence across daylight saving changes', () => {
  it('Europe/Berlin, every Sunday 02:00: spring forward moves the missing 02:00 to 03:00 CEST; fall back takes the first 02:00 (CEST)', () => {
    const r = new Recurrence({ rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0', timeZone: 'Europe/Berlin', startsAt: at('2026-03-01T00:00:00Z') });
    expect(r.between(at('2026-03-20T00:00:00Z'), at('2026-04-06T00:00:00Z')).map(iso)).toEqual([
      '2026-03-22T01:00:00.000Z', // 02:00 CET (+01:00)
      '2026-03-29T01:00:00.000Z', // 02:00 does not exist: 03:00 CEST (+02:00), the same instant as 02:00 CET
      '2026-04-05T00:00:00.000Z', // 02:00 CEST
    ]);
    expect(r.between(at('2026-10-17T00:00:00Z'), at('2026-11-02T00:00:00Z')).map(iso)).toEqual([
      '2026-10-18T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 happens twice: the first, CEST (+02:00); not 01:00Z (CET)
      '2026-11-01T01:00:00.000Z', // 02:00 CET
    ]);
  });

  it('America/New_York, every Sunday 02:30 and 01:30: the gap moves forward an hour, the repeated hour takes the first (EDT)', () => {
    const spring = new Recurrence({ rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30;BYSECOND=0', timeZone: 'America/New_York', startsAt: at('2026-01-01T12:00:00Z') });
    expect(spring.between(at('2026-03-01T00:00:00Z'), at('2026-03-16T00:00:00Z')).map(iso)).toEqual([
      '2026-03-01T07:30:00.000Z', // 02:30 EST (-05:00)
      '2026-03-08T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT (-04:00)
      '2026-03-15T06:30:00.000Z', // 02:30 EDT
    ]);
    const fall = new Recurrence({ rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=1;BYMINUTE=30;BYSECOND=0', timeZone: 'America/New_York', startsAt: at('2026-01-01T12:00:00Z') });
    expect(fall.between(at('2026-10-25T00:00:00Z'), at('2026-11-09T00:00:00Z')).map(iso)).toEqual([
      '2026-10-25T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 happens twice: the first (EDT), not 06:30Z (EST)
      '2026-11-08T06:30:00.000Z', // 01:30 EST
    ]);
  });

  it('a daily rule keeps its local time of day across the change (the UTC time moves by the offset)', () => {
    const r = new Recurrence({ rrule: 'FREQ=DAILY', timeZone: 'Europe/Berlin', startsAt: at('2026-03-27T21:00:00Z') }); // 22:00 CET
    expect(r.next(at('2026-03-27T00:00:00Z'), 4).map(iso)).toEqual([
      '2026-03-27T21:00:00.000Z',
      '2026-03-28T21:00:00.000Z',
      '2026-03-29T20:00:00.000Z', // 22:00 CEST
      '2026-03-30T20:00:00.000Z',
    ]);
  });
});

describe('Recurrence.next and between', () => {
  const r = new Recurrence({ rrule: 'RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0', timeZone: 'UTC', startsAt: at('2026-01-01T00:00:00Z') });
  it('next() includes an occurrence exactly at `from`', () => {
    expect(r.next(at('2026-01-04T02:00:00Z'), 2).map(iso)).toEqual(['2026-01-04T02:00:00.000Z', '2026-01-11T02:00:00.000Z']);
  });
  it('nothing before DTSTART; COUNT and UNTIL end the rule', () => {
    expect(r.between(at('2025-12-01T00:00:00Z'), at('2026-01-05T00:00:00Z')).map(iso)).toEqual(['2026-01-04T02:00:00.000Z']);
    const c = new Recurrence({ rrule: 'FREQ=DAILY;COUNT=2', timeZone: 'UTC', startsAt: at('2026-01-01T05:00:00Z') });
    expect(c.next(at('2026-01-01T00:00:00Z'), 5).map(iso)).toEqual(['2026-01-01T05:00:00.000Z', '2026-01-02T05:00:00.000Z']);
  });
  it('between() honours its limit', () => {
    const d = new Recurrence({ rrule: 'FREQ=HOURLY', timeZone: 'UTC', startsAt: at('2026-01-01T00:00:00Z') });
    expect(d.between(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 3)).toHaveLength(3);
  });
});

describe('bad input names the field', () => {
  const base = { rrule: 'FREQ=DAILY', timeZone: 'UTC', startsAt: 0 };
  it.each([
    [{ ...base, rrule: '' }, 'rrule'],
    [{ ...base, rrule: 'BYDAY=SU' }, 'rrule'],
    [{ ...base, rrule: 'FREQ=SOMETIMES' }, 'rrule'],
    [{ ...base, rrule: 'FREQ=DAILY;COLOR=red' }, 'rrule'],
    [{ ...base, rrule: 'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY' }, 'rrule'],
    [{ ...base, rrule: 'FREQ=DAILY;INTERVAL=0' }, 'rrule'],
    [{ ...base, timeZone: 'Europe/Nowhere' }, 'timeZone'],
    [{ ...base, timeZone: '' }, 'timeZone'],
  ])('%j -> %s', (spec, field) => {
    let err: unknown;
    try {
      new Recurrence(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecurrenceError);
    expect((err as RecurrenceError).field).toBe(field);
  });
  it('knows real zones', () => {
    expect(() => checkTimeZone('America/New_York')).not.toThrow();
  });
});

describe('cron expressions', () => {
  it('read on the zone wall clock, with the same daylight-saving rules as an RRULE', () => {
    const cron = new Recurrence({ cron: '0 2 * * 0', timeZone: 'Europe/Berlin', startsAt: at('2026-03-01T00:00:00Z') });
    const rrule = new Recurrence({ rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0', timeZone: 'Europe/Berlin', startsAt: at('2026-03-01T00:00:00Z') });
    for (const [a, b] of [['2026-03-20T00:00:00Z', '2026-04-06T00:00:00Z'], ['2026-10-17T00:00:00Z', '2026-11-02T00:00:00Z']] as const) {
      expect(cron.between(at(a), at(b))).toEqual(rrule.between(at(a), at(b)));
    }
    expect(cron.next(at('2026-03-28T00:00:00Z'), 2).map(iso)).toEqual(['2026-03-29T01:00:00.000Z', '2026-04-05T00:00:00.000Z']);
    const ny = new Recurrence({ cron: '30 1 * * *', timeZone: 'America/New_York', startsAt: at('2026-10-01T00:00:00Z') });
    expect(ny.next(at('2026-10-31T12:00:00Z'), 2).map(iso)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
  it('nothing before startsAt', () => {
    const c = new Recurrence({ cron: '0 * * * *', timeZone: 'UTC', startsAt: at('2026-01-01T10:30:00Z') });
    expect(c.between(at('2026-01-01T08:00:00Z'), at('2026-01-01T12:00:00Z')).map(iso)).toEqual(['2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z']);
  });
  it.each([
    [{ cron: '61 * * * *' }, 'cron'],
    [{ cron: '' }, 'cron'],
    [{ cron: '0 2 * * 0', rrule: 'FREQ=DAILY' }, 'rrule'],
    [{}, 'rrule'],
  ])('%j -> %s', (spec, field) => {
    let err: unknown;
    try {
      new Recurrence({ timeZone: 'UTC', startsAt: 0, ...spec });
    } catch (e) {
      err = e;
    }
    expect((err as RecurrenceError).field).toBe(field);
  });
});
