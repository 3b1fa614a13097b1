import { formatDuration, formatGoDuration, formatGoDurationNs, parseDuration, parseGoDuration } from './duration';

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

describe('parseGoDuration()', () => {
  test.each<[string, number]>([
    ['0', 0],
    ['1h30m', 90 * M],
    ['-5m', -5 * M],
    ['+5m', 5 * M],
    ['1.5h', 90 * M],
    ['.5s', 500],
    ['1.s', 1000],
    ['100ms', 100],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['1000ns', 0.001],
    ['1h1h', 2 * H],
    ['5s1h', H + 5 * S],
    ['2562047h', 2562047 * H],
  ])('parses %s', (s, ms) => {
    expect(parseGoDuration(s)).toBeCloseTo(ms, 9);
  });

  test.each<[string, string]>([
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['.s', 'time: invalid duration ".s"'],
    ['s', 'time: invalid duration "s"'],
    ['1h-5m', 'time: unknown unit "h-" in duration "1h-5m"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ])('rejects %j', (s, msg) => {
    expect(() => parseGoDuration(s)).toThrow(new Error(msg));
  });
});

describe('formatGoDuration()', () => {
  test.each<[number, string]>([
    [0, '0s'],
    [90 * M, '1h30m0s'],
    [5 * M, '5m0s'],
    [1500, '1.5s'],
    [100, '100ms'],
    [1.5, '1.5ms'],
    [0.0015, '1.5µs'],
    [0.000001, '1ns'],
    [-5 * M, '-5m0s'],
    [24 * H, '24h0m0s'],
    [H + 1, '1h0m0.001s'],
    [61 * S, '1m1s'],
  ])('formats %d as %s', (ms, s) => {
    expect(formatGoDuration(ms)).toBe(s);
  });
});

describe('formatGoDurationNs()', () => {
  test.each<[bigint, string]>([
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [-1_500_000n, '-1.5ms'],
    [3_723_000_000_001n, '1h2m3.000000001s'],
    // beyond 2^53 ns (about 104 days) still exact
    [9_223_372_036_854_775_807n, '2562047h47m16.854775807s'],
  ])('%s ns', (ns, want) => {
    expect(formatGoDurationNs(ns)).toBe(want);
  });
});
