import { activeIntervalNames, containsTime, isActive, wallClock } from './evaluate';
import {
  parseDaysOfMonth,
  parseMonths,
  parseTimeIntervalSpec,
  parseTimes,
  parseWeekdays,
  parseYears,
  validateLocation,
} from './parse';
import type { TimeIntervalSpec } from './types';

const MON: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Go's RFC822Z layout "02 Jan 06 15:04 -0700" to epoch ms. */
function t(s: string): number {
  const m = /^(\d{1,2}) (\w{3}) (\d{2}) (\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  const offset = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
  return Date.UTC(2000 + Number(m[3]), MON[m[2]!]!, Number(m[1]), Number(m[4]), Number(m[5])) - offset * 60_000;
}

// Cases from upstream timeinterval_test.go (timeIntervalTestCases), re-expressed.
const CASES: { name: string; spec: TimeIntervalSpec; valid: string[]; invalid: string[] }[] = [
  { name: 'empty spec', spec: {}, valid: ['02 Jan 06 15:04 +0000', '03 Jan 07 10:04 +0000'], invalid: [] },
  {
    name: '9-5 mon-fri',
    spec: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [{ begin: 1, end: 5 }] },
    valid: ['04 May 20 15:04 +0000', '05 May 20 10:04 +0000', '09 Jun 20 09:04 +0000'],
    invalid: ['03 May 20 15:04 +0000', '04 May 20 08:59 +0000', '05 May 20 05:00 +0000'],
  },
  {
    name: 'easter 2020',
    spec: { days_of_month: [{ begin: 4, end: 6 }], months: [{ begin: 4, end: 4 }], years: [{ begin: 2020, end: 2020 }] },
    valid: ['04 Apr 20 15:04 +0000', '05 Apr 20 00:00 +0000', '06 Apr 20 23:05 +0000'],
    invalid: ['03 May 18 15:04 +0000', '03 Apr 20 23:59 +0000', '04 Jun 20 23:59 +0000', '06 Apr 19 23:59 +0000', '07 Apr 20 00:00 +0000'],
  },
  {
    name: 'last 3 days of each month',
    spec: { days_of_month: [{ begin: -3, end: -1 }] },
    valid: ['31 Jan 20 15:04 +0000', '30 Jan 20 15:04 +0000', '29 Jan 20 15:04 +0000', '30 Jun 20 00:00 +0000', '29 Feb 20 23:05 +0000'],
    invalid: ['03 May 18 15:04 +0000', '27 Jan 20 15:04 +0000', '03 Apr 20 23:59 +0000', '04 Jun 20 23:59 +0000', '01 Mar 20 00:00 +0000'],
  },
  {
    name: 'out of bound days are clamped',
    spec: { months: [{ begin: 6, end: 6 }], days_of_month: [{ begin: -31, end: 31 }] },
    valid: ['30 Jun 20 00:00 +0000', '01 Jun 20 00:00 +0000'],
    invalid: ['31 May 20 00:00 +0000', '1 Jul 20 00:00 +0000'],
  },
  {
    name: 'Australia/Sydney business hours',
    spec: { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [{ begin: 1, end: 5 }], location: 'Australia/Sydney' },
    valid: ['06 Apr 21 13:00 +1000'],
    invalid: ['06 Apr 21 13:00 +0000'],
  },
  {
    name: 'Australia/Sydney during DST',
    spec: {
      times: [{ startMinute: 540, endMinute: 1020 }],
      weekdays: [{ begin: 1, end: 5 }],
      months: [{ begin: 11, end: 11 }],
      location: 'Australia/Sydney',
    },
    valid: ['01 Nov 21 09:00 +1100', '31 Oct 21 22:00 +0000'],
    invalid: ['31 Oct 21 21:00 +0000'],
  },
  {
    name: 'last day in a spring-forward month (New York)',
    spec: { days_of_month: [{ begin: -1, end: -1 }], location: 'America/New_York' },
    valid: ['31 Mar 21 12:00 -0400'],
    invalid: ['30 Mar 21 12:00 -0400'],
  },
  // Our own DST cases
  {
    name: 'New York spring forward: 02:00-03:00 local never happens on 2021-03-14',
    spec: { times: [{ startMinute: 120, endMinute: 180 }], location: 'America/New_York' },
    valid: ['13 Mar 21 02:30 -0500', '15 Mar 21 02:30 -0400'],
    invalid: ['14 Mar 21 01:59 -0500', '14 Mar 21 03:00 -0400', '14 Mar 21 07:00 +0000', '14 Mar 21 06:59 +0000'],
  },
  {
    name: 'New York fall back: 01:30 local happens twice on 2021-11-07',
    spec: { times: [{ startMinute: 60, endMinute: 120 }], location: 'America/New_York' },
    valid: ['07 Nov 21 01:30 -0400', '07 Nov 21 01:30 -0500', '07 Nov 21 05:30 +0000', '07 Nov 21 06:30 +0000'],
    invalid: ['07 Nov 21 07:00 +0000', '07 Nov 21 04:59 +0000'],
  },
  {
    name: 'Europe/London 09-17 across the March 2021 change',
    spec: { times: [{ startMinute: 540, endMinute: 1020 }], location: 'Europe/London' },
    valid: ['26 Mar 21 09:30 +0000', '29 Mar 21 08:30 +0000', '29 Mar 21 16:59 +0100'],
    invalid: ['26 Mar 21 08:30 +0000', '29 Mar 21 16:30 +0000', '29 Mar 21 07:59 +0000'],
  },
  {
    name: 'Europe/London weekday boundary at local midnight in summer',
    spec: { weekdays: [{ begin: 6, end: 6 }], location: 'Europe/London' },
    valid: ['02 Jul 21 23:30 +0000'], // Saturday 00:30 BST
    invalid: ['03 Jul 21 23:30 +0000'], // Sunday 00:30 BST
  },
  {
    name: '24:00 as end time',
    spec: { times: [{ startMinute: 1380, endMinute: 1440 }] },
    valid: ['01 Jan 21 23:00 +0000', '01 Jan 21 23:59 +0000'],
    invalid: ['02 Jan 21 00:00 +0000', '01 Jan 21 22:59 +0000'],
  },
  {
    name: 'negative day range across months of different length',
    spec: { days_of_month: [{ begin: -7, end: -1 }] },
    valid: ['22 Feb 21 00:00 +0000', '28 Feb 21 23:59 +0000', '25 Jan 21 00:00 +0000', '23 Feb 20 00:00 +0000'],
    invalid: ['21 Feb 21 23:59 +0000', '24 Jan 21 23:59 +0000', '22 Feb 20 23:59 +0000'],
  },
  {
    name: 'positive start, negative end',
    spec: { days_of_month: [{ begin: 1, end: -2 }] },
    valid: ['01 Feb 21 00:00 +0000', '27 Feb 21 12:00 +0000'],
    invalid: ['28 Feb 21 12:00 +0000', '31 Jan 21 12:00 +0000'],
  },
  {
    name: 'day 31 skipped in short months',
    spec: { days_of_month: [{ begin: 31, end: 31 }] },
    valid: ['31 Jan 21 00:00 +0000'],
    invalid: ['30 Apr 21 00:00 +0000', '01 May 21 00:00 +0000'],
  },
];

describe('containsTime()', () => {
  for (const c of CASES) {
    test(c.name, () => {
      for (const v of c.valid) expect([v, containsTime(c.spec, t(v))]).toEqual([v, true]);
      for (const v of c.invalid) expect([v, containsTime(c.spec, t(v))]).toEqual([v, false]);
    });
  }

  test('Local uses the process zone', () => {
    const now = Date.UTC(2021, 5, 1, 12, 0);
    const d = new Date(now);
    expect(wallClock(now, 'Local')).toEqual({
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      weekday: d.getDay(),
    });
  });

  test('wall clock in a zone at local midnight reports hour 0', () => {
    expect(wallClock(t('01 Jan 21 05:00 +0000'), 'America/New_York')).toEqual({
      year: 2021,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      weekday: 5,
    });
  });
});

describe('isActive() / activeIntervalNames()', () => {
  const weekend: TimeIntervalSpec[] = [{ weekdays: [{ begin: 6, end: 6 }] }, { weekdays: [{ begin: 0, end: 0 }] }];
  test('any spec may match', () => {
    expect(isActive(weekend, t('02 Jan 21 12:00 +0000'))).toBe(true); // Saturday
    expect(isActive(weekend, t('03 Jan 21 12:00 +0000'))).toBe(true); // Sunday
    expect(isActive(weekend, t('04 Jan 21 12:00 +0000'))).toBe(false);
    expect(isActive([], t('04 Jan 21 12:00 +0000'))).toBe(false);
  });
  test('names in order; unknown names throw', () => {
    const m = new Map([
      ['weekend', weekend],
      ['always', [{}]],
    ]);
    expect(activeIntervalNames(m, ['always', 'weekend'], t('02 Jan 21 12:00 +0000'))).toEqual(['always', 'weekend']);
    expect(activeIntervalNames(m, ['weekend'], t('04 Jan 21 12:00 +0000'))).toEqual([]);
    expect(() => activeIntervalNames(m, ['nope'], 0)).toThrow("time interval nope doesn't exist in config");
  });
});

describe('field parsers', () => {
  test('times', () => {
    expect(parseTimes([{ start_time: '00:00', end_time: '24:00' }])).toEqual([{ startMinute: 0, endMinute: 1440 }]);
    expect(parseTimes([{ start_time: '01:35', end_time: '17:39' }])).toEqual([{ startMinute: 95, endMinute: 1059 }]);
    const bad: [unknown, string][] = [
      [{ start_time: '17:31', end_time: '17:31' }, 'start time cannot be equal or greater than end time'],
      [{ start_time: '12:30', end_time: '24:01' }, "couldn't parse timestamp 24:01, invalid format"],
      [{ start_time: '09:30', end_time: '07:41' }, 'start time cannot be equal or greater than end time'],
      [{ start_time: '24:00', end_time: '17:41' }, 'start time cannot be equal or greater than end time'],
      [{ start_time: '14:03' }, 'both start and end times must be provided'],
      [{ start_time: '9:00', end_time: '17:00' }, "couldn't parse timestamp 9:00, invalid format"],
      [{ start_time: '01:99', end_time: '17:00' }, "couldn't parse timestamp 01:99, invalid format"],
      [{ start_time: '99:99', end_time: '17:00' }, "couldn't parse timestamp 99:99, invalid format"],
    ];
    for (const [raw, msg] of bad) expect(() => parseTimes([raw])).toThrow(new Error(msg));
  });

  test('weekdays', () => {
    expect(parseWeekdays(['monday:friday', 'Sunday', 'SATURDAY'])).toEqual([
      { begin: 1, end: 5 },
      { begin: 0, end: 0 },
      { begin: 6, end: 6 },
    ]);
    expect(() => parseWeekdays(['saturday:sunday'])).toThrow(new Error('start day cannot be before end day'));
    expect(() => parseWeekdays(['friday:monday'])).toThrow(new Error('start day cannot be before end day'));
    expect(() => parseWeekdays(['blurgsday'])).toThrow(new Error('blurgsday is not a valid weekday'));
    expect(() => parseWeekdays(['Funday'])).toThrow(new Error('funday is not a valid weekday'));
    expect(() => parseWeekdays([1])).toThrow(new Error('1 is not a valid weekday'));
    expect(() => parseWeekdays(['-2'])).toThrow(new Error('-2 is not a valid weekday'));
    expect(() => parseWeekdays(['monday:tuesday:friday'])).toThrow(new Error("couldn't parse range monday:tuesday:friday, invalid format"));
    expect(() => parseWeekdays(['constructor'])).toThrow(new Error('constructor is not a valid weekday'));
  });

  test('days_of_month', () => {
    expect(parseDaysOfMonth(['1', '1:5', '-3:-1', '1:-1', 7])).toEqual([
      { begin: 1, end: 1 },
      { begin: 1, end: 5 },
      { begin: -3, end: -1 },
      { begin: 1, end: -1 },
      { begin: 7, end: 7 },
    ]);
    const bad: [string, string][] = [
      ['0', '0 is not a valid day of the month: out of range'],
      ['-50', '-50 is not a valid day of the month: out of range'],
      ['50', '50 is not a valid day of the month: out of range'],
      ['1:50', '50 is not a valid day of the month: out of range'],
      ['-1:5', 'end day must be negative if start day is negative'],
      ['10:-25', 'end day -25 is always before start day 10'],
      ['-1:-5', 'end day -5 is always before start day -1'],
      ['foo', 'strconv.Atoi: parsing "foo": invalid syntax'],
    ];
    for (const [raw, msg] of bad) expect(() => parseDaysOfMonth([raw])).toThrow(new Error(msg));
  });

  test('months', () => {
    expect(parseMonths(['january', '1:3', 'may:august', 'DECEMBER', '13'])).toEqual([
      { begin: 1, end: 1 },
      { begin: 1, end: 3 },
      { begin: 5, end: 8 },
      { begin: 12, end: 12 },
      { begin: 13, end: 13 },
    ]);
    expect(() => parseMonths(['martius'])).toThrow(new Error('martius is not a valid month'));
    expect(() => parseMonths(['junius:july'])).toThrow(new Error('junius is not a valid month'));
    expect(() => parseMonths(['may:march'])).toThrow(new Error('end month march is before start month may'));
    expect(() => parseMonths(['december:january'])).toThrow(new Error('end month january is before start month december'));
  });

  test('years', () => {
    expect(parseYears(['2020', '2020:2022'])).toEqual([
      { begin: 2020, end: 2020 },
      { begin: 2020, end: 2022 },
    ]);
    expect(() => parseYears(['2022:2020'])).toThrow(new Error('end year 2020 is before start year 2022'));
    expect(() => parseYears(['twenty'])).toThrow(new Error('strconv.Atoi: parsing "twenty": invalid syntax'));
  });

  test('location', () => {
    expect(validateLocation('Europe/London')).toBe('Europe/London');
    expect(validateLocation('UTC')).toBe('UTC');
    expect(validateLocation('')).toBe('UTC');
    expect(validateLocation('Local')).toBe('Local');
    expect(() => validateLocation('Mars/Olympus')).toThrow(new Error('unknown time zone Mars/Olympus'));
    expect(() => validateLocation('europe/london')).toThrow(new Error('unknown time zone europe/london'));
    expect(() => validateLocation('+01:00')).toThrow(new Error('unknown time zone +01:00'));
    expect(() => validateLocation('../etc/passwd')).toThrow(new Error('time: invalid location name'));
  });

  test('whole spec', () => {
    const spec = parseTimeIntervalSpec({
      weekdays: ['monday:friday', 'sunday'],
      months: ['january:march'],
      days_of_month: ['-7:-1'],
      years: ['2020:2025', '2030:2035'],
      times: [{ start_time: '09:00', end_time: '17:00' }],
      location: 'Asia/Tokyo',
    });
    expect(spec).toEqual({
      weekdays: [
        { begin: 1, end: 5 },
        { begin: 0, end: 0 },
      ],
      months: [{ begin: 1, end: 3 }],
      days_of_month: [{ begin: -7, end: -1 }],
      years: [
        { begin: 2020, end: 2025 },
        { begin: 2030, end: 2035 },
      ],
      times: [{ startMinute: 540, endMinute: 1020 }],
      location: 'Asia/Tokyo',
    });
    expect(parseTimeIntervalSpec({})).toEqual({});
    expect(() => parseTimeIntervalSpec({ weekday: ['monday'] })).toThrow('field weekday not found in type timeinterval.TimeInterval');
  });
});
