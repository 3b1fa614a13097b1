import { chunksOf, civilOf, daysInMonth, fixedZone, formatGoTime, formatGoTimeIn, GO_ZERO_MS, UTC_ZONE } from './time';

describe('formatGoTime()', () => {
  const ms = Date.parse('2026-11-24T23:33:49.231Z');

  test.each<[string, string]>([
    ['2006-01-02 15:04:05.999999999 -0700 MST', '2026-11-24 23:33:49.231000007 +0000 UTC'],
    ['Mon Jan _2 03:04:05PM 2006', 'Tue Nov 24 11:33:49PM 2026'],
    ['002 __2 Z07:00 Z07', '328 328 Z Z'],
    ['15:04:05,000000', '23:33:49,231000'],
    ['2006.000', '2026.231'],
    ['Janet', 'Janet'],
  ])('%s in UTC', (layout, want) => {
    expect(formatGoTime(ms, 7, UTC_ZONE, layout)).toBe(want);
  });

  test('an IANA zone gives its offset and abbreviation', () => {
    expect(formatGoTime(ms, 0, { name: 'America/New_York' }, '2006-01-02 15:04:05 -07:00 MST')).toBe('2026-11-24 18:33:49 -05:00 EST');
    expect(formatGoTime(ms, 0, { name: 'Asia/Kolkata' }, '15:04 Z0700 MST')).toBe('05:03 +0530 IST');
  });

  test('a fixed zone without a name prints the -0700 form for MST', () => {
    const z = fixedZone('', -(3 * 3600 + 30 * 60));
    expect(formatGoTime(ms, 0, z, '2006-01-02 15:04 MST Z07:00:00')).toBe('2026-11-24 20:03 -0330 -03:30:00');
    expect(formatGoTime(ms, 0, fixedZone('XYZ', 3600), '15:04 MST')).toBe('00:33 XYZ');
  });

  test("Go's zero time", () => {
    expect(formatGoTime(GO_ZERO_MS, 0, UTC_ZONE, '2006-01-02T15:04:05Z07:00 Monday 002')).toBe('0001-01-01T00:00:00Z Monday 001');
    expect(civilOf(GO_ZERO_MS, UTC_ZONE).year).toBe(1);
  });

  test('chunksOf splits literals from elements', () => {
    expect(chunksOf('at 15h')).toEqual([{ lit: 'at ' }, { std: '15' }, { lit: 'h' }]);
  });
});

describe('daysInMonth()', () => {
  test.each<[number, number, number]>([
    [2024, 2, 29],
    [2026, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [0, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
    [2026, 1, 31],
  ])('%i-%i has %i days', (y, m, want) => {
    expect(daysInMonth(y, m)).toBe(want);
  });
});

describe('formatGoTimeIn()', () => {
  const d = new Date('2026-11-24T23:33:49.231Z');
  test.each([
    ['2006-01-02 15:04:05 MST', 'UTC', '2026-11-24 23:33:49 UTC'],
    ['2006-01-02 15:04:05 MST', 'America/New_York', '2026-11-24 18:33:49 EST'],
    ['2006-01-02T15:04:05Z07:00', 'UTC', '2026-11-24T23:33:49Z'],
    ['2006-01-02T15:04:05Z07:00', 'Asia/Kolkata', '2026-11-25T05:03:49+05:30'],
    ['Mon Jan _2 03:04:05PM 2006', 'UTC', 'Tue Nov 24 11:33:49PM 2026'],
    ['15:04:05.000 -0700', 'UTC', '23:33:49.231 +0000'],
    ['15:04:05.999', 'UTC', '23:33:49.231'],
    ['January 2, 06 3pm', 'UTC', 'November 24, 26 11pm'],
  ])('%s in %s', (layout, tz, want) => {
    expect(formatGoTimeIn(d, layout, tz)).toBe(want);
  });
});
