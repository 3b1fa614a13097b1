import { parseGoTimeLayout } from './time-parse';
import { fixedZone, UTC_ZONE } from './time';

describe('parseGoTimeLayout() (time.ParseInLocation with time.UTC)', () => {
  test('a numeric offset moves the instant and keeps its zone; Z and no zone are UTC', () => {
    expect(parseGoTimeLayout('2006-01-02T15:04:05Z07:00', '2024-03-15T10:00:00+05:30')).toEqual({
      ms: Date.UTC(2024, 2, 15, 4, 30),
      nsRem: 0,
      zone: fixedZone('', 19800),
    });
    expect(parseGoTimeLayout('2006-01-02T15:04:05.999999999Z07:00', '2024-03-15T10:00:00.123456789Z')).toEqual({
      ms: Date.UTC(2024, 2, 15, 10, 0, 0, 123),
      nsRem: 456789,
      zone: UTC_ZONE,
    });
    expect(parseGoTimeLayout('2006-01-02', '2024-03-15')).toEqual({ ms: Date.UTC(2024, 2, 15), nsRem: 0, zone: UTC_ZONE });
  });

  test('a zone abbreviation other than UTC is a zero-offset zone of that name', () => {
    expect(parseGoTimeLayout('2006-01-02 15:04 MST', '2024-03-15 10:00 CET')).toEqual({
      ms: Date.UTC(2024, 2, 15, 10),
      nsRem: 0,
      zone: fixedZone('CET', 0),
    });
  });

  test("errors carry Go's texts", () => {
    expect(() => parseGoTimeLayout('2006-01-02', 'not-a-date')).toThrow('parsing time "not-a-date" as "2006-01-02": cannot parse "not-a-date" as "2006"');
    expect(() => parseGoTimeLayout('2006-01-02', '2024-02-30')).toThrow('parsing time "2024-02-30": day out of range');
    expect(() => parseGoTimeLayout('2006-01-02', '2024-03-15x')).toThrow('parsing time "2024-03-15x": extra text: "x"');
  });
});
