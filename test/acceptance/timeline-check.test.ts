/**
 * The acceptance Collector's window check and its load tolerances (support/timeline.ts), on recorded batches:
 * no servers, no real time.
 */
import { EARLY, SLACK } from './support/run';
import { alert, between, Collector } from './support/timeline';

const a = (n: string) => alert('alertname', n);
const received = (n: string) => ({ labels: { alertname: n }, annotations: {}, startsAt: new Date(0).toISOString(), endsAt: '0001-01-01T00:00:00Z' });

function collector(batches: [number, string[]][], wants: [number, number, string[]][]): Collector {
  const c = new Collector('wh');
  for (const [t, names] of batches) c.batches.push({ t, alerts: names.map(received), body: {} });
  for (const [s, e, names] of wants) c.want(between(s, e), ...names.map(a));
  return c;
}

describe('Collector.check() tolerances', () => {
  test('a wanted batch may be up to SLACK late and EARLY early, no more', () => {
    const want: [number, number, string[]][] = [[2, 2.5, ['x']]];
    expect(collector([[2.5 + SLACK - 0.01, ['x']]], want).check(SLACK, EARLY)).toEqual([]);
    expect(collector([[2 - EARLY + 0.005, ['x']]], want).check(SLACK, EARLY)).toEqual([]);
    expect(collector([[2 - EARLY - 0.01, ['x']]], want).check(SLACK, EARLY).join()).toMatch(/no batch in \[2, 2.5\]/);
    // later than the slack: outside the window (and, past the horizon, not counted)
    expect(collector([[2.5 + SLACK + 0.01, ['x']]], want).check(SLACK, EARLY).join()).toMatch(/no batch in \[2, 2.5\]/);
  });

  test('contents, counts and order are still checked exactly', () => {
    const want: [number, number, string[]][] = [
      [2, 2.5, ['x']],
      [3, 3.5, ['x', 'y']],
    ];
    expect(collector([[2.01, ['x']], [3.01, ['x', 'y']]], want).check(SLACK, EARLY)).toEqual([]);
    // the batches swapped: neither window gets its batch
    expect(collector([[2.01, ['x', 'y']], [3.01, ['x']]], want).check(SLACK, EARLY)).toHaveLength(2);
    // one extra notification in between is counted
    expect(collector([[2.01, ['x']], [2.6, ['x']], [3.01, ['x', 'y']]], want).check(SLACK, EARLY).join()).toMatch(/received 4 alerts in total, expected 3/);
  });

  test('a window that wants nothing is checked without tolerance, as upstream', () => {
    const want: [number, number, string[]][] = [[2, 3.4, []]];
    expect(collector([[3.49, ['x']]], [...want, [3.5, 4.5, ['x']]]).check(SLACK, EARLY)).toEqual([]);
    expect(collector([[3.3, ['x']]], want).check(SLACK, EARLY).join()).toMatch(/expected no notification in \[2, 3.4\]/);
  });

  test('windows that the tolerances would make overlap are reported', () => {
    const c = collector(
      [[2.01, ['x']], [2.81, ['x']]],
      [
        [2, 2.5, ['x']],
        [2.8, 3, ['x']],
      ],
    );
    expect(c.check(SLACK, EARLY).join()).toMatch(/overlap once widened/);
    // upstream's one-second rhythm stays disjoint
    expect(SLACK + EARLY).toBeLessThan(0.5);
  });
});
