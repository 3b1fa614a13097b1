import { createMatcher } from '../matchers/matcher';
import { renderedMatcherSets } from './rendered-matchers';

describe('renderedMatcherSets', () => {
  it('renders one string per set, matchers as upstream prints them', () => {
    const sets = [[createMatcher('=', 'job', 'api'), createMatcher('=~', 'instance', 'host-1|host-2')], [createMatcher('!=', 'env', 'dev')]];
    expect(renderedMatcherSets(sets)).toEqual(['{job="api",instance=~"host-1|host-2"}', '{env!="dev"}']);
  });

  it('renders the same sets once when asked again in a row (history event, audit entry, log line of one change)', () => {
    const sets = [[createMatcher('=', 'job', 'api')]];
    expect(renderedMatcherSets(sets)).toBe(renderedMatcherSets(sets));
    expect(renderedMatcherSets([[createMatcher('=', 'job', 'api')]])).not.toBe(renderedMatcherSets(sets));
  });
});
