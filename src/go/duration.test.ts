import { formatGoDuration, formatGoDurationNs, parseGoDuration } from './duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

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
