import { formatGoFloat, formatGoFloatE, formatGoFloatF, formatGoFloatG } from './float';

describe('formatGoFloat() (%v)', () => {
  test.each<[number, string]>([
    [0, '0'],
    [-0, '-0'],
    [1.5, '1.5'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e8, '1e+08'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('%p -> %s', (f, want) => {
    expect(formatGoFloat(f)).toBe(want);
  });
});

describe('formatGoFloatE(), formatGoFloatG(), formatGoFloatF()', () => {
  test('%e, %g and %f as Go prints them', () => {
    expect(formatGoFloatE(1234.5678, 2, 'e')).toBe('1.23e+03');
    expect(formatGoFloatE(0.00012, 1, 'E')).toBe('1.2E-04');
    expect(formatGoFloatG(1234.5678, 3)).toBe('1.23e+03');
    expect(formatGoFloatG(0.0001234, 2)).toBe('0.00012');
    expect(formatGoFloatG(100, undefined)).toBe('100');
    expect(formatGoFloatF(2.5, 0)).toBe('2');
    expect(formatGoFloatF(3.5, 0)).toBe('4');
    expect(formatGoFloatF(0.125, 2)).toBe('0.12');
    expect(formatGoFloatF(1.005, 2)).toBe('1.00');
  });
});
