import { formatDuration, parseDuration } from './duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration()', () => {
  test.each<[string, number]>([
    ['0', 0],
    ['0s', 0],
    ['5m', 5 * M],
    ['4h', 4 * H],
    ['30s', 30 * S],
    ['500ms', 500],
    ['1d1h1m1s', D + H + M + S],
    ['2w', 14 * D],
    ['1y', 365 * D],
    ['1y2w3d4h5m6s7ms', 365 * D + 14 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7],
    ['120h', 120 * H],
    ['90d', 90 * D],
    ['0005m', 5 * M],
  ])('parses %s', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  test.each<[string, string]>([
    ['', 'empty duration string'],
    ['5x', 'not a valid duration string: "5x"'],
    ['1h1d', 'not a valid duration string: "1h1d"'],
    ['1.5h', 'not a valid duration string: "1.5h"'],
    ['-5m', 'not a valid duration string: "-5m"'],
    ['5', 'not a valid duration string: "5"'],
    ['5m5m', 'not a valid duration string: "5m5m"'],
    [' 5m', 'not a valid duration string: " 5m"'],
    ['1µs', 'not a valid duration string: "1µs"'],
    ['300y', 'duration out of range'],
  ])('rejects %j', (s, msg) => {
    expect(() => parseDuration(s)).toThrow(new Error(msg));
  });
});

describe('formatDuration()', () => {
  test.each<[number, string]>([
    [0, '0s'],
    [300000, '5m'],
    [14400000, '4h'],
    [90061000, '1d1h1m1s'],
    [120 * H, '5d'],
    [7 * D, '1w'],
    [90 * D, '90d'],
    [365 * D, '1y'],
    [366 * D, '366d'],
    [14 * D, '2w'],
    [1500, '1s500ms'],
    [1, '1ms'],
  ])('formats %d as %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  test('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 61_000, 3 * D + 5, 52 * 7 * D, 400 * D]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
