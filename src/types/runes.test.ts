import { runeCount } from './runes';

test('runeCount counts code points, not UTF-16 units', () => {
  expect(runeCount('abc')).toBe(3);
  expect(runeCount('😀é')).toBe(2);
  expect('😀é'.length).toBe(3);
});
