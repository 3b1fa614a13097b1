import type { LabelSet } from '../types/alert';
import { labelSetString } from '../types/labels';
import { groupValuesKey } from './group-values-key';
import { buildRouteTree } from './route';
import { route } from '../../test/acceptance/support/fixtures';

describe('groupValuesKey', () => {
  it('is equal for two label sets exactly when their group labels are', () => {
    const sets: LabelSet[] = [
      {},
      { a: '' },
      { a: 'x' },
      { a: 'x', b: '' },
      { a: 'x', b: 'y' },
      { a: 'x+1:y' },
      { a: 'x', b: 'y', c: 'other' },
      { a: '-', b: 'y' },
      { b: 'y' },
      { a: '+1:x', b: '-' },
      { a: '+1:x' },
      { a: '1:x-' },
    ];
    for (const names of [['a'], ['a', 'b'], ['b', 'a']]) {
      const r = buildRouteTree(route({ receiver: 'r', group_by: names }));
      for (const x of sets) {
        for (const y of sets) {
          const sameGroup = labelSetString(r.groupLabels(x)) === labelSetString(r.groupLabels(y));
          expect([names, x, y, groupValuesKey(names, x) === groupValuesKey(names, y)]).toEqual([names, x, y, sameGroup]);
        }
      }
    }
  });

  it('is the value itself for one name, undefined when the label is missing', () => {
    expect(groupValuesKey(['a'], { a: 'x', b: 'y' })).toBe('x');
    expect(groupValuesKey(['a'], { b: 'y' })).toBeUndefined();
    expect(groupValuesKey(['a', 'b'], { b: 'y' })).toBe('-+1:y');
  });
});
