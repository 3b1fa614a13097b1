import { isEmptyValue, omitEmpty } from './omit-empty';

describe('omitEmpty', () => {
  it('drops empty strings, undefined and empty arrays by default, keeping false, 0 and key order', () => {
    expect(Object.entries(omitEmpty({ a: '', b: 'x', c: undefined, d: [], e: [1], f: false, g: 0 }))).toEqual([
      ['b', 'x'],
      ['e', [1]],
      ['f', false],
      ['g', 0],
    ]);
  });

  it('takes another emptiness rule', () => {
    expect(omitEmpty({ a: '', b: undefined, c: false }, (v) => v === '')).toEqual({ b: undefined, c: false });
    expect(omitEmpty({ a: false, b: 'x' }, (v) => v === false || isEmptyValue(v))).toEqual({ b: 'x' });
  });
});
